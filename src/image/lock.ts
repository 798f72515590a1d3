/**
 * Cross-process exclusive locks on files (`flock` through `Deno.FsFile.lock`).
 *
 * @module
 */
import { join } from "node:path";

/**
 * Run `fn` while holding the exclusive lock `<dir>/<name>.lock` (waiting for other
 * processes). The lock is released when `fn` settles or the process dies.
 */
export async function withLock<T>(dir: string, name: string, fn: () => Promise<T>): Promise<T> {
  const f = await Deno.open(join(dir, `${name}.lock`), { create: true, write: true });
  try {
    await f.lock(true);
    return await fn();
  } finally {
    f.close(); // closing drops the flock
  }
}
