import { ImageError } from "../errors.ts";
/**
 * Decoding of one 512-byte tar header block and of PAX extended-header records (pure).
 *
 * @module
 */

/** The kinds of tar entry berth understands. */
export type TarType =
  | "file"
  | "hardlink"
  | "symlink"
  | "char"
  | "block"
  | "dir"
  | "fifo"
  | "pax"
  | "pax-global"
  | "gnu-longname"
  | "gnu-longlink"
  | "unsupported";

/** One header block, decoded (before PAX/GNU overrides are applied). */
export interface RawHeader {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch (may be fractional after PAX). */
  mtime: number;
  type: TarType;
  /** The raw type flag character (for error messages). */
  typeflag: string;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
}

const dec = new TextDecoder();

function cString(b: Uint8Array): string {
  const nul = b.indexOf(0);
  return dec.decode(nul === -1 ? b : b.subarray(0, nul));
}

/**
 * A numeric header field: octal text (NUL/space terminated) or GNU base-256 (high bit set).
 *
 * @throws {ImageError} on a negative base-256 value or garbage
 */
export function parseNumeric(b: Uint8Array, field: string): number {
  if (b[0] & 0x80) {
    if (b[0] === 0xff) throw new ImageError(`tar: negative ${field}`);
    let v = b[0] & 0x7f;
    for (let i = 1; i < b.length; i++) v = v * 256 + b[i];
    if (!Number.isSafeInteger(v)) throw new ImageError(`tar: ${field} too large`);
    return v;
  }
  const text = cString(b).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw new ImageError(`tar: invalid ${field} field "${text}"`);
  return parseInt(text, 8);
}

const TYPES: Record<string, TarType> = {
  "0": "file",
  "\0": "file",
  "7": "file",
  "1": "hardlink",
  "2": "symlink",
  "3": "char",
  "4": "block",
  "5": "dir",
  "6": "fifo",
  x: "pax",
  g: "pax-global",
  L: "gnu-longname",
  K: "gnu-longlink",
};

/** True if the block is all zeros (an end-of-archive marker). */
export function isZeroBlock(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/**
 * Decode one 512-byte header block, verifying its checksum.
 *
 * @throws {ImageError} on a bad checksum or numeric field
 */
export function parseHeader(b: Uint8Array): RawHeader {
  if (b.length !== 512) throw new ImageError("tar: short header block");
  const stored = parseNumeric(b.subarray(148, 156), "checksum");
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const v = i >= 148 && i < 156 ? 32 : b[i];
    unsigned += v;
    signed += v > 127 ? v - 256 : v;
  }
  if (stored !== unsigned && stored !== signed) {
    throw new ImageError("tar: header checksum mismatch (not a tar archive, or corrupt)");
  }
  const magic = dec.decode(b.subarray(257, 263));
  let name = cString(b.subarray(0, 100));
  if (magic === "ustar\0") {
    const prefix = cString(b.subarray(345, 500));
    if (prefix) name = `${prefix}/${name}`;
  }
  const typeflag = String.fromCharCode(b[156]);
  let type: TarType = TYPES[typeflag] ?? "unsupported";
  // Old (v7) archives mark directories with a trailing slash on a regular-file entry.
  if (type === "file" && typeflag !== "7" && name.endsWith("/")) type = "dir";
  return {
    name,
    mode: parseNumeric(b.subarray(100, 108), "mode"),
    uid: parseNumeric(b.subarray(108, 116), "uid"),
    gid: parseNumeric(b.subarray(116, 124), "gid"),
    size: parseNumeric(b.subarray(124, 136), "size"),
    mtime: parseNumeric(b.subarray(136, 148), "mtime"),
    type,
    typeflag,
    linkname: cString(b.subarray(157, 257)),
    uname: cString(b.subarray(265, 297)),
    gname: cString(b.subarray(297, 329)),
    devmajor: parseNumeric(b.subarray(329, 337), "devmajor"),
    devminor: parseNumeric(b.subarray(337, 345), "devminor"),
  };
}

/**
 * Split PAX extended-header data into `key → raw value bytes` records
 * (`"<len> <key>=<value>\n"`, len counting the whole record in bytes). Values stay bytes:
 * xattr values are binary.
 *
 * @throws {ImageError} on a malformed record
 */
export function parsePaxRecords(data: Uint8Array): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === 0) break; // some writers pad with NULs
    const sp = data.indexOf(0x20, pos);
    if (sp === -1) throw new ImageError("tar: malformed PAX record (no length)");
    const lenText = dec.decode(data.subarray(pos, sp));
    if (!/^\d+$/.test(lenText)) throw new ImageError("tar: malformed PAX record length");
    const len = Number(lenText);
    const end = pos + len;
    if (len < 5 || end > data.length || data[end - 1] !== 0x0a) {
      throw new ImageError("tar: malformed PAX record");
    }
    const rec = data.subarray(sp + 1, end - 1);
    const eq = rec.indexOf(0x3d);
    if (eq === -1) throw new ImageError("tar: malformed PAX record (no '=')");
    out.set(dec.decode(rec.subarray(0, eq)), rec.slice(eq + 1));
    pos = end;
  }
  return out;
}
