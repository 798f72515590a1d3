/**
 * rm: clean up if needed, mark `removing`, delete the container's files, delete its row.
 * Its exit code row stays. With force, a running container is stopped first as podman's
 * `rm -f` does (outside the lock: the stop signal, SIGKILL after the timeout), so a service
 * container gets its chance to shut down cleanly.
 *
 * @module
 */
import { NoSuchContainerError, StateError } from "../errors.ts";
import { type ContainerRow, deleteContainer } from "../store/containers.ts";
import { immediate } from "../store/db.ts";
import type { Engine } from "./context.ts";
import { containerPaths } from "./paths.ts";
import { canRemoveWithoutForce } from "./states.ts";
import { mutate, transition } from "./sync.ts";
import { withContainerLock } from "./lock.ts";
import { unmountRootfs } from "./rootfs.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { releaseRuntimeLocked } from "./cleanup.ts";
import { stopContainer } from "./stop.ts";
import { notifyChange } from "./notify.ts";
import { log } from "../log.ts";
import { removeIfPresent } from "../fs.ts";

/** A running container refused by `rm` without `-f` (podman exits 2 for it). */
export class ContainerRunningError extends StateError {
  override exitCode = 2;
}

/** Remove a container whose process is gone. Caller holds the lock. */
export async function removeLocked(engine: Engine, row: ContainerRow): Promise<void> {
  const id = row.id;
  if (row.state !== "exited" && row.state !== "removing") {
    await releaseRuntimeLocked(engine, row);
  }
  mutate(engine, id, (r) => {
    if (r.state === "removing") return false;
    transition(r, "removing", engine.now());
    return true;
  });
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

/** Options of `rm`. */
export interface RemoveOptions {
  force: boolean;
  /** Seconds between the stop signal and SIGKILL (default: the container's stop timeout). */
  timeout?: number;
}

/**
 * Remove container `id`. A container already gone is success.
 *
 * @throws {ContainerRunningError} if it runs and `force` is false
 */
export async function removeContainer(
  engine: Engine,
  id: string,
  opts: RemoveOptions,
): Promise<void> {
  for (let attempt = 0;; attempt++) {
    const outcome = await withContainerLock(engine, id, async () => {
      const row = syncAndCheck(engine, id);
      if (!row) return "gone" as const;
      if (!canRemoveWithoutForce(row.state)) {
        if (!opts.force) {
          throw new ContainerRunningError(
            `cannot remove container ${id} as it is ${row.state} - running or paused containers cannot be removed without force: container state improper`,
          );
        }
        return row;
      }
      await removeLocked(engine, row);
      return "removed" as const;
    });
    if (outcome === "gone" || outcome === "removed") return;
    if (attempt >= 3) {
      throw new StateError(`container ${id} did not exit after SIGKILL; cannot remove it`);
    }
    try {
      // A second round (the container outlived the first) goes straight to SIGKILL.
      await stopContainer(engine, id, attempt === 0 ? opts.timeout : 0);
    } catch (err) {
      if (err instanceof NoSuchContainerError) return;
      // A dead monitor or a process that outlived SIGKILL: the next round decides.
      log("debug", `rm -f ${id.slice(0, 12)}: stop: ${(err as Error).message}`);
    }
  }
}
