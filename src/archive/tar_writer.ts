/**
 * Writing tar headers: ustar blocks, with a PAX header in front when a value does not fit
 * (long names, large ids, fractional times, xattrs) or GNU `L`/`K` headers on request.
 * Used by `save` and by the tests to craft archives.
 *
 * @module
 */
import { concat } from "../io.ts";

/** What to write for one entry (data follows the header, padded by {@linkcode tarPadding}). */
export interface TarWriteHeader {
  name: string;
  type: "file" | "hardlink" | "symlink" | "char" | "block" | "dir" | "fifo";
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  mtime?: number;
  linkname?: string;
  uname?: string;
  gname?: string;
  devmajor?: number;
  devminor?: number;
  xattrs?: Record<string, Uint8Array>;
  /** How to store a name longer than 100 bytes: PAX (default) or GNU long-name headers. */
  longNames?: "pax" | "gnu";
}

const enc = new TextEncoder();
const FLAGS = {
  file: "0",
  hardlink: "1",
  symlink: "2",
  char: "3",
  block: "4",
  dir: "5",
  fifo: "6",
};

function putString(b: Uint8Array, off: number, len: number, s: string | Uint8Array): void {
  const bytes = typeof s === "string" ? enc.encode(s) : s;
  b.set(bytes.subarray(0, len), off);
}

function putOctal(b: Uint8Array, off: number, len: number, v: number): void {
  putString(b, off, len - 1, Math.floor(v).toString(8).padStart(len - 1, "0"));
}

function fitsOctal(v: number, len: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < 8 ** (len - 1);
}

function block(
  name: string,
  flag: string,
  h: Partial<TarWriteHeader> & { size: number },
): Uint8Array {
  const b = new Uint8Array(512);
  putString(b, 0, 100, name);
  putOctal(b, 100, 8, (h.mode ?? 0o644) & 0o7777);
  putOctal(b, 108, 8, fitsOctal(h.uid ?? 0, 8) ? h.uid ?? 0 : 0);
  putOctal(b, 116, 8, fitsOctal(h.gid ?? 0, 8) ? h.gid ?? 0 : 0);
  putOctal(b, 124, 12, fitsOctal(h.size, 12) ? h.size : 0);
  putOctal(b, 136, 12, fitsOctal(Math.floor(h.mtime ?? 0), 12) ? h.mtime ?? 0 : 0);
  b[156] = flag.charCodeAt(0);
  putString(b, 157, 100, h.linkname ?? "");
  putString(b, 257, 8, "ustar\x0000");
  putString(b, 265, 32, h.uname ?? "");
  putString(b, 297, 32, h.gname ?? "");
  putOctal(b, 329, 8, h.devmajor ?? 0);
  putOctal(b, 337, 8, h.devminor ?? 0);
  b.fill(32, 148, 156);
  let sum = 0;
  for (const v of b) sum += v;
  putString(b, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return b;
}

/** One PAX record, `"<len> key=value\n"`, len counting itself. */
export function paxRecord(key: string, value: string | Uint8Array): Uint8Array {
  const v = typeof value === "string" ? enc.encode(value) : value;
  const body = concat([enc.encode(` ${key}=`), v, enc.encode("\n")]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return concat([enc.encode(String(len)), body]);
}

/** Zero bytes to pad `size` bytes of data to a 512-byte boundary. */
export function tarPadding(size: number): Uint8Array {
  return new Uint8Array((512 - (size % 512)) % 512);
}

/** The end-of-archive marker (two zero blocks). */
export function tarEnd(): Uint8Array {
  return new Uint8Array(1024);
}

function withData(header: Uint8Array, data: Uint8Array): Uint8Array {
  return concat([header, data, tarPadding(data.length)]);
}

/**
 * One extension header with its data and padding: PAX `x` (next entry) or `g` (global)
 * records, or a GNU `L`/`K` long name. For tests crafting archives.
 */
export function extensionHeader(flag: "x" | "g" | "L" | "K", data: Uint8Array): Uint8Array {
  const name = flag === "x" || flag === "g" ? "PaxHeader" : "././@LongLink";
  return withData(block(name, flag, { size: data.length }), data);
}

/** The header block(s) for one entry: extension headers first, then the ustar block. */
export function tarHeader(h: TarWriteHeader): Uint8Array {
  const size = h.type === "file" ? h.size ?? 0 : 0;
  const parts: Uint8Array[] = [];
  const records: Uint8Array[] = [];
  let name = h.name;
  let linkname = h.linkname ?? "";
  const nameBytes = enc.encode(name).length;
  if (nameBytes > 100) {
    if (h.longNames === "gnu") {
      const data = enc.encode(name + "\0");
      parts.push(withData(block("././@LongLink", "L", { size: data.length }), data));
    } else records.push(paxRecord("path", name));
    name = name.slice(0, 99);
  }
  if (enc.encode(linkname).length > 100) {
    if (h.longNames === "gnu") {
      const data = enc.encode(linkname + "\0");
      parts.push(withData(block("././@LongLink", "K", { size: data.length }), data));
    } else records.push(paxRecord("linkpath", linkname));
    linkname = linkname.slice(0, 99);
  }
  if (!fitsOctal(h.uid ?? 0, 8)) records.push(paxRecord("uid", String(h.uid)));
  if (!fitsOctal(h.gid ?? 0, 8)) records.push(paxRecord("gid", String(h.gid)));
  if (!fitsOctal(size, 12)) records.push(paxRecord("size", String(size)));
  const mtime = h.mtime ?? 0;
  if (!fitsOctal(mtime, 12)) records.push(paxRecord("mtime", String(mtime)));
  for (const [k, v] of Object.entries(h.xattrs ?? {})) {
    records.push(paxRecord(`SCHILY.xattr.${k}`, v));
  }
  if (records.length) {
    const data = concat(records);
    parts.push(withData(block("PaxHeader", "x", { size: data.length }), data));
  }
  parts.push(block(name, FLAGS[h.type], { ...h, size, linkname }));
  return concat(parts);
}

/** A whole archive in memory: each entry's header, data and padding, then the end marker. */
export function buildTar(entries: (TarWriteHeader & { data?: Uint8Array | string })[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data = typeof e.data === "string" ? enc.encode(e.data) : e.data ?? new Uint8Array(0);
    const size = e.type === "file" ? data.length : 0;
    parts.push(tarHeader({ ...e, size }));
    if (size) parts.push(data, tarPadding(size));
  }
  parts.push(tarEnd());
  return concat(parts);
}
