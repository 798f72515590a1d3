/**
 * Copying trees between {@linkcode RootView}s as streams of tar entries: a walker that turns a
 * file or directory into entries (symlinks stay links, hardlinks within the tree stay
 * hardlinks), a writer that puts entries into a directory of a view (parents resolved inside
 * the view; the last component never followed), and a tar serialiser for `cp … -`.
 *
 * @module
 */
import { CopyError, LibcError } from "../errors.ts";
import { cleanEntryPath } from "../archive/entry_path.ts";
import { S_IFBLK, S_IFCHR, S_IFIFO } from "../archive/libc.ts";
import {
  AT_FDCWD,
  AT_REMOVEDIR,
  chmodPathFd,
  closeFd,
  fchmod,
  fchown,
  futimes,
  lchownAt,
  linkFdAt,
  listDir,
  lutimesAt,
  mkdirAt,
  mknodAt,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_WRONLY,
  openAt,
  readInto,
  readLinkAt,
  type Stat,
  statAt,
  symlinkAt,
  unlinkAt,
  writeAll,
} from "../archive/fd.ts";
import type { TarEntry, TarHeader } from "../archive/tar_reader.ts";
import { tarEnd, tarHeader, tarPadding } from "../archive/tar_writer.ts";
import {
  closeHandle,
  type Handle,
  joinContainer,
  openChild,
  openInView,
  type RootView,
} from "./root_path.ts";

export { joinContainer };

function entryType(st: Stat): TarHeader["type"] | undefined {
  if (st.isFile) return "file";
  if (st.isDirectory) return "dir";
  if (st.isSymlink) return "symlink";
  if (st.isCharDevice) return "char";
  if (st.isBlockDevice) return "block";
  if (st.isFifo) return "fifo";
  return undefined; // sockets: not copied
}

/**
 * The entries of `cpath` in `view` (not following a last symlink: a symlink there is an entry
 * itself), named `name` and below it; with `name` "" the top directory itself is left out and
 * its contents come out with bare names. Directories come before their contents, in name
 * order. The walk holds each directory open and opens its entries relative to it without
 * following symlinks (see root_path.ts), so nothing swapped in meanwhile leads it off the view.
 *
 * @throws {CopyError} when something cannot be read
 */
export async function* walkEntries(
  view: RootView,
  cpath: string,
  name: string,
): AsyncGenerator<TarEntry> {
  const firstNames = new Map<string, string>();
  async function* walk(h: Handle, name: string): AsyncGenerator<TarEntry> {
    const st = h.stat;
    const type = entryType(st);
    if (type === undefined) return;
    if (name !== "") {
      const header: TarHeader = {
        name,
        type,
        typeflag: "",
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        size: type === "file" ? st.size : 0,
        mtime: st.mtime,
        linkname: type === "symlink" ? readLinkAt(h.fd, "") : "",
        uname: "",
        gname: "",
        devmajor: 0,
        devminor: 0,
        xattrs: new Map(),
      };
      if (type === "char" || type === "block") {
        header.devmajor = st.rdevMajor;
        header.devminor = st.rdevMinor;
      }
      if (type === "file" && st.nlink > 1) {
        const first = firstNames.get(st.key);
        if (first !== undefined) {
          yield {
            header: { ...header, type: "hardlink", size: 0, linkname: first },
            body: async function* () {},
          };
          return;
        }
        firstNames.set(st.key, name);
      }
      const size = header.size;
      yield {
        header,
        body: type === "file" ? () => exactly(fdChunks(h.fd), size) : async function* () {},
      };
    }
    if (!st.isDirectory) return;
    const children = new Set(listDir(h.fd));
    // A volume shows even where its mount point is missing in the directory below it.
    for (const m of view.mounts) {
      const slash = m.destination.lastIndexOf("/");
      if ((m.destination.slice(0, slash) || "/") === h.cpath && m.destination !== "/") {
        children.add(m.destination.slice(slash + 1));
      }
    }
    for (const child of [...children].sort()) {
      const c = openChild(view, h, child);
      if (c === null) continue; // gone meanwhile
      try {
        yield* walk(c, name === "" ? child : `${name}/${child}`);
      } finally {
        closeFd(c.fd);
      }
    }
  }
  const top = fsErrors(`reading ${cpath}`, () => openInView(view, cpath, false));
  if (!top.handle) throw new CopyError(`${cpath}: no such file or directory`);
  try {
    yield* fsErrorsGen(`reading ${cpath}`, walk(top.handle, name));
  } finally {
    closeHandle(top.handle);
  }
}

/** `fn()`, its libc failures as {@linkcode CopyError}s. */
function fsErrors<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof LibcError) throw new CopyError(`${what}: ${err.message}`);
    throw err;
  }
}

async function* fsErrorsGen<T>(what: string, gen: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield* gen;
  } catch (err) {
    if (err instanceof LibcError) throw new CopyError(`${what}: ${err.message}`);
    throw err;
  }
}

const CHUNK = 1 << 20;

/** The content of the regular file held as the `O_PATH` fd `fd`, in chunks of up to 1 MiB. */
async function* fdChunks(fd: number): AsyncGenerator<Uint8Array> {
  // Reopening through /proc/self/fd opens the inode `fd` holds, not a path.
  const rd = openAt(AT_FDCWD, `/proc/self/fd/${fd}`, O_RDONLY);
  try {
    for (;;) {
      const buf = new Uint8Array(CHUNK);
      const n = readInto(rd, buf);
      if (n === 0) return;
      yield n === CHUNK ? buf : buf.subarray(0, n);
      await Promise.resolve();
    }
  } finally {
    closeFd(rd);
  }
}

/** `size` bytes of `chunks`: cut short or padded with zeros if the file changed meanwhile. */
async function* exactly(
  chunks: AsyncIterable<Uint8Array>,
  size: number,
): AsyncGenerator<Uint8Array> {
  let left = size;
  for await (const chunk of chunks) {
    if (left === 0) break;
    const part = chunk.length > left ? chunk.subarray(0, left) : chunk;
    left -= part.length;
    yield part;
  }
  while (left > 0) {
    const n = Math.min(left, 1 << 20);
    yield new Uint8Array(n);
    left -= n;
  }
}

/** Serialise `entries` as a tar stream (ustar, PAX when needed) into `write`. */
export async function writeTar(
  entries: AsyncIterable<TarEntry>,
  write: (data: Uint8Array) => Promise<void>,
): Promise<void> {
  for await (const e of entries) {
    const h = e.header;
    if (
      h.type === "dir" || h.type === "file" || h.type === "symlink" || h.type === "hardlink" ||
      h.type === "char" || h.type === "block" || h.type === "fifo"
    ) {
      await write(tarHeader({
        name: h.type === "dir" ? `${h.name}/` : h.name,
        type: h.type,
        mode: h.mode,
        uid: h.uid,
        gid: h.gid,
        size: h.type === "file" ? h.size : 0,
        mtime: h.mtime,
        linkname: h.linkname,
        devmajor: h.devmajor,
        devminor: h.devminor,
        ...(h.xattrs.size ? { xattrs: Object.fromEntries(h.xattrs) } : {}),
      }));
      if (h.type === "file") {
        for await (const chunk of e.body()) await write(chunk);
        const pad = tarPadding(h.size);
        if (pad.length) await write(pad);
      }
    }
  }
  await write(tarEnd());
}

/** Directory fds {@linkcode putEntries} keeps open at most (besides the few in use). */
const MAX_CACHED = 256;

/** How {@linkcode putEntries} writes. */
export interface PutOptions {
  /** Replace a directory by a non-directory and the reverse (`--overwrite`). */
  overwrite: boolean;
  /** Give entries their uid/gid (only root can). */
  keepOwners: boolean;
  /** Skip device nodes and FIFOs (as podman does when copying to the host). */
  ignoreDevices: boolean;
  /** How a path of this view is named in messages (`"/x" in container c`, …). */
  describe: (cpath: string) => string;
}

/**
 * Write `entries` into `destDir`, an existing directory of `view` (a resolved container
 * path). Entry names are relative to it (`..` is refused). Parent directories are resolved
 * inside the view (a symlink among them stays inside it) and created when missing; the last
 * component is never followed: whatever is there is replaced (a directory only with
 * `overwrite`), and files are created afresh (`O_EXCL`). Modes, times and (with
 * `keepOwners`) owners are applied; directories' modes and times last.
 *
 * Every directory is held open and everything is done relative to its fd, one component at
 * a time, never following a symlink; modes, owners and times are set on fds. A container that
 * swaps a path for a symlink meanwhile makes the copy fail or land inside the view, never
 * touch the host.
 *
 * @throws {CopyError} on a conflict, a read-only destination or a hostile entry
 */
export async function putEntries(
  view: RootView,
  destDir: string,
  entries: AsyncIterable<TarEntry>,
  opts: PutOptions,
): Promise<void> {
  const top = fsErrors(`copying to ${opts.describe(destDir)}`, () => openInView(view, destDir));
  if (!top.handle?.stat.isDirectory) {
    closeHandle(top.handle);
    throw new CopyError(`${opts.describe(destDir)}: not a directory`);
  }
  /**
   * Directory handles by entry path below destDir ("" is destDir), a cache of at most
   * {@linkcode MAX_CACHED} (a tree of any size stays within the fd limit); handles dropped
   * from it are closed before the next entry.
   */
  const dirs = new Map<string, Handle>([["", top.handle]]);
  let retired: Handle[] = [];
  /** Directories whose mode and times are set last (by entry path: reopened then). */
  const dirMeta: [string[], TarHeader][] = [];
  let current = destDir;
  try {
    await putAll();
    for (const [rel, hdr] of dirMeta.reverse()) {
      sweep();
      current = joinContainer(destDir, rel.join("/"));
      const h = ensureDir(rel, false);
      const fd = openAt(AT_FDCWD, `/proc/self/fd/${h.fd}`, O_RDONLY | O_DIRECTORY);
      try {
        fchmod(fd, hdr.mode & 0o7777);
        futimes(fd, hdr.mtime);
      } finally {
        closeFd(fd);
      }
    }
  } catch (err) {
    if (err instanceof LibcError) {
      throw new CopyError(`copying to ${opts.describe(current)}: ${err.message}`);
    }
    throw err;
  } finally {
    for (const h of retired) closeFd(h.fd);
    for (const h of dirs.values()) closeFd(h.fd);
  }

  /** Close what was dropped from the cache, and keep the cache small. */
  function sweep(): void {
    if (dirs.size > MAX_CACHED) forgetDirs();
    for (const h of retired) closeFd(h.fd);
    retired = [];
  }

  function cache(key: string, h: Handle): Handle {
    const old = dirs.get(key);
    if (old !== undefined && old !== h) retired.push(old);
    dirs.set(key, h);
    return h;
  }

  function checkWritable(readOnly: boolean, cpath: string): void {
    if (readOnly) throw new CopyError(`copying to ${opts.describe(cpath)}: read-only file system`);
  }

  /** A directory below `parent` as the view sees it (a symlink followed inside the view). */
  function openDir(parent: Handle, name: string, create: boolean): Handle {
    const cpath = joinContainer(parent.cpath, name);
    let h = openChild(view, parent, name);
    if (h === null && create) {
      checkWritable(parent.readOnly, cpath);
      mkdirAt(parent.fd, name, 0o755);
      h = openChild(view, parent, name);
    }
    if (h?.stat.isSymlink) {
      closeFd(h.fd);
      h = openInView(view, cpath).handle;
    }
    if (!h?.stat.isDirectory) {
      closeHandle(h);
      throw new CopyError(`${opts.describe(cpath)}: not a directory`);
    }
    return h;
  }

  /** The directory `rel` (below destDir), created if absent when `create`. */
  function ensureDir(rel: string[], create = true): Handle {
    const key = rel.join("/");
    const known = dirs.get(key);
    if (known !== undefined) return known;
    const parent = ensureDir(rel.slice(0, -1), create);
    return cache(key, openDir(parent, rel[rel.length - 1], create));
  }

  /** Drop the cached directories (something was replaced: names may lead elsewhere now). */
  function forgetDirs(): void {
    for (const [k, h] of [...dirs]) {
      if (k === "") continue;
      retired.push(h);
      dirs.delete(k);
    }
  }

  /** Remove the directory `name` of `dir` and all below it, never following a symlink. */
  function removeTree(dir: number, name: string): void {
    const fd = openAt(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW);
    try {
      for (const child of listDir(fd)) {
        if (statAt(fd, child)?.isDirectory) removeTree(fd, child);
        else unlinkAt(fd, child);
      }
    } finally {
      closeFd(fd);
    }
    unlinkAt(dir, name, AT_REMOVEDIR);
  }

  async function putAll(): Promise<void> {
    for await (const e of entries) {
      sweep();
      const h = e.header;
      let parts: string[];
      try {
        parts = cleanEntryPath(h.name);
      } catch (err) {
        throw new CopyError((err as Error).message);
      }
      if (parts.length === 0) continue; // the destination directory itself stays as it is
      const name = parts[parts.length - 1];
      current = joinContainer(destDir, parts.join("/"));
      const parent = ensureDir(parts.slice(0, -1));
      const cpath = joinContainer(parent.cpath, name);
      current = cpath;
      const there = openChild(view, parent, name);
      const isMount = view.mounts.some((m) => m.destination === cpath);
      checkWritable(there && isMount ? there.readOnly : parent.readOnly, cpath);
      const st = there?.stat ?? null;
      if (h.type === "dir") {
        if (st?.isDirectory) {
          cache(parts.join("/"), there!);
          if (opts.keepOwners) fchown(there!.fd, h.uid, h.gid);
          dirMeta.push([parts, h]);
          continue;
        }
        closeHandle(there);
        if (st?.isSymlink) {
          const target = openInView(view, cpath).handle;
          const isDir = target?.stat.isDirectory ?? false;
          closeHandle(target);
          if (isDir) continue; // a link to a dir
        }
        if (st) {
          if (!opts.overwrite) {
            throw new CopyError(
              `cannot overwrite non-directory ${
                opts.describe(cpath)
              } with a directory (use --overwrite)`,
            );
          }
          if (isMount) throw new CopyError(`cannot replace the volume ${opts.describe(cpath)}`);
          unlinkAt(parent.fd, name);
          forgetDirs();
        }
        mkdirAt(parent.fd, name, 0o700);
        const made = cache(parts.join("/"), openDir(parent, name, false));
        if (opts.keepOwners) fchown(made.fd, h.uid, h.gid);
        dirMeta.push([parts, h]);
        continue;
      }
      closeHandle(there);
      const device = h.type === "char" || h.type === "block" || h.type === "fifo";
      if (h.type === "unsupported" || (device && opts.ignoreDevices)) continue;
      if (st && isMount) throw new CopyError(`cannot replace the volume ${opts.describe(cpath)}`);
      if (st?.isDirectory) {
        if (!opts.overwrite) {
          throw new CopyError(
            `cannot overwrite directory ${
              opts.describe(cpath)
            } with a non-directory (use --overwrite)`,
          );
        }
        removeTree(parent.fd, name);
        forgetDirs();
      } else if (st) {
        unlinkAt(parent.fd, name);
        if (st.isSymlink) forgetDirs();
      }
      switch (h.type) {
        case "file": {
          const fd = openAt(parent.fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
          try {
            for await (const chunk of e.body()) writeAll(fd, chunk);
            if (opts.keepOwners) fchown(fd, h.uid, h.gid);
            fchmod(fd, h.mode & 0o7777);
            futimes(fd, h.mtime);
          } finally {
            closeFd(fd);
          }
          break;
        }
        case "symlink":
          symlinkAt(h.linkname, parent.fd, name);
          if (opts.keepOwners) lchownAt(parent.fd, name, h.uid, h.gid);
          lutimesAt(parent.fd, name, h.mtime);
          break;
        case "hardlink": {
          let target: string[];
          try {
            target = cleanEntryPath(h.linkname);
          } catch (err) {
            throw new CopyError((err as Error).message);
          }
          const t = openInView(view, joinContainer(destDir, target.join("/")), false).handle;
          try {
            if (!t || t.stat.isDirectory) {
              throw new CopyError(`hardlink ${h.name} → ${h.linkname}: no such file in the copy`);
            }
            linkFdAt(t.fd, parent.fd, name);
          } finally {
            closeHandle(t);
          }
          break;
        }
        default: {
          const kind = h.type === "char" ? S_IFCHR : h.type === "block" ? S_IFBLK : S_IFIFO;
          mknodAt(parent.fd, name, kind | 0o600, h.devmajor, h.devminor);
          const made = openChild(view, parent, name);
          try {
            if (!made || (made.stat.mode & 0o170000) !== kind) {
              throw new CopyError(`${opts.describe(cpath)}: replaced while being copied`);
            }
            if (opts.keepOwners) fchown(made.fd, h.uid, h.gid);
            chmodPathFd(made.fd, h.mode & 0o7777);
            lutimesAt(parent.fd, name, h.mtime);
          } finally {
            closeHandle(made);
          }
        }
      }
    }
  }
}
