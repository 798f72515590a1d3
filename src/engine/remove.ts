/**
 * rm: clean up if needed, mark `removing`, delete the container's files, delete its row.
 * Its exit code row stays. With force, a running container is stopped first as podman's
 * `rm -f` does (outside the lock: the stop signal, SIGKILL after the timeout), so a service
 * container gets its chance to shut down cleanly. What each round does is
 * `decide/remove.ts`'s call.
 *
 * @module
 */
import { NoSuchContainerError } from "../errors.ts";
import type { Engine } from "./engine.ts";
import { decideRemove, type RemoveOptions } from "./decide/remove.ts";
import { withContainerLock } from "./lock.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { removeLocked } from "./teardown.ts";
import { stopContainer } from "./stop.ts";
import { log } from "../log.ts";
import { checkNoDependents } from "./dependencies.ts";

export type { RemoveOptions };

/**
 * Remove container `id`. A container already gone is success.
 *
 * @throws {ContainerRunningError} if it runs and `force` is false
 * @throws {StateError} if it outlived every stop round
 */
export async function removeContainer(
  engine: Engine,
  id: string,
  opts: RemoveOptions,
): Promise<void> {
  for (let round = 0;; round++) {
    const outcome = await withContainerLock(engine, id, async () => {
      const row = syncAndCheck(engine, id);
      if (!row) return { kind: "gone" } as const;
      checkNoDependents(engine, id);
      const decision = decideRemove(row, opts, round);
      if (decision.kind === "delete") await removeLocked(engine, row);
      return decision;
    });
    if (outcome.kind !== "stopFirst") return;
    try {
      await stopContainer(engine, id, outcome.timeout);
    } catch (err) {
      if (err instanceof NoSuchContainerError) return;
      // A dead monitor or a process that outlived SIGKILL: the next round decides.
      log("debug", `rm -f ${id.slice(0, 12)}: stop: ${(err as Error).message}`);
    }
  }
}
