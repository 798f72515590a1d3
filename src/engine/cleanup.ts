/**
 * cleanup: what conmon's exit command (`berth container cleanup [--rm] ID`) does, and what
 * any berth process does when it finds the cleanup missing. Sync (record the code if nobody
 * has), delete the container from the runtime, release its root filesystem, move it to
 * `exited` (or back to `created` if it never started), start it again if its restart policy
 * says so, else remove it if asked; prune old exit codes. Idempotent: lost races ("no such
 * container", "already exited") are success. Which steps are due is `decide/cleanup.ts`'s
 * call, whether to restart `restart_policy.ts`'s.
 *
 * @module
 */
import { errorMessage } from "../errors.ts";
import type { ContainerRow } from "../store/containers.ts";
import { pruneExitCodes } from "../store/exit_codes.ts";
import { immediate } from "../store/db.ts";
import type { Engine } from "./engine.ts";
import { hasExited } from "./states.ts";
import { type CleanupOptions, decideCleanup } from "./decide/cleanup.ts";
import { shouldRestart } from "./restart_policy.ts";
import { startLocked } from "./start.ts";
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
    const released = syncContainer(engine, id);
    if (released && hasExited(released.state) && shouldRestart(released)) {
      await restartByPolicy(engine, released);
      return;
    }
    if (plan.remove) {
      const current = syncContainer(engine, id);
      if (current) await removeLocked(engine, current);
    }
  });
  prune(engine);
}

/**
 * Carry out the restart policy of `row`, just cleaned up after an exit of its own. Caller
 * holds the lock, so a `stop` (which marks the container under the same lock before it
 * signals) either came first and prevented this, or comes after and stops the new run. A
 * failed restart leaves the container exited with the error recorded, as a failed start.
 */
async function restartByPolicy(engine: Engine, row: ContainerRow): Promise<void> {
  const policy = row.spec.restartPolicy!;
  log("debug", `restart ${row.id.slice(0, 12)}: policy ${policy.name}, exit ${row.exitCode}`);
  try {
    await startLocked(engine, row.id, { byPolicy: true });
  } catch (err) {
    log("warn", `restarting container ${row.id} (policy ${policy.name}): ${errorMessage(err)}`);
  }
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
