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

/**
 * Write the file at `path` through `fill`, into a temporary file beside it that is renamed
 * into place only when `fill` succeeds: a failed write leaves no half-written file behind
 * (and a file already at `path` as it was).
 */
export async function writeFileAtomically(
  path: string,
  fill: (f: Deno.FsFile) => Promise<void>,
): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  const f = await Deno.open(tmp, { create: true, truncate: true, write: true });
  try {
    await fill(f);
    f.close();
    await Deno.rename(tmp, path);
  } catch (err) {
    try {
      f.close();
    } catch { /* closed */ }
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
}
