/**
 * What a layer in overlay form changes against the layers below it, as podman's `diff`
 * reports it: `A` added, `C` changed (metadata or content differ from below; a directory
 * whose entries changed has a new mtime), `D` deleted (an overlay whiteout, or an entry
 * below an opaque directory that the layer does not have). Paths are absolute, sorted.
 *
 * @module
 */
import { join } from "../path.ts";
import { lgetxattr } from "../archive/libc.ts";

/** One change. */
export interface Change {
  kind: "A" | "C" | "D";
  path: string;
}

function lstat(path: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(path);
  } catch {
    return null;
  }
}

function isWhiteout(st: Deno.FileInfo): boolean {
  return st.isCharDevice === true && st.rdev === 0;
}

function isOpaque(path: string): boolean {
  const v = lgetxattr(path, "trusted.overlay.opaque");
  return v?.length === 1 && v[0] === 0x79; // "y"
}

/** The entry at `rel` as the lowers show it (topmost first): stat, or null if absent. */
function below(lowers: string[], rel: string): Deno.FileInfo | null {
  for (const l of lowers) {
    const st = lstat(join(l, rel));
    if (st) return isWhiteout(st) ? null : st;
  }
  return null;
}

function differs(a: Deno.FileInfo, b: Deno.FileInfo): boolean {
  return a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid ||
    (!a.isDirectory && a.size !== b.size) ||
    a.mtime?.getTime() !== b.mtime?.getTime();
}

/** Names in directory `rel` as the lowers show it. */
function namesBelow(lowers: string[], rel: string): Set<string> {
  const names = new Set<string>();
  const gone = new Set<string>();
  for (const l of lowers) {
    const dir = join(l, rel);
    const st = lstat(dir);
    if (!st) continue;
    if (!st.isDirectory) break;
    for (const e of Deno.readDirSync(dir)) {
      if (names.has(e.name) || gone.has(e.name)) continue;
      const est = lstat(join(dir, e.name));
      if (est && isWhiteout(est)) gone.add(e.name);
      else names.add(e.name);
    }
    if (isOpaque(dir)) break;
  }
  return names;
}

/**
 * The changes of the overlay-form layer `upper` over `lowers` (topmost first).
 * A missing `upper` (a container never started) changes nothing.
 */
export function layerChanges(upper: string, lowers: string[]): Change[] {
  const out: Change[] = [];
  const walk = (rel: string, added: boolean) => {
    const dir = join(upper, rel);
    let entries;
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch {
      return;
    }
    const here = new Set<string>();
    for (const e of entries) {
      here.add(e.name);
      const r = `${rel}/${e.name}`;
      const st = lstat(join(upper, r));
      if (!st) continue;
      if (isWhiteout(st)) {
        if (!added && below(lowers, r)) out.push({ kind: "D", path: r });
        continue;
      }
      const old = added ? null : below(lowers, r);
      if (!old) out.push({ kind: "A", path: r });
      else if (st.isDirectory !== old.isDirectory || differs(st, old)) {
        out.push({ kind: "C", path: r });
      }
      if (st.isDirectory) walk(r, !old || !old.isDirectory);
    }
    if (!added && rel !== "" && isOpaque(dir)) {
      for (const n of namesBelow(lowers, rel)) {
        if (!here.has(n)) out.push({ kind: "D", path: `${rel}/${n}` });
      }
    }
  };
  walk("", false);
  return out.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** The changes of an image's top layer against its parent layers (all added for one layer). */
export function imageChanges(
  layerDirs: string[],
): Change[] {
  const [top, ...lowers] = layerDirs;
  return top ? layerChanges(top, lowers) : [];
}
