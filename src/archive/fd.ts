/**
 * File-descriptor based file system calls (the `*at` family, `statx`, `fchmod`, `futimens`),
 * reached through `Deno.dlopen` of libc, for code that must never resolve a path twice: it
 * holds a directory's fd and names one component at a time, without following a symlink.
 * Linux on x86_64 or aarch64 (the `O_*` flags differ between them).
 *
 * @module
 */
import { LibcError, UnsupportedError } from "../errors.ts";
import { makedev } from "./libc.ts";

const SYMBOLS = {
  openat: { parameters: ["i32", "buffer", "i32", "u32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  statx: { parameters: ["i32", "buffer", "i32", "u32", "buffer"], result: "i32" },
  readlinkat: { parameters: ["i32", "buffer", "buffer", "usize"], result: "isize" },
  mkdirat: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  unlinkat: { parameters: ["i32", "buffer", "i32"], result: "i32" },
  linkat: { parameters: ["i32", "buffer", "i32", "buffer", "i32"], result: "i32" },
  symlinkat: { parameters: ["buffer", "i32", "buffer"], result: "i32" },
  mknodat: { parameters: ["i32", "buffer", "u32", "u64"], result: "i32" },
  fchmod: { parameters: ["i32", "u32"], result: "i32" },
  fchmodat: { parameters: ["i32", "buffer", "u32", "i32"], result: "i32" },
  fchownat: { parameters: ["i32", "buffer", "u32", "u32", "i32"], result: "i32" },
  utimensat: { parameters: ["i32", "buffer", "buffer", "i32"], result: "i32" },
  futimens: { parameters: ["i32", "buffer"], result: "i32" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  __errno_location: { parameters: [], result: "pointer" },
} as const;

let lib: Deno.DynamicLibrary<typeof SYMBOLS> | undefined;

function libc(): Deno.DynamicLibrary<typeof SYMBOLS>["symbols"] {
  if (!lib) {
    if (Deno.build.os !== "linux" || !(Deno.build.arch in FLAGS)) {
      throw new UnsupportedError(`fd-based file calls: unsupported platform ${Deno.build.target}`);
    }
    lib = Deno.dlopen("libc.so.6", SYMBOLS);
  }
  return lib.symbols;
}

function errno(): number {
  const p = libc().__errno_location();
  return p === null ? 0 : new Deno.UnsafePointerView(p).getInt32();
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function cstr(s: string): Uint8Array<ArrayBuffer> {
  return enc.encode(s + "\0");
}

const FLAGS = {
  x86_64: { O_DIRECTORY: 0o200000, O_NOFOLLOW: 0o400000 },
  aarch64: { O_DIRECTORY: 0o40000, O_NOFOLLOW: 0o100000 },
} as const;
const arch = FLAGS[Deno.build.arch as keyof typeof FLAGS] ?? FLAGS.x86_64;

/** `open(2)` flags. */
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_DIRECTORY: number = arch.O_DIRECTORY;
export const O_NOFOLLOW: number = arch.O_NOFOLLOW;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;
/** `*at` flags. */
export const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
const AT_SYMLINK_FOLLOW = 0x400;
const AT_EMPTY_PATH = 0x1000;

/** errno values callers test for. */
export const ENOENT = 2;
export const ENOTDIR = 20;

const S_IFMT = 0o170000;

/** What `statx` says of a file (never following a symlink). */
export interface Stat {
  /** Type and permission bits. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  nlink: number;
  /** `dev:ino`, the same for hard links of one file. */
  key: string;
  /** Seconds since the epoch. */
  mtime: number;
  rdevMajor: number;
  rdevMinor: number;
  isFile: boolean;
  isDirectory: boolean;
  isSymlink: boolean;
  isCharDevice: boolean;
  isBlockDevice: boolean;
  isFifo: boolean;
}

function check(r: number | bigint, call: string, what: string): void {
  if (Number(r) < 0) throw new LibcError(call, what, errno());
}

/**
 * `openat(dir, name, flags, mode)` (`O_CLOEXEC` added); `name` may be an absolute path.
 *
 * @throws {LibcError} on failure
 */
export function openAt(dir: number, name: string, flags: number, mode = 0): number {
  const fd = libc().openat(dir, cstr(name), flags | O_CLOEXEC, mode >>> 0);
  check(fd, "open", name);
  return fd;
}

/** Close `fd` (errors ignored). */
export function closeFd(fd: number): void {
  if (fd >= 0) libc().close(fd);
}

/**
 * `statx` of `name` in `dir` (of `dir` itself with `name` ""), never following a symlink;
 * null when nothing is there (ENOENT, ENOTDIR).
 *
 * @throws {LibcError} on other failures
 */
export function statAt(dir: number, name: string): Stat | null {
  const buf = new Uint8Array(256);
  const flags = AT_SYMLINK_NOFOLLOW | (name === "" ? AT_EMPTY_PATH : 0);
  const r = libc().statx(dir, cstr(name), flags, 0x7ff, /* STATX_BASIC_STATS */ buf);
  if (r !== 0) {
    const e = errno();
    if (e === ENOENT || e === ENOTDIR) return null;
    throw new LibcError("statx", name, e);
  }
  const v = new DataView(buf.buffer);
  const mode = v.getUint16(28, true);
  const type = mode & S_IFMT;
  return {
    mode,
    uid: v.getUint32(20, true),
    gid: v.getUint32(24, true),
    nlink: v.getUint32(16, true),
    size: Number(v.getBigUint64(40, true)),
    key: `${v.getUint32(136, true)}:${v.getUint32(140, true)}:${v.getBigUint64(32, true)}`,
    mtime: Number(v.getBigInt64(112, true)),
    rdevMajor: v.getUint32(128, true),
    rdevMinor: v.getUint32(132, true),
    isFile: type === 0o100000,
    isDirectory: type === 0o040000,
    isSymlink: type === 0o120000,
    isCharDevice: type === 0o020000,
    isBlockDevice: type === 0o060000,
    isFifo: type === 0o010000,
  };
}

/**
 * The target of the symlink `name` in `dir` (of the `O_PATH` fd `dir` itself with "").
 *
 * @throws {LibcError} on failure
 */
export function readLinkAt(dir: number, name: string): string {
  for (let size = 4096;; size *= 4) {
    const buf = new Uint8Array(size);
    const n = Number(libc().readlinkat(dir, cstr(name), buf, BigInt(size)));
    check(n, "readlink", name);
    if (n < size) return dec.decode(buf.subarray(0, n));
  }
}

/** `mkdirat`. @throws {LibcError} */
export function mkdirAt(dir: number, name: string, mode: number): void {
  check(libc().mkdirat(dir, cstr(name), mode >>> 0), "mkdir", name);
}

/** `unlinkat` (a directory with `AT_REMOVEDIR`). @throws {LibcError} */
export function unlinkAt(dir: number, name: string, flags = 0): void {
  check(libc().unlinkat(dir, cstr(name), flags), "unlink", name);
}

/** A hard link `name` in `dir` to the file open as `fd` (any fd, `O_PATH` too). @throws {LibcError} */
export function linkFdAt(fd: number, dir: number, name: string): void {
  const r = libc().linkat(
    AT_FDCWD,
    cstr(`/proc/self/fd/${fd}`),
    dir,
    cstr(name),
    AT_SYMLINK_FOLLOW,
  );
  check(r, "link", name);
}

/** `symlinkat(target, dir, name)`. @throws {LibcError} */
export function symlinkAt(target: string, dir: number, name: string): void {
  check(libc().symlinkat(cstr(target), dir, cstr(name)), "symlink", name);
}

/** `mknodat(dir, name, mode, makedev(major, minor))`. @throws {LibcError} */
export function mknodAt(dir: number, name: string, mode: number, major = 0, minor = 0): void {
  check(libc().mknodat(dir, cstr(name), mode >>> 0, makedev(major, minor)), "mknod", name);
}

/** `fchmod` of an fd open for reading or writing (not `O_PATH`). @throws {LibcError} */
export function fchmod(fd: number, mode: number): void {
  check(libc().fchmod(fd, mode >>> 0), "fchmod", `fd ${fd}`);
}

/**
 * chmod of the inode open as the `O_PATH` fd `fd` (through its `/proc/self/fd` link, which
 * names that inode, not a path); the caller makes sure it is no symlink.
 *
 * @throws {LibcError}
 */
export function chmodPathFd(fd: number, mode: number): void {
  check(libc().fchmodat(AT_FDCWD, cstr(`/proc/self/fd/${fd}`), mode >>> 0, 0), "chmod", `fd ${fd}`);
}

/** Owner of the file open as `fd` (any fd, `O_PATH` too; a symlink itself). @throws {LibcError} */
export function fchown(fd: number, uid: number, gid: number): void {
  check(libc().fchownat(fd, cstr(""), uid >>> 0, gid >>> 0, AT_EMPTY_PATH), "chown", `fd ${fd}`);
}

/** Owner of `name` in `dir`, not following a symlink. @throws {LibcError} */
export function lchownAt(dir: number, name: string, uid: number, gid: number): void {
  const r = libc().fchownat(dir, cstr(name), uid >>> 0, gid >>> 0, AT_SYMLINK_NOFOLLOW);
  check(r, "chown", name);
}

function times(sec: number): Uint8Array<ArrayBuffer> {
  const buf = new Uint8Array(32);
  const v = new DataView(buf.buffer);
  v.setBigInt64(0, BigInt(Math.trunc(sec)), true);
  v.setBigInt64(16, BigInt(Math.trunc(sec)), true);
  return buf;
}

/** Access and modification times (seconds) of the file open as `fd` (not `O_PATH`). @throws {LibcError} */
export function futimes(fd: number, sec: number): void {
  check(libc().futimens(fd, times(sec)), "futimens", `fd ${fd}`);
}

/** Access and modification times of `name` in `dir`, not following a symlink. @throws {LibcError} */
export function lutimesAt(dir: number, name: string, sec: number): void {
  check(libc().utimensat(dir, cstr(name), times(sec), AT_SYMLINK_NOFOLLOW), "utimensat", name);
}

/** Write all of `data` to `fd`. @throws {LibcError} */
export function writeAll(fd: number, data: Uint8Array): void {
  let buf = data;
  if (!(buf.buffer instanceof ArrayBuffer)) buf = data.slice();
  for (let off = 0; off < buf.length;) {
    const n = Number(
      libc().write(fd, buf.subarray(off) as Uint8Array<ArrayBuffer>, BigInt(buf.length - off)),
    );
    check(n, "write", `fd ${fd}`);
    off += n;
  }
}

/** Read up to `buf.length` bytes from `fd`; 0 at the end. @throws {LibcError} */
export function readInto(fd: number, buf: Uint8Array<ArrayBuffer>): number {
  const n = Number(libc().read(fd, buf, BigInt(buf.length)));
  check(n, "read", `fd ${fd}`);
  return n;
}

/** The names in the directory open as `fd` (any fd, `O_PATH` too). */
export function listDir(fd: number): string[] {
  return [...Deno.readDirSync(`/proc/self/fd/${fd}`)].map((e) => e.name);
}
