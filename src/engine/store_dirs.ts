/**
 * Refusing `--root` and `--runroot` directories that someone else could have prepared: berth
 * runs as root and executes what it keeps there (the crun wrapper in the runroot) and trusts
 * what it reads (the database, bundles, credentials). Like podman, a directory that already
 * exists must belong to the caller and must not be writable by group or others. Every
 * directory on the way to it (symlinks followed) must belong to the caller or to root and be
 * writable by group or others only with the sticky bit (as `/tmp` is), so nobody else can
 * swap a component after the check. What does not exist yet berth creates itself, mode 0700.
 *
 * @module
 */
import { dirname, join } from "../path.ts";
import { UnsafeDirectoryError } from "../errors.ts";
import { splitPath } from "./root_path.ts";

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

/** Why directory `st` may not be used (`final`: the store directory itself), or undefined. */
export function unsafeReason(
  st: { uid: number | null; mode: number | null },
  final: boolean,
  uid: number,
): string | undefined {
  const owner = st.uid ?? -1;
  const mode = (st.mode ?? 0) & 0o7777;
  const octal = mode.toString(8).padStart(4, "0");
  if (final) {
    if (owner !== uid) return `is owned by uid ${owner}, not by the caller (uid ${uid})`;
    if (mode & 0o022) return `is writable by group or others (mode ${octal})`;
    return undefined;
  }
  if (owner !== uid && owner !== 0) {
    return `is owned by uid ${owner}, neither the caller (uid ${uid}) nor root`;
  }
  if ((mode & 0o022) && !(mode & 0o1000)) {
    return `is writable by group or others without the sticky bit (mode ${octal})`;
  }
  return undefined;
}

/**
 * Check the store directory `path` (absolute) before anything is created in it.
 *
 * @throws {UnsafeDirectoryError} naming `path` (and the offending directory on the way)
 */
export function checkStoreDir(path: string, what: string, uid = Deno.uid() ?? 0): void {
  const refuse = (dir: string, reason: string): never => {
    const subject = dir === path ? path : `${path}: ${dir}`;
    throw new UnsafeDirectoryError(`${what} directory ${subject} ${reason}; refusing to use it`);
  };
  const todo = splitPath(path);
  let cur = "/";
  let links = 0;
  const rootSt = Deno.lstatSync("/");
  const rootWhy = unsafeReason(rootSt, todo.length === 0, uid);
  if (rootWhy) refuse("/", rootWhy);
  while (todo.length) {
    const part = todo.shift()!;
    if (part === "..") {
      cur = dirname(cur);
      continue;
    }
    const next = join(cur, part);
    const st = lstatOrNull(next);
    // Absent: berth creates the rest (0700) inside `cur`, which was checked.
    if (st === null) return;
    if (st.isSymlink) {
      if (++links > MAX_LINKS) refuse(next, "has too many levels of symbolic links");
      const target = Deno.readLinkSync(next);
      if (target.startsWith("/")) cur = "/";
      todo.unshift(...splitPath(target));
      continue;
    }
    // Not a directory: creating the store in it fails with its own message.
    if (!st.isDirectory) return;
    const why = unsafeReason(st, todo.length === 0, uid);
    if (why) refuse(next, why);
    cur = next;
  }
}
