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
import type { ContainerRow } from "../store/containers.ts";
import { pruneExitCodes } from "../store/exit_codes.ts";
import { immediate } from "../store/db.ts";
import type { Engine } from "./context.ts";
import { containerPaths } from "./paths.ts";
import { hasProcess } from "./states.ts";
import { mutate, syncContainer, transition } from "./sync.ts";
import { withContainerLock } from "./lock.ts";
import { unmountRootfs } from "./rootfs.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { removeLocked } from "./remove.ts";
import { log } from "../log.ts";
import { resolveRuntime, runtimeDelete } from "../oci/runtime.ts";
import { removeIfPresent } from "../fs.ts";

/**
 * Delete the runtime container, release mounts and transient files, and record the state
 * change (`stopped` → `exited`, `initialized` → `created`). Caller holds the lock.
 */
export async function releaseRuntimeLocked(engine: Engine, row: ContainerRow): Promise<void> {
  const id = row.id;
  try {
    await runtimeDelete(resolveRuntime(row.spec.runtime, engine.paths.runroot), id);
  } catch (err) {
    log("warn", `cleanup ${id}: ${(err as Error).message}`);
  }
  await unmountRootfs(engine, row);
  mutate(engine, id, (r) => {
    if (r.state === "stopped") transition(r, "exited", engine.now());
    else if (r.state === "initialized") transition(r, "created", engine.now());
    else return false;
    r.conmonPid = 0;
    r.pid = 0;
    return true;
  });
  const p = containerPaths(engine.paths, id);
  removeIfPresent(p.exitFile, p.pidFile, p.conmonPidFile);
  log("debug", `phase cleanup-done ${id.slice(0, 12)}`);
}

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
    if (row.state !== "exited" && row.state !== "removing") {
      await releaseRuntimeLocked(engine, row);
    }
    if (opts.remove) {
      const current = syncContainer(engine, id);
      if (current) await removeLocked(engine, current);
    }
  });
  prune(engine);
}

/**
 * True if `row` is an `--rm` container that is cleaned up (or half removed) but still here:
 * the process that moved it to `exited` was to remove it next and died first (a SIGKILLed
 * cleanup process). Whoever finds it so removes it, as that process would have.
 */
export function removalMissed(row: ContainerRow): boolean {
  return row.spec.autoRemove && (row.state === "exited" || row.state === "removing");
}

/**
 * Finish the removal of `--rm` container `id` if it is still due (re-checked under the
 * lock: a live cleanup process holding it removes the container first). Gone is success.
 */
export async function finishAutoRemove(engine: Engine, id: string): Promise<void> {
  await withContainerLock(engine, id, async () => {
    const row = syncAndCheck(engine, id);
    if (row && removalMissed(row)) {
      log("debug", `finishing the --rm removal of ${id.slice(0, 12)}`);
      await removeLocked(engine, row);
    }
  });
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
