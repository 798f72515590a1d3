/**
 * A streaming tar reader: ustar, GNU (base-256 numbers, `L`/`K` long names) and PAX
 * (`x`/`g` records, including `SCHILY.xattr.*` with binary values and large uid/gid/size).
 * Entries come out one at a time; a body not read by the caller is skipped.
 *
 * @module
 */
import { ImageError, InternalError } from "../errors.ts";
import { byteReader } from "./byte_reader.ts";
import { isZeroBlock, parseHeader, parsePaxRecords, type TarType } from "./tar_header.ts";

/** A tar entry's metadata with every extension applied. */
export interface TarHeader {
  /** Path as stored (may start with `./` or `/`; not yet cleaned). */
  name: string;
  type: Exclude<TarType, "pax" | "pax-global" | "gnu-longname" | "gnu-longlink">;
  /** The raw type flag (reported for unsupported entries). */
  typeflag: string;
  /** Permission bits including setuid/setgid/sticky (`& 0o7777`). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch, possibly fractional. */
  mtime: number;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  /** Extended attributes by name, values byte-exact. */
  xattrs: Map<string, Uint8Array>;
}

/** One entry: its header and a one-shot reader of its content. */
export interface TarEntry {
  header: TarHeader;
  /** The entry's data, in chunks (valid until the next entry is requested). */
  body(): AsyncGenerator<Uint8Array>;
}

const dec = new TextDecoder();

/**
 * Extended-header data (PAX `x` records, GNU `L`/`K` long names) one entry may carry, in
 * total over all the headers in front of it. Real entries need a few KiB (a 4 KiB path, a
 * 4 KiB link target, xattrs); the cap keeps a hostile archive from making the reader hold
 * hundreds of MiB of headers for one entry.
 */
export const MAX_ENTRY_META = 2 << 20;
/** PAX global-header (`g`) data one archive may carry in total (it applies to every entry). */
export const MAX_GLOBAL_META = 1 << 20;

function text(v: Uint8Array): string {
  return dec.decode(v);
}

function paxNumber(v: Uint8Array, key: string): number {
  const t = text(v).trim();
  if (!/^-?\d+(\.\d+)?$/.test(t)) throw new ImageError(`tar: invalid PAX ${key} "${t}"`);
  return Number(t);
}

function applyPax(h: TarHeader, pax: Map<string, Uint8Array>): void {
  for (const [key, v] of pax) {
    switch (key) {
      case "path":
        h.name = text(v);
        break;
      case "linkpath":
        h.linkname = text(v);
        break;
      case "size":
        h.size = paxNumber(v, key);
        break;
      case "uid":
        h.uid = paxNumber(v, key);
        break;
      case "gid":
        h.gid = paxNumber(v, key);
        break;
      case "mtime":
        h.mtime = paxNumber(v, key);
        break;
      case "uname":
        h.uname = text(v);
        break;
      case "gname":
        h.gname = text(v);
        break;
      default:
        if (key.startsWith("SCHILY.xattr.")) {
          h.xattrs.set(key.slice("SCHILY.xattr.".length), v);
        } else if (key.startsWith("LIBARCHIVE.xattr.")) {
          const name = decodeURIComponent(key.slice("LIBARCHIVE.xattr.".length));
          if (!h.xattrs.has(name)) {
            h.xattrs.set(name, Uint8Array.from(atob(text(v)), (c) => c.charCodeAt(0)));
          }
        } else if (key.startsWith("GNU.sparse.")) {
          throw new ImageError("tar: sparse files are not supported");
        }
    }
  }
}

/**
 * Read tar entries from `source`. Stops at the end-of-archive marker (or a clean end of
 * stream) without consuming what follows the marker.
 *
 * @throws {ImageError} on a corrupt, truncated or unsupported archive
 */
export async function* readTar(source: AsyncIterable<Uint8Array>): AsyncGenerator<TarEntry> {
  const r = byteReader(source);
  const globalPax = new Map<string, Uint8Array>();
  let pax: Map<string, Uint8Array> | undefined;
  let longName: string | undefined;
  let longLink: string | undefined;
  /** Extended-header bytes read for the coming entry, and global-header bytes so far. */
  let entryMeta = 0;
  let globalMeta = 0;

  /** Read one extended header's data, refusing it (unread) when it would pass its budget. */
  async function readData(size: number, global: boolean): Promise<Uint8Array> {
    if (global) {
      globalMeta += size;
      if (globalMeta > MAX_GLOBAL_META) {
        throw new ImageError(
          `tar: PAX global headers exceed ${
            MAX_GLOBAL_META >> 20
          } MiB (hostile or corrupt archive)`,
        );
      }
    } else {
      entryMeta += size;
      if (entryMeta > MAX_ENTRY_META) {
        throw new ImageError(
          `tar: extended headers of one entry exceed ${MAX_ENTRY_META >> 20} MiB` +
            " (hostile or corrupt archive)",
        );
      }
    }
    const data = size === 0 ? new Uint8Array(0) : await exact(size);
    await pad(size);
    return data;
  }
  async function exact(n: number): Promise<Uint8Array> {
    try {
      const b = await r.readExact(n);
      if (b === null) throw new ImageError("tar: unexpected end of archive");
      return b;
    } catch (err) {
      if (err instanceof RangeError) throw new ImageError("tar: unexpected end of archive");
      throw err;
    }
  }
  async function skip(n: number): Promise<void> {
    try {
      await r.skip(n);
    } catch (err) {
      if (err instanceof RangeError) throw new ImageError("tar: unexpected end of archive");
      throw err;
    }
  }
  async function pad(size: number): Promise<void> {
    const rem = size % 512;
    if (rem) await skip(512 - rem);
  }

  for (;;) {
    const block = await r.readExact(512).catch((err) => {
      if (err instanceof RangeError) throw new ImageError("tar: truncated header block");
      throw err;
    });
    if (block === null) return; // clean end without a marker
    if (isZeroBlock(block)) {
      if (pax || longName !== undefined || longLink !== undefined) {
        throw new ImageError("tar: extended header with no entry after it");
      }
      await r.readExact(512).catch(() => null); // the second marker block, if present
      return;
    }
    const raw = parseHeader(block);
    switch (raw.type) {
      case "pax":
        pax ??= new Map();
        for (const [k, v] of parsePaxRecords(await readData(raw.size, false))) pax.set(k, v);
        continue;
      case "pax-global":
        for (const [k, v] of parsePaxRecords(await readData(raw.size, true))) globalPax.set(k, v);
        continue;
      case "gnu-longname":
        longName = cstr(await readData(raw.size, false));
        continue;
      case "gnu-longlink":
        longLink = cstr(await readData(raw.size, false));
        continue;
    }
    const header: TarHeader = {
      name: raw.name,
      type: raw.type,
      typeflag: raw.typeflag,
      mode: raw.mode & 0o7777,
      uid: raw.uid,
      gid: raw.gid,
      size: raw.size,
      mtime: raw.mtime,
      linkname: raw.linkname,
      uname: raw.uname,
      gname: raw.gname,
      devmajor: raw.devmajor,
      devminor: raw.devminor,
      xattrs: new Map(),
    };
    if (longName !== undefined) header.name = longName;
    if (longLink !== undefined) header.linkname = longLink;
    applyPax(header, globalPax);
    if (pax) applyPax(header, pax);
    pax = undefined;
    longName = undefined;
    longLink = undefined;
    entryMeta = 0;
    if (!Number.isSafeInteger(header.size) || header.size < 0) {
      throw new ImageError(`tar: invalid size for ${header.name}`);
    }
    // Only regular files carry data in a layer; anything else with a size is skipped.
    let left = header.size;
    let started = false;
    const body = async function* (): AsyncGenerator<Uint8Array> {
      if (started) throw new InternalError("tar entry body read twice");
      started = true;
      while (left > 0) {
        const part = await r.readSome(left);
        if (part === null) throw new ImageError("tar: unexpected end of archive in file data");
        left -= part.length;
        yield part;
      }
    };
    yield { header, body };
    started = true;
    if (left > 0) await skip(left);
    left = 0;
    await pad(header.size);
  }
}

function cstr(b: Uint8Array): string {
  const nul = b.indexOf(0);
  return dec.decode(nul === -1 ? b : b.subarray(0, nul));
}
