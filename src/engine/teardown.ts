/**
 * Teardown that cleanup, stop, start and rm share: release a container's runtime state and
 * mounts, remove a container whose process is gone, and finish an `--rm` removal a dead
 * cleanup process missed. Kept apart so the operation files do not import each other.
 *
 * @module
 */
import { isRemoving, needsRuntimeRelease, stateAfterCleanup } from "./states.ts";
import { removalMissed } from "./decide/after_exit.ts";
import { type ContainerRow, deleteContainer } from "../store/containers.ts";
import { immediate } from "../store/db.ts";
import type { Engine } from "./engine.ts";
import { containerPaths } from "./paths.ts";
import { mutate, transition } from "./sync.ts";
import { withContainerLock } from "./lock.ts";
import { unmountRootfs } from "./rootfs.ts";
import { tearDownNetwork } from "./network_attach.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { notifyChange } from "./notify.ts";
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
    await runtimeDelete(
      resolveRuntime(row.spec.runtime, engine.paths.runroot, engine.opts.runtimeFlags),
      id,
    );
  } catch (err) {
    log("warn", `cleanup ${id}: ${(err as Error).message}`);
  }
  await tearDownNetwork(engine, id);
  await unmountRootfs(engine, row);
  mutate(engine, id, (r) => {
    const next = stateAfterCleanup(r.state);
    if (next === undefined) return false;
    transition(r, next, engine.now());
    r.conmonPid = 0;
    r.pid = 0;
    return true;
  });
  const p = containerPaths(engine.paths, id);
  removeIfPresent(p.exitFile, p.pidFile, p.conmonPidFile);
  log("debug", `phase cleanup-done ${id.slice(0, 12)}`);
}

/** Remove a container whose process is gone. Caller holds the lock. */
export async function removeLocked(engine: Engine, row: ContainerRow): Promise<void> {
  const id = row.id;
  if (needsRuntimeRelease(row.state)) {
    await releaseRuntimeLocked(engine, row);
  }
  mutate(engine, id, (r) => {
    if (isRemoving(r.state)) return false;
    transition(r, "removing", engine.now());
    return true;
  });
  await tearDownNetwork(engine, id); // a start that died half-way left one
  await unmountRootfs(engine, row);
  const p = containerPaths(engine.paths, id);
  for (const dir of [p.dir, p.runDir, p.persistDir]) {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  immediate(engine.store, () => deleteContainer(engine.store, id));
  removeIfPresent(p.exitFile); // the lock file goes as the lock is released (lock.ts)
  notifyChange(engine, id);
  removeIfPresent(p.notifyFile);
  log("debug", `phase removed ${id.slice(0, 12)}`);
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
