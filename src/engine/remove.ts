/**
 * rm: clean up if needed, mark `removing`, delete the container's files, delete its row.
 * Its exit code row stays. With force, a running container is stopped first as podman's
 * `rm -f` does (outside the lock: the stop signal, SIGKILL after the timeout), so a service
 * container gets its chance to shut down cleanly.
 *
 * @module
 */
import { ContainerRunningError, NoSuchContainerError, StateError } from "../errors.ts";
import type { Engine } from "./engine.ts";
import { canRemoveWithoutForce } from "./states.ts";
import { withContainerLock } from "./lock.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { removeLocked } from "./teardown.ts";
import { stopContainer } from "./stop.ts";
import { log } from "../log.ts";
import { checkNoDependents } from "./dependencies.ts";

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
      checkNoDependents(engine, id);
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
