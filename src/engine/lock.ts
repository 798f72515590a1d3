/**
 * Per-container locks: `flock` on `<runroot>/locks/<id>`. They serialise the operations that
 * act on the runtime (start, cleanup, remove), and the kernel releases them when a holder
 * dies, so a crashed berth never leaves a container locked. Never held while waiting for a
 * container to exit, and never taken twice in one process (flock is per open file).
 *
 * @module
 */
import type { Engine } from "./engine.ts";
import { containerPaths } from "./paths.ts";
import { pathExists, removeIfPresent } from "../fs.ts";
import { withFileLock } from "../file_lock.ts";

/**
 * Run `fn` holding the exclusive lock of container `id`. Whoever holds it when the container
 * is gone (removed by `fn`, or before: a late cleanup, a second `rm`) deletes the lock file,
 * so a removed container leaves none behind.
 */
export async function withContainerLock<T>(
  engine: Engine,
  id: string,
  fn: () => Promise<T> | T,
): Promise<T> {
  const p = containerPaths(engine.paths, id);
  return await withFileLock(p.lockFile, fn, () => {
    if (!pathExists(p.dir)) removeIfPresent(p.lockFile);
  });
}
