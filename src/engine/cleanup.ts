/**
 * cleanup: what conmon's exit command (`berth container cleanup [--rm] ID`) does, and what
 * any berth process does when it finds the cleanup missing. Sync (record the code if nobody
 * has), delete the container from the runtime, release its root filesystem, move it to
 * `exited` (or back to `created` if it never started), remove it if asked, prune old exit
 * codes. Idempotent: lost races ("no such container", "already exited") are success.
 *
 * @module
 */
import { StateError } from "../errors.ts";
import { pruneExitCodes } from "../store/exit_codes.ts";
import { immediate } from "../store/db.ts";
import type { Engine } from "./engine.ts";
import { hasProcess, needsRuntimeRelease } from "./states.ts";
import { syncContainer } from "./sync.ts";
import { withContainerLock } from "./lock.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { releaseRuntimeLocked, removeLocked } from "./teardown.ts";
import { log } from "../log.ts";

/** What a cleanup call should do beyond releasing the runtime. */
export interface CleanupOptions {
  /** Remove the container afterwards (`--rm`). */
  remove: boolean;
}

/**
 * Clean up container `id` after its process exited. A container that is already gone or
 * already clean is success.
 *
 * @throws {StateError} if the container is still running
 */
export async function cleanupContainer(
  engine: Engine,
  id: string,
  opts: CleanupOptions,
): Promise<void> {
  await withContainerLock(engine, id, async () => {
    const row = syncAndCheck(engine, id);
    if (!row) return;
    if (hasProcess(row.state)) {
      throw new StateError(`container ${id} is ${row.state}, refusing to clean up`);
    }
    if (needsRuntimeRelease(row.state)) {
      await releaseRuntimeLocked(engine, row);
    }
    if (opts.remove) {
      const current = syncContainer(engine, id);
      if (current) await removeLocked(engine, current);
    }
  });
  prune(engine);
}

/** Delete exit codes older than five minutes whose container is gone. */
export function prune(engine: Engine): void {
  try {
    const n = immediate(engine.store, () => pruneExitCodes(engine.store, engine.now()));
    if (n) log("debug", `pruned ${n} old exit code(s)`);
  } catch (err) {
    log("warn", `pruning exit codes: ${(err as Error).message}`);
  }
}
