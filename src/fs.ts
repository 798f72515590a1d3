/**
 * Filesystem questions asked in several places, answered without throwing for absence.
 *
 * @module
 */

/** True if something (a file, a directory, a dangling symlink) is at `path`. */
export function pathExists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** True if `path` is a directory (following symlinks). */
export function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/** `lstat` of `path`, or null if nothing is there (other errors are thrown). */
export function lstatOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
}

/** Delete each of `paths` that is there; a path that is not (or cannot go) is left alone. */
export function removeIfPresent(...paths: string[]): void {
  for (const path of paths) {
    try {
      Deno.removeSync(path);
    } catch { /* absent */ }
  }
}
