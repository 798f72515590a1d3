/**
 * Cross-process exclusive locks on files (`flock` through `Deno.FsFile.lock`).
 *
 * @module
 */
import { join } from "../path.ts";
import { withFileLock } from "../file_lock.ts";

/**
 * Run `fn` while holding the exclusive lock `<dir>/<name>.lock` (waiting for other
 * processes). The lock is released when `fn` settles or the process dies.
 */
export async function withLock<T>(
  dir: string,
  name: string,
  fn: () => Promise<T> | T,
): Promise<T> {
  return await withFileLock(join(dir, `${name}.lock`), fn);
}
