/**
 * Describe a directory tree exactly (type, mode, owner, times, content, link target,
 * device numbers, xattrs, hardlink groups) for comparisons between extractors.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { lgetxattr, llistxattr, splitDev } from "../../src/archive/libc.ts";

/** Options for {@linkcode describeTree}. */
export interface TreeOptions {
  /** Compare directory mtimes too (default false: extractors differ on implicit dirs). */
  dirTimes?: boolean;
}

/** path → one-line description, for every entry under `root` (not root itself). */
export function describeTree(root: string, opts: TreeOptions = {}): Map<string, string> {
  const out = new Map<string, string>();
  const inodes = new Map<number, string>();
  const walk = (rel: string) => {
    const names = [...Deno.readDirSync(join(root, rel))].map((e) => e.name).sort();
    for (const name of names) {
      const r = rel ? `${rel}/${name}` : name;
      const abs = join(root, r);
      const st = Deno.lstatSync(abs);
      const type = st.isFile
        ? "file"
        : st.isDirectory
        ? "dir"
        : st.isSymlink
        ? "symlink"
        : st.isFifo
        ? "fifo"
        : st.isCharDevice
        ? "char"
        : st.isBlockDevice
        ? "block"
        : "other";
      const parts = [
        type,
        `mode=${(st.mode! & 0o7777).toString(8)}`,
        `uid=${st.uid}`,
        `gid=${st.gid}`,
      ];
      if (type !== "dir" || opts.dirTimes) parts.push(`mtime=${st.mtime?.getTime()}`);
      if (st.isFile) {
        parts.push(
          `sha=${createHash("sha256").update(Deno.readFileSync(abs)).digest("hex").slice(0, 16)}`,
        );
        if (st.nlink! > 1) {
          const first = inodes.get(st.ino!);
          if (first) parts.push(`link=${first}`);
          else inodes.set(st.ino!, r);
        }
      }
      if (st.isSymlink) parts.push(`target=${Deno.readLinkSync(abs)}`);
      if (st.isCharDevice || st.isBlockDevice) {
        const d = splitDev(st.rdev!);
        parts.push(`dev=${d.major}:${d.minor}`);
      }
      for (const x of llistxattr(abs).sort()) {
        if (x.startsWith("trusted.overlay.")) continue;
        parts.push(`xattr:${x}=${Array.from(lgetxattr(abs, x) ?? []).join(",")}`);
      }
      out.set(r, parts.join(" "));
      if (st.isDirectory) walk(r);
    }
  };
  walk("");
  return out;
}

/** Differences between two descriptions, as readable lines (empty when equal). */
export function diffTrees(a: Map<string, string>, b: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [k, v] of a) {
    if (!b.has(k)) lines.push(`only in first: ${k} (${v})`);
    else if (b.get(k) !== v) lines.push(`${k}:\n  ${v}\n  ${b.get(k)}`);
  }
  for (const [k, v] of b) if (!a.has(k)) lines.push(`only in second: ${k} (${v})`);
  return lines;
}
