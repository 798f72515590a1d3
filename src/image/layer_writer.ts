/**
 * Writing a layer's tar entries into an empty directory in overlayfs format: `.wh.NAME`
 * becomes a character device 0:0 named NAME, `.wh..wh..opq` sets
 * `trusted.overlay.opaque=y` on its directory. Ownership, permission bits (setuid, setgid,
 * sticky), xattrs (byte-exact) and times are applied in that order; directory times last.
 *
 * Safety: names with `..` are refused; parent directories are walked with `lstat` and a
 * parent that is not a real directory (a symlink left by an earlier entry, say) is refused;
 * the final component is removed and created afresh (`O_EXCL`), so no write ever follows a
 * symlink or hardlink; hardlink targets are resolved the same way inside the layer.
 *
 * @module
 */
import { ImageError, LibcError } from "../errors.ts";
import { lchownSync, lutimesSync } from "node:fs";
import { join } from "node:path";
import { cleanEntryPath } from "../archive/entry_path.ts";
import {
  lgetxattr,
  llistxattr,
  lsetxattr,
  mknod,
  S_IFBLK,
  S_IFCHR,
  S_IFIFO,
} from "../archive/libc.ts";
import type { TarEntry, TarHeader } from "../archive/tar_reader.ts";
import { lstatOrNull } from "../fs.ts";

/** What an extraction wrote. */
export interface LayerStats {
  entries: number;
  /** Bytes of regular-file content. */
  bytes: number;
}

const WH = ".wh.";
const OPAQUE = ".wh..wh..opq";
const OPAQUE_XATTR = "trusted.overlay.opaque";
const yes = new TextEncoder().encode("y");

function isWhiteoutDevice(st: Deno.FileInfo): boolean {
  return st.isCharDevice === true && st.rdev === 0;
}

/**
 * Extract `entries` into `dest` (an existing, empty directory) in overlay format.
 *
 * A parent directory the layer does not list itself is created with the attributes the
 * same directory has in `lowerDirs` (the layers below, topmost first), so the overlay's
 * merged view keeps them; without a lower one it is root-owned 0755.
 *
 * The layer's root is not taken from the tar (its `./` entry is skipped, as containers/storage
 * skips it): a base layer's root is root-owned 0555, a layer above has the root owner and mode
 * of the layer below it. So an image's `/` is 0555 under podman and berth alike.
 *
 * @throws {ImageError} on a hostile or unsupported entry; the directory is then partial and
 * must be discarded by the caller
 */
export async function writeLayer(
  entries: AsyncIterable<TarEntry>,
  dest: string,
  lowerDirs: string[] = [],
): Promise<LayerStats> {
  const stats: LayerStats = { entries: 0, bytes: 0 };
  const below = lowerDirs.length ? Deno.lstatSync(lowerDirs[0]) : undefined;
  lchownSync(dest, below?.uid ?? 0, below?.gid ?? 0);
  Deno.chmodSync(dest, below ? (below.mode ?? 0o555) & 0o7777 : 0o555);
  /** Directories known to be real directories in this layer (relative paths). */
  const dirs = new Set<string>([""]);
  const dirTimes: [string, number][] = [];

  /** Make sure every parent of `parts` is a real directory, creating missing ones. */
  function ensureParents(parts: string[], entryName: string): string {
    let rel = "";
    for (let i = 0; i < parts.length - 1; i++) {
      rel = rel ? `${rel}/${parts[i]}` : parts[i];
      if (dirs.has(rel)) continue;
      const abs = join(dest, rel);
      const st = lstatOrNull(abs);
      if (st === null) {
        Deno.mkdirSync(abs);
        Deno.chmodSync(abs, 0o755);
        inheritDir(abs, rel);
      } else if (isWhiteoutDevice(st)) {
        // A whiteout earlier in this layer, then content below it: the directory is new.
        Deno.removeSync(abs);
        Deno.mkdirSync(abs);
        Deno.chmodSync(abs, 0o755);
        lsetxattr(abs, OPAQUE_XATTR, yes);
      } else if (!st.isDirectory) {
        throw new ImageError(
          `layer entry ${JSON.stringify(entryName)}: parent ${rel} is not a directory` +
            (st.isSymlink ? " (a symlink; refusing to follow it)" : ""),
        );
      }
      dirs.add(rel);
    }
    return rel;
  }

  /**
   * Give an implicit directory the attributes of the same directory in a lower layer: the
   * topmost lower where `rel` is a real directory, reached without following any symlink. A
   * lower where a component of `rel` is anything else (a symlink, a whiteout, a file) hides
   * the layers below it, so nothing is inherited; a lower without `rel` is skipped.
   */
  function inheritDir(abs: string, rel: string): void {
    for (const lower of lowerDirs) {
      const found = lowerDirAt(lower, rel);
      if (found === "absent") continue;
      if (found === "hidden") return;
      const [src, st] = found;
      lchownSync(abs, st.uid ?? 0, st.gid ?? 0);
      Deno.chmodSync(abs, (st.mode ?? 0o755) & 0o7777);
      for (const name of llistxattr(src)) {
        if (name.startsWith("trusted.overlay.")) continue;
        const v = lgetxattr(src, name);
        if (v) lsetxattr(abs, name, v);
      }
      dirTimes.push([abs, (st.mtime?.getTime() ?? 0) / 1000]);
      return;
    }
  }

  /** Remove whatever is at `rel` (unless it is a directory and `keepDir`). */
  function clear(rel: string, keepDir: boolean): Deno.FileInfo | null {
    const abs = join(dest, rel);
    const st = lstatOrNull(abs);
    if (st === null) return null;
    if (st.isDirectory && keepDir) return st;
    Deno.removeSync(abs, { recursive: st.isDirectory });
    if (st.isDirectory) {
      for (const d of [...dirs]) if (d === rel || d.startsWith(rel + "/")) dirs.delete(d);
    }
    return null;
  }

  function applyMeta(abs: string, h: TarHeader, isDir: boolean): void {
    lchownSync(abs, h.uid, h.gid);
    if (h.type !== "symlink") Deno.chmodSync(abs, h.mode & 0o7777);
    for (const [name, value] of h.xattrs) {
      if (name.startsWith("trusted.overlay.")) continue; // berth's own format; never from a tar
      try {
        lsetxattr(abs, name, value);
      } catch (err) {
        const what = err instanceof LibcError ? err.message : String(err);
        throw new ImageError(`layer entry ${h.name}: cannot set xattr ${name}: ${what}`);
      }
    }
    if (isDir) dirTimes.push([abs, h.mtime]);
    else lutimesSync(abs, h.mtime, h.mtime);
  }

  for await (const entry of entries) {
    const h = entry.header;
    stats.entries++;
    const parts = cleanEntryPath(h.name);
    if (parts.length === 0) continue; // the root keeps the mode set above

    const base = parts[parts.length - 1];
    const parentRel = ensureParents(parts, h.name);
    const rel = parentRel ? `${parentRel}/${base}` : base;
    const abs = join(dest, rel);

    if (base.startsWith(WH)) {
      const parentAbs = join(dest, parentRel);
      if (base === OPAQUE) lsetxattr(parentAbs, OPAQUE_XATTR, yes);
      else if (!base.startsWith(WH + WH)) {
        const target = base.slice(WH.length);
        const targetRel = parentRel ? `${parentRel}/${target}` : target;
        // A whiteout hides lower layers only: what this layer wrote stays.
        if (lstatOrNull(join(dest, targetRel)) === null) {
          mknod(join(dest, targetRel), S_IFCHR | 0o000, 0, 0);
        }
      }
      continue;
    }

    switch (h.type) {
      case "dir": {
        const before = lstatOrNull(abs);
        const whiteout = before !== null && isWhiteoutDevice(before);
        const kept = clear(rel, true);
        if (!kept) Deno.mkdirSync(abs);
        if (whiteout) lsetxattr(abs, OPAQUE_XATTR, yes);
        dirs.add(rel);
        applyMeta(abs, h, true);
        break;
      }
      case "file": {
        clear(rel, false);
        const f = Deno.openSync(abs, { createNew: true, write: true, mode: 0o600 });
        try {
          for await (const chunk of entry.body()) {
            let off = 0;
            while (off < chunk.length) off += f.writeSync(chunk.subarray(off));
            stats.bytes += chunk.length;
          }
        } finally {
          f.close();
        }
        applyMeta(abs, h, false);
        break;
      }
      case "symlink":
        clear(rel, false);
        Deno.symlinkSync(h.linkname, abs);
        applyMeta(abs, h, false);
        break;
      case "hardlink": {
        const targetParts = cleanEntryPath(h.linkname);
        const targetAbs = resolveExisting(dest, targetParts, h);
        if (targetAbs === abs) break;
        clear(rel, false);
        Deno.linkSync(targetAbs, abs);
        break;
      }
      case "char":
      case "block":
      case "fifo": {
        clear(rel, false);
        const kind = h.type === "char" ? S_IFCHR : h.type === "block" ? S_IFBLK : S_IFIFO;
        mknod(abs, kind | 0o600, h.devmajor, h.devminor);
        applyMeta(abs, h, false);
        break;
      }
      default:
        throw new ImageError(
          `layer entry ${JSON.stringify(h.name)}: unsupported tar entry type '${h.typeflag}'`,
        );
    }
  }
  for (const [abs, mtime] of dirTimes) lutimesSync(abs, mtime, mtime);
  return stats;
}

/**
 * `rel` inside the lower layer `lower`, walked one component at a time with `lstat` so that a
 * symlink in the layer (`a -> /host/dir`) is never followed out of it: the path and its
 * `lstat` when every component is a real directory; "hidden" when a component is something
 * else (a symlink, a whiteout, a file) or is missing below an opaque directory, since either
 * hides the layers further down; "absent" when a component is just missing.
 */
function lowerDirAt(
  lower: string,
  rel: string,
): [string, Deno.FileInfo] | "absent" | "hidden" {
  let abs = lower;
  let st: Deno.FileInfo | null = null;
  let opaque = false;
  for (const part of rel.split("/")) {
    abs = join(abs, part);
    st = lstatOrNull(abs);
    if (st === null) return opaque ? "hidden" : "absent";
    if (!st.isDirectory) return "hidden";
    opaque = isOpaque(abs);
  }
  return st === null ? "absent" : [abs, st];
}

function isOpaque(dir: string): boolean {
  const v = lgetxattr(dir, OPAQUE_XATTR);
  return v !== undefined && v.length === 1 && v[0] === yes[0];
}

/** The absolute path of an existing non-directory inside `dest`, reached without symlinks. */
function resolveExisting(dest: string, parts: string[], h: TarHeader): string {
  if (parts.length === 0) throw new ImageError(`hardlink ${h.name} points at the layer root`);
  let abs = dest;
  for (let i = 0; i < parts.length; i++) {
    abs = join(abs, parts[i]);
    const st = lstatOrNull(abs);
    const last = i === parts.length - 1;
    if (st === null) {
      throw new ImageError(
        `hardlink ${JSON.stringify(h.name)} → ${
          JSON.stringify(h.linkname)
        }: target not in this layer`,
      );
    }
    if (!last && !st.isDirectory) {
      throw new ImageError(
        `hardlink ${JSON.stringify(h.name)} → ${
          JSON.stringify(h.linkname)
        }: goes through a non-directory`,
      );
    }
    if (last && st.isDirectory) {
      throw new ImageError(`hardlink ${JSON.stringify(h.name)}: target is a directory`);
    }
  }
  return abs;
}
