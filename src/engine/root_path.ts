/**
 * Resolving a path as a container sees it to a path on the host, without ever leaving the
 * container: the root filesystem plus its bind-mounted volumes. Symlinks (absolute or
 * relative, in any component) are followed inside the container, `..` stops at its root, and a
 * path under a volume's destination maps into the volume's host source (the longest matching
 * destination wins), so a link to `/etc/passwd` names the container's file, never the host's.
 *
 * The same code serves the host side of `cp` with a view whose root is `/`.
 *
 * @module
 */
import { join } from "node:path";

/** A bind mount in a {@linkcode RootView}. */
export interface ViewMount {
  /** Absolute, clean path in the container. */
  destination: string;
  /** Host directory (or file) mounted there. */
  source: string;
  readOnly: boolean;
}

/** A container's filesystem as seen from the host. */
export interface RootView {
  /** Host directory holding the container's `/`. */
  root: string;
  rootReadOnly: boolean;
  mounts: ViewMount[];
}

/** Where a container path lives on the host. */
export interface HostLocation {
  host: string;
  readOnly: boolean;
}

/** The view of the host itself (`/`, no mounts). */
export function hostView(): RootView {
  return { root: "/", rootReadOnly: false, mounts: [] };
}

/** Split a path into its components, dropping empty ones and `.`; `..` is kept. */
export function splitPath(path: string): string[] {
  return path.split("/").filter((p) => p !== "" && p !== ".");
}

/** Clean an absolute container path lexically (`..` stops at `/`). */
export function cleanContainerPath(path: string): string {
  const out: string[] = [];
  for (const p of splitPath(path)) {
    if (p === "..") out.pop();
    else out.push(p);
  }
  return "/" + out.join("/");
}

/**
 * The host location of `cpath`, a clean absolute container path whose components are
 * already resolved (no symlink left in them but possibly the last).
 */
export function hostLocation(view: RootView, cpath: string): HostLocation {
  let best: ViewMount | undefined;
  for (const m of view.mounts) {
    if (
      cpath === m.destination || cpath.startsWith(m.destination === "/" ? "/" : `${m.destination}/`)
    ) {
      if (!best || m.destination.length > best.destination.length) best = m;
    }
  }
  if (best) {
    const rest = cpath.slice(best.destination.length);
    return { host: rest ? join(best.source, rest) : best.source, readOnly: best.readOnly };
  }
  return { host: join(view.root, cpath), readOnly: view.rootReadOnly };
}

/** The outcome of {@linkcode resolveInView}. */
export interface Resolved {
  /** The resolved container path (clean, absolute; symlinks in it followed). */
  cpath: string;
  host: string;
  readOnly: boolean;
  /** `lstat` of `host`, or null when nothing is there. */
  stat: Deno.FileInfo | null;
}

/** Too many symlinks while resolving (the kernel's limit is 40 too). */
export class SymlinkLoopError extends Error {
  constructor(path: string) {
    super(`${path}: too many levels of symbolic links`);
  }
}

const MAX_LINKS = 40;

function lstatOrNull(p: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(p);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) {
      return null;
    }
    throw err;
  }
}

/**
 * Resolve `path` (absolute or relative to the container's `/`) in `view`: every symlink on
 * the way is read and followed inside the view, the last one only with `followLast`. A
 * missing component ends the walk: the rest is appended lexically and `stat` is null.
 *
 * @throws {SymlinkLoopError} after 40 symlinks
 */
export function resolveInView(view: RootView, path: string, followLast = true): Resolved {
  const todo = splitPath(path);
  let done: string[] = [];
  let links = 0;
  while (todo.length) {
    const part = todo.shift()!;
    if (part === "..") {
      done.pop();
      continue;
    }
    const candidate = [...done, part];
    const loc = hostLocation(view, "/" + candidate.join("/"));
    const st = lstatOrNull(loc.host);
    const last = todo.length === 0;
    if (st === null) {
      // Nothing here, so nothing below either: keep the rest lexically (for messages, and
      // as the name of something to create).
      done = candidate;
      for (const p of todo) {
        if (p === "..") done.pop();
        else done.push(p);
      }
      const cpath = "/" + done.join("/");
      return { cpath, ...hostLocation(view, cpath), stat: null };
    }
    if (st.isSymlink && (!last || followLast)) {
      if (++links > MAX_LINKS) throw new SymlinkLoopError(path);
      const target = Deno.readLinkSync(loc.host);
      if (target.startsWith("/")) done = [];
      todo.unshift(...splitPath(target));
      continue;
    }
    if (!last && !st.isDirectory) {
      // `file/...` does not exist (ENOTDIR), even `file/..`.
      const cpath = "/" + [...candidate, ...todo].join("/");
      return { cpath, ...hostLocation(view, cpath), stat: null };
    }
    done = candidate;
  }
  const cpath = "/" + done.join("/");
  const loc = hostLocation(view, cpath);
  return { cpath, host: loc.host, readOnly: loc.readOnly, stat: lstatOrNull(loc.host) };
}
