/**
 * Resolving a path as a container sees it to a path on the host, without ever leaving the
 * container: the root filesystem plus its bind-mounted volumes. Symlinks (absolute or
 * relative, in any component) are followed inside the container, `..` stops at its root, and a
 * path under a volume's destination maps into the volume's host source (the longest matching
 * destination wins), so a link to `/etc/passwd` names the container's file, never the host's.
 *
 * The walk holds an fd of each directory on the way and opens the next component relative to
 * it without following a symlink, so a path the container swaps for a symlink meanwhile can
 * never lead the walk to the host.
 *
 * The same code serves the host side of `cp` with a view whose root is `/`.
 *
 * @module
 */
import { LibcError, SymlinkLoopError } from "../errors.ts";
import { join } from "../path.ts";
import type { ContainerRow } from "../store/containers.ts";
import {
  AT_FDCWD,
  closeFd,
  ENOENT,
  ENOTDIR,
  O_DIRECTORY,
  O_NOFOLLOW,
  O_PATH,
  openAt,
  readLinkAt,
  type Stat,
  statAt,
} from "../archive/fd.ts";

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

/** The view of a container whose root filesystem is at `root`. */
export function containerView(row: ContainerRow, root: string): RootView {
  return {
    root,
    rootReadOnly: row.spec.readOnly,
    mounts: row.spec.volumes.map((v) => ({
      destination: cleanContainerPath(v.destination),
      source: v.source,
      readOnly: v.readOnly,
    })),
  };
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

/** A file of a view held open: an `O_PATH` fd, never a path to resolve again. */
export interface Handle {
  /** `O_PATH` fd; the owner closes it (see {@linkcode closeHandle}). */
  fd: number;
  /** Its resolved container path. */
  cpath: string;
  readOnly: boolean;
  /** `statx` of the fd (a symlink itself when one was opened). */
  stat: Stat;
}

/** Close a handle's fd. */
export function closeHandle(h: Handle | null | undefined): void {
  if (h) closeFd(h.fd);
}

/** The mount whose destination is exactly `cpath` (the last one listed, as the kernel stacks). */
function mountAt(view: RootView, cpath: string): ViewMount | undefined {
  let found: ViewMount | undefined;
  for (const m of view.mounts) if (m.destination === cpath) found = m;
  return found;
}

function missing(err: unknown): boolean {
  return err instanceof LibcError && (err.errno === ENOENT || err.errno === ENOTDIR);
}

/** The view's `/`. @throws {LibcError} when it cannot be opened */
export function openRoot(view: RootView): Handle {
  const m = mountAt(view, "/");
  const fd = openAt(AT_FDCWD, m ? m.source : view.root, O_PATH | O_DIRECTORY);
  return { fd, cpath: "/", readOnly: m ? m.readOnly : view.rootReadOnly, stat: statAt(fd, "")! };
}

/**
 * Open `name` (one component, not `.` or `..`) of the directory `dir` as the view sees it: a
 * volume's destination opens the volume's host source, anything else is opened relative to
 * `dir`'s fd without following a symlink. Null when nothing is there.
 *
 * @throws {LibcError} on other failures
 */
export function openChild(view: RootView, dir: Handle, name: string): Handle | null {
  const cpath = joinContainer(dir.cpath, name);
  const m = mountAt(view, cpath);
  let fd: number;
  try {
    fd = m ? openAt(AT_FDCWD, m.source, O_PATH) : openAt(dir.fd, name, O_PATH | O_NOFOLLOW);
  } catch (err) {
    if (missing(err)) return null;
    throw err;
  }
  try {
    const stat = statAt(fd, "")!;
    return { fd, cpath, readOnly: m ? m.readOnly : dir.readOnly, stat };
  } catch (err) {
    closeFd(fd);
    throw err;
  }
}

/** Join a clean absolute container path and a relative one. */
export function joinContainer(dir: string, rel: string): string {
  if (rel === "") return dir;
  return dir === "/" ? `/${rel}` : `${dir}/${rel}`;
}

/** The outcome of {@linkcode openInView}. */
export interface Opened {
  /** The resolved container path (clean, absolute; symlinks in it followed). */
  cpath: string;
  readOnly: boolean;
  /** What is there, open; null when nothing is. The caller closes it. */
  handle: Handle | null;
}

/**
 * Resolve `path` (absolute or relative to the container's `/`) in `view`, one component at a
 * time from an fd of the one before (never by a path string, so a component swapped for a
 * symlink meanwhile is seen as one and followed inside the view): every symlink on the way is
 * read and followed inside the view, the last one only with `followLast`. A missing component
 * ends the walk: the rest is appended lexically and `handle` is null.
 *
 * @throws {SymlinkLoopError} after 40 symlinks
 */
export function openInView(view: RootView, path: string, followLast = true): Opened {
  const todo = splitPath(path);
  const stack: Handle[] = [openRoot(view)];
  const lexical = (cpath: string): Opened => ({
    cpath,
    readOnly: hostLocation(view, cpath).readOnly,
    handle: null,
  });
  let links = 0;
  try {
    while (todo.length) {
      const part = todo.shift()!;
      if (part === "..") {
        if (stack.length > 1) closeFd(stack.pop()!.fd);
        continue;
      }
      const top = stack[stack.length - 1];
      const last = todo.length === 0;
      const child = openChild(view, top, part);
      if (child === null) {
        // Nothing here, so nothing below either: keep the rest lexically (for messages, and
        // as the name of something to create).
        const done = [...splitPath(top.cpath), part];
        for (const p of todo) {
          if (p === "..") done.pop();
          else done.push(p);
        }
        return lexical("/" + done.join("/"));
      }
      if (child.stat.isSymlink && (!last || followLast)) {
        let target: string;
        try {
          if (++links > MAX_LINKS) throw new SymlinkLoopError(path);
          target = readLinkAt(child.fd, "");
        } finally {
          closeFd(child.fd);
        }
        if (target.startsWith("/")) { while (stack.length > 1) closeFd(stack.pop()!.fd); }
        todo.unshift(...splitPath(target));
        continue;
      }
      if (!last && !child.stat.isDirectory) {
        // `file/...` does not exist (ENOTDIR), even `file/..`.
        closeFd(child.fd);
        return lexical("/" + [...splitPath(top.cpath), part, ...todo].join("/"));
      }
      stack.push(child);
    }
    const h = stack.pop()!;
    return { cpath: h.cpath, readOnly: h.readOnly, handle: h };
  } finally {
    for (const h of stack) closeFd(h.fd);
  }
}

/** The outcome of {@linkcode resolveInView}. */
export interface Resolved {
  /** The resolved container path (clean, absolute; symlinks in it followed). */
  cpath: string;
  /** Where that is on the host (for messages and tests: never opened by this path). */
  host: string;
  readOnly: boolean;
  /** What is there (not following a last symlink), or null when nothing is. */
  stat: Stat | null;
}

const MAX_LINKS = 40;

/**
 * {@linkcode openInView}, closing what it opened: the resolved path and what is there.
 *
 * @throws {SymlinkLoopError} after 40 symlinks
 */
export function resolveInView(view: RootView, path: string, followLast = true): Resolved {
  const o = openInView(view, path, followLast);
  closeHandle(o.handle);
  return {
    cpath: o.cpath,
    host: hostLocation(view, o.cpath).host,
    readOnly: o.readOnly,
    stat: o.handle?.stat ?? null,
  };
}
