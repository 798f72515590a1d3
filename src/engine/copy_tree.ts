/**
 * Copying trees between {@linkcode RootView}s as streams of tar entries: a walker that turns a
 * file or directory into entries (symlinks stay links, hardlinks within the tree stay
 * hardlinks), a writer that puts entries into a directory of a view (parents resolved inside
 * the view; the last component never followed), and a tar serialiser for `cp … -`.
 *
 * @module
 */
import { lchownSync, lutimesSync } from "node:fs";
import { BerthError } from "../errors.ts";
import { cleanEntryPath } from "../image/entry_path.ts";
import { fileChunks } from "../image/file_chunks.ts";
import { mknod, S_IFBLK, S_IFCHR, S_IFIFO, splitDev } from "../image/libc.ts";
import type { TarEntry, TarHeader } from "../image/tar_reader.ts";
import { tarEnd, tarHeader, tarPadding } from "../image/tar_writer.ts";
import { hostLocation, resolveInView, type RootView } from "./root_path.ts";
import { lstatOrNull } from "../fs.ts";

/** A copy that cannot be done as asked (exit status 125). */
export class CopyError extends BerthError {}

/** Join a clean absolute container path and a relative one. */
export function joinContainer(dir: string, rel: string): string {
  if (rel === "") return dir;
  return dir === "/" ? `/${rel}` : `${dir}/${rel}`;
}

function entryType(st: Deno.FileInfo): TarHeader["type"] | undefined {
  if (st.isFile) return "file";
  if (st.isDirectory) return "dir";
  if (st.isSymlink) return "symlink";
  if (st.isCharDevice) return "char";
  if (st.isBlockDevice) return "block";
  if (st.isFifo) return "fifo";
  return undefined; // sockets: not copied
}

/**
 * The entries of `cpath` in `view` (lstat: a symlink there is an entry itself), named `name`
 * and below it; with `name` "" the top directory itself is left out and its contents come
 * out with bare names. Directories come before their contents, in name order.
 */
export async function* walkEntries(
  view: RootView,
  cpath: string,
  name: string,
): AsyncGenerator<TarEntry> {
  const firstNames = new Map<string, string>();
  async function* walk(cpath: string, name: string): AsyncGenerator<TarEntry> {
    const host = hostLocation(view, cpath).host;
    const st = Deno.lstatSync(host);
    const type = entryType(st);
    if (type === undefined) return;
    if (name !== "") {
      const header: TarHeader = {
        name,
        type,
        typeflag: "",
        mode: (st.mode ?? 0) & 0o7777,
        uid: st.uid ?? 0,
        gid: st.gid ?? 0,
        size: type === "file" ? st.size : 0,
        mtime: Math.floor((st.mtime?.getTime() ?? 0) / 1000),
        linkname: type === "symlink" ? Deno.readLinkSync(host) : "",
        uname: "",
        gname: "",
        devmajor: 0,
        devminor: 0,
        xattrs: new Map(),
      };
      if (type === "char" || type === "block") {
        const dev = splitDev(st.rdev ?? 0);
        header.devmajor = dev.major;
        header.devminor = dev.minor;
      }
      if (type === "file" && (st.nlink ?? 1) > 1) {
        const key = `${st.dev}:${st.ino}`;
        const first = firstNames.get(key);
        if (first !== undefined) {
          yield {
            header: { ...header, type: "hardlink", size: 0, linkname: first },
            body: async function* () {},
          };
          return;
        }
        firstNames.set(key, name);
      }
      const size = header.size;
      yield {
        header,
        body: type === "file" ? () => exactly(fileChunks(host), size) : async function* () {},
      };
    }
    if (!st.isDirectory) return;
    const children = new Set([...Deno.readDirSync(host)].map((e) => e.name));
    // A volume shows even where its mount point is missing in the directory below it.
    for (const m of view.mounts) {
      const slash = m.destination.lastIndexOf("/");
      if ((m.destination.slice(0, slash) || "/") === cpath) {
        children.add(m.destination.slice(slash + 1));
      }
    }
    for (const child of [...children].sort()) {
      yield* walk(joinContainer(cpath, child), name === "" ? child : `${name}/${child}`);
    }
  }
  yield* walk(cpath, name);
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
 * @throws {CopyError} on a conflict, a read-only destination or a hostile entry
 */
export async function putEntries(
  view: RootView,
  destDir: string,
  entries: AsyncIterable<TarEntry>,
  opts: PutOptions,
): Promise<void> {
  const dirs = new Map<string, string>([["", destDir]]);
  const dirMeta: [string, TarHeader][] = [];

  const writable = (cpath: string) => {
    const loc = hostLocation(view, cpath);
    if (loc.readOnly) {
      throw new CopyError(`copying to ${opts.describe(cpath)}: read-only file system`);
    }
    return loc.host;
  };

  /** The resolved container path of the directory `rel` (below destDir), created if absent. */
  function ensureDir(rel: string[]): string {
    const key = rel.join("/");
    const known = dirs.get(key);
    if (known !== undefined) return known;
    const parent = ensureDir(rel.slice(0, -1));
    const r = resolveInView(view, joinContainer(parent, rel[rel.length - 1]));
    if (r.stat === null) {
      Deno.mkdirSync(writable(r.cpath), { mode: 0o755 });
    } else if (!r.stat.isDirectory) {
      throw new CopyError(`${opts.describe(r.cpath)}: not a directory`);
    }
    dirs.set(key, r.cpath);
    return r.cpath;
  }

  function forgetDirs(): void {
    for (const k of [...dirs.keys()]) if (k !== "") dirs.delete(k);
  }

  function meta(host: string, h: TarHeader, isLink: boolean): void {
    if (opts.keepOwners) lchownSync(host, h.uid, h.gid);
    if (!isLink) Deno.chmodSync(host, h.mode & 0o7777);
    lutimesSync(host, h.mtime, h.mtime);
  }

  for await (const e of entries) {
    const h = e.header;
    let parts: string[];
    try {
      parts = cleanEntryPath(h.name);
    } catch (err) {
      throw new CopyError((err as Error).message);
    }
    if (parts.length === 0) continue; // the destination directory itself stays as it is
    const parent = ensureDir(parts.slice(0, -1));
    const cpath = joinContainer(parent, parts[parts.length - 1]);
    const host = writable(cpath);
    const st = lstatOrNull(host);
    if (h.type === "dir") {
      if (st?.isDirectory) {
        if (opts.keepOwners) lchownSync(host, h.uid, h.gid);
        dirMeta.push([host, h]);
        continue;
      }
      if (st?.isSymlink && resolveInView(view, cpath).stat?.isDirectory) continue; // a link to a dir
      if (st) {
        if (!opts.overwrite) {
          throw new CopyError(
            `cannot overwrite non-directory ${
              opts.describe(cpath)
            } with a directory (use --overwrite)`,
          );
        }
        Deno.removeSync(host);
        forgetDirs();
      }
      Deno.mkdirSync(host, { mode: 0o700 });
      if (opts.keepOwners) lchownSync(host, h.uid, h.gid);
      dirMeta.push([host, h]);
      continue;
    }
    const device = h.type === "char" || h.type === "block" || h.type === "fifo";
    if (h.type === "unsupported" || (device && opts.ignoreDevices)) continue;
    if (st?.isDirectory) {
      if (!opts.overwrite) {
        throw new CopyError(
          `cannot overwrite directory ${
            opts.describe(cpath)
          } with a non-directory (use --overwrite)`,
        );
      }
      Deno.removeSync(host, { recursive: true });
      forgetDirs();
    } else if (st) {
      Deno.removeSync(host);
      if (st.isSymlink) forgetDirs();
    }
    switch (h.type) {
      case "file": {
        const f = Deno.openSync(host, { createNew: true, write: true, mode: 0o600 });
        try {
          for await (const chunk of e.body()) {
            for (let off = 0; off < chunk.length;) off += f.writeSync(chunk.subarray(off));
          }
        } finally {
          f.close();
        }
        meta(host, h, false);
        break;
      }
      case "symlink":
        Deno.symlinkSync(h.linkname, host);
        meta(host, h, true);
        break;
      case "hardlink": {
        let target: string[];
        try {
          target = cleanEntryPath(h.linkname);
        } catch (err) {
          throw new CopyError((err as Error).message);
        }
        const t = resolveInView(view, joinContainer(destDir, target.join("/")), false);
        if (!t.stat || t.stat.isDirectory) {
          throw new CopyError(`hardlink ${h.name} → ${h.linkname}: no such file in the copy`);
        }
        Deno.linkSync(t.host, host);
        break;
      }
      default: {
        const kind = h.type === "char" ? S_IFCHR : h.type === "block" ? S_IFBLK : S_IFIFO;
        mknod(host, kind | 0o600, h.devmajor, h.devminor);
        meta(host, h, false);
      }
    }
  }
  for (const [host, h] of dirMeta.reverse()) {
    Deno.chmodSync(host, h.mode & 0o7777);
    lutimesSync(host, h.mtime, h.mtime);
  }
}
