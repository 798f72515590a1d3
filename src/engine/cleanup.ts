/**
 * cleanup: what conmon's exit command (`berth container cleanup [--rm] ID`) does, and what
 * any berth process does when it finds the cleanup missing. Sync (record the code if nobody
 * has), delete the container from the runtime, release its root filesystem, move it to
 * `exited` (or back to `created` if it never started), remove it if asked, prune old exit
 * codes. Idempotent: lost races ("no such container", "already exited") are success. Which
 * steps are due is `decide/cleanup.ts`'s call.
 *
 * @module
 */
import { pruneExitCodes } from "../store/exit_codes.ts";
import { immediate } from "../store/db.ts";
import type { Engine } from "./engine.ts";
import { type CleanupOptions, decideCleanup } from "./decide/cleanup.ts";
import { syncContainer } from "./sync.ts";
import { withContainerLock } from "./lock.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { releaseRuntimeLocked, removeLocked } from "./teardown.ts";
import { log } from "../log.ts";

export type { CleanupOptions };

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
    const plan = decideCleanup(row, opts);
    if (plan.releaseRuntime) await releaseRuntimeLocked(engine, row);
    if (plan.remove) {
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
