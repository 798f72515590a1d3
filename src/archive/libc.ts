/**
 * The few libc calls Deno has no API for (`mknod`, `lsetxattr`, `lgetxattr`, `dup2`), reached through
 * `Deno.dlopen`. The library is opened on first use.
 *
 * @module
 */

import { LibcError } from "../errors.ts";

const SYMBOLS = {
  mknod: { parameters: ["buffer", "u32", "u64"], result: "i32" },
  lsetxattr: { parameters: ["buffer", "buffer", "buffer", "usize", "i32"], result: "i32" },
  lgetxattr: { parameters: ["buffer", "buffer", "buffer", "usize"], result: "isize" },
  __errno_location: { parameters: [], result: "pointer" },
  llistxattr: { parameters: ["buffer", "buffer", "usize"], result: "isize" },
  open: { parameters: ["buffer", "i32"], result: "i32" },
  syncfs: { parameters: ["i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  dup2: { parameters: ["i32", "i32"], result: "i32" },
} as const;

let lib: Deno.DynamicLibrary<typeof SYMBOLS> | undefined;

function libc(): Deno.DynamicLibrary<typeof SYMBOLS>["symbols"] {
  lib ??= Deno.dlopen("libc.so.6", SYMBOLS);
  return lib.symbols;
}

const enc = new TextEncoder();

function cstr(s: string): Uint8Array<ArrayBuffer> {
  return enc.encode(s + "\0");
}

/** The calling thread's `errno`. */
function errno(): number {
  const p = libc().__errno_location();
  return p === null ? 0 : new Deno.UnsafePointerView(p).getInt32();
}

/** Character device. */
export const S_IFCHR = 0o020000;
/** Block device. */
export const S_IFBLK = 0o060000;
/** FIFO. */
export const S_IFIFO = 0o010000;

/** glibc's `makedev`. */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major >>> 0);
  const mi = BigInt(minor >>> 0);
  return ((ma & 0xfffff000n) << 32n) | ((ma & 0xfffn) << 8n) | ((mi & 0xffffff00n) << 12n) |
    (mi & 0xffn);
}

/** Split a `dev_t` (as Deno's `rdev`) into major and minor. */
export function splitDev(dev: number): { major: number; minor: number } {
  const d = BigInt(dev);
  const major = Number(((d >> 32n) & 0xfffff000n) | ((d >> 8n) & 0xfffn));
  const minor = Number(((d >> 12n) & 0xffffff00n) | (d & 0xffn));
  return { major, minor };
}

/**
 * `mknod(path, mode, makedev(major, minor))`: create a device node or FIFO.
 *
 * @throws {LibcError} on failure
 */
export function mknod(path: string, mode: number, major = 0, minor = 0): void {
  if (libc().mknod(cstr(path), mode >>> 0, makedev(major, minor)) !== 0) {
    throw new LibcError("mknod", path, errno());
  }
}

/**
 * `lsetxattr`: set an extended attribute without following a symlink; the value is written
 * byte for byte.
 *
 * @throws {LibcError} on failure
 */
export function lsetxattr(path: string, name: string, value: Uint8Array): void {
  const buf = new Uint8Array(value.length);
  buf.set(value);
  if (libc().lsetxattr(cstr(path), cstr(name), buf, BigInt(buf.length), 0) !== 0) {
    throw new LibcError("lsetxattr", path, errno());
  }
}

/**
 * `lgetxattr`: read an extended attribute without following a symlink; undefined when the
 * attribute (or xattr support) is absent.
 *
 * @throws {LibcError} on other failures
 */
export function lgetxattr(path: string, name: string): Uint8Array | undefined {
  const p = cstr(path);
  const n = cstr(name);
  const size = Number(libc().lgetxattr(p, n, null, 0n));
  if (size < 0) {
    const e = errno();
    if (e === 61 || e === 95) return undefined;
    throw new LibcError("lgetxattr", path, e);
  }
  const buf = new Uint8Array(size);
  const got = Number(libc().lgetxattr(p, n, buf, BigInt(size)));
  if (got < 0) throw new LibcError("lgetxattr", path, errno());
  return buf.subarray(0, got);
}

/**
 * `syncfs` on the filesystem holding `path`: flush everything written to it.
 *
 * @throws {LibcError} when `path` cannot be opened
 */
export function syncFilesystem(path: string): void {
  const fd = libc().open(cstr(path), 0 /* O_RDONLY */);
  if (fd < 0) throw new LibcError("open", path, errno());
  try {
    libc().syncfs(fd);
  } finally {
    libc().close(fd);
  }
}

/**
 * `llistxattr`: the names of a file's extended attributes, without following a symlink.
 *
 * @throws {LibcError} on failure other than missing xattr support
 */
export function llistxattr(path: string): string[] {
  const p = cstr(path);
  const size = Number(libc().llistxattr(p, null, 0n));
  if (size < 0) {
    const e = errno();
    if (e === 95) return [];
    throw new LibcError("llistxattr", path, e);
  }
  if (size === 0) return [];
  const buf = new Uint8Array(size);
  const got = Number(libc().llistxattr(p, buf, BigInt(size)));
  if (got < 0) throw new LibcError("llistxattr", path, errno());
  return new TextDecoder().decode(buf.subarray(0, got)).split("\0").filter((s) => s !== "");
}

/**
 * Point descriptor `fd` of this process at `/dev/null` for writing (`open` + `dup2`): every
 * later write to it, by berth or by a child that inherits it, is discarded.
 *
 * @throws {LibcError} when `/dev/null` cannot be opened or `dup2` fails
 */
export function discardFd(fd: number): void {
  const nul = libc().open(cstr("/dev/null"), 1 /* O_WRONLY */);
  if (nul < 0) throw new LibcError("open", "/dev/null", errno());
  try {
    if (libc().dup2(nul, fd) < 0) throw new LibcError("dup2", "/dev/null", errno());
  } finally {
    if (nul !== fd) libc().close(nul);
  }
}
