/**
 * Per-container locks: `flock` on `<runroot>/locks/<id>`. They serialise the operations that
 * act on the runtime (start, cleanup, remove), and the kernel releases them when a holder
 * dies, so a crashed berth never leaves a container locked. Never held while waiting for a
 * container to exit, and never taken twice in one process (flock is per open file).
 *
 * @module
 */
import type { Engine } from "./context.ts";
import { containerPaths } from "./paths.ts";

/** Run `fn` holding the exclusive lock of container `id`. */
export async function withContainerLock<T>(
  engine: Engine,
  id: string,
  fn: () => Promise<T> | T,
): Promise<T> {
  return await withFileLock(containerPaths(engine.paths, id).lockFile, fn);
}

/** Run `fn` holding an exclusive `flock` on `path` (created if absent). */
export async function withFileLock<T>(path: string, fn: () => Promise<T> | T): Promise<T> {
  const file = await Deno.open(path, { create: true, write: true });
  try {
    await file.lock(true);
    return await fn();
  } finally {
    file.close();
  }
}
