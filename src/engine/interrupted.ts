/**
 * A start interrupted by the death of the process that ran it (SIGKILL between mounting the
 * root filesystem and recording the runtime container): the container is still `created`,
 * but its overlay (and perhaps a network namespace, a runtime container waiting in
 * `runc init`, its conmon) stayed behind, and an `--rm` container stayed at all. Nothing
 * else would ever undo it: the start's process is gone and no conmon runs a cleanup for a
 * container berth never recorded as created by the runtime (found by the soak, #15).
 *
 * @module
 */
import type { ContainerRow } from "../store/containers.ts";
import type { Engine } from "./engine.ts";
import { containerPaths } from "./paths.ts";
import { isCreated, isInitialized } from "./states.ts";
import { mutate, syncContainer, transition } from "./sync.ts";
import { withContainerLock } from "./lock.ts";
import { releaseRuntimeLocked, removeLocked } from "./teardown.ts";
import { isRuntimeInit, procState } from "../monitor/proc.ts";
import { removeIfPresent } from "../fs.ts";
import { log } from "../log.ts";

/** The PID in the container's start marker, if there is one. */
function starterPid(engine: Engine, id: string): number | undefined {
  try {
    const pid = Number(Deno.readTextFileSync(containerPaths(engine.paths, id).startingFile));
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True if the process that was starting `row` is gone, and the start had not yet let the
 * container run: still `created`, or `initialized` with the runtime's init still waiting for
 * `start` (which nobody will now send: a waiter would hang for good).
 */
export function startInterrupted(engine: Engine, row: ContainerRow): boolean {
  const notRun = isCreated(row.state) || (isInitialized(row.state) && isRuntimeInit(row.pid));
  if (!notRun) return false;
  const pid = starterPid(engine, row.id);
  return pid !== undefined && pid !== Deno.pid && procState(pid) !== "alive";
}

/**
 * Undo an interrupted start: the runtime container, network and overlay go, and an `--rm`
 * container is removed, as a failed start's would be.
 */
export async function undoInterruptedStart(engine: Engine, id: string): Promise<void> {
  await withContainerLock(engine, id, async () => {
    const row = syncContainer(engine, id);
    if (!row || !startInterrupted(engine, row)) return; // someone else did it, or restarted it
    log("debug", `start of ${id.slice(0, 12)} was interrupted: undoing it`);
    if (isInitialized(row.state)) {
      // Back to `created` first: the exit of the runtime's init, killed below, is no run's.
      mutate(engine, id, (r) => {
        if (!isInitialized(r.state)) return false;
        transition(r, "created", engine.now());
        r.pid = 0;
        r.conmonPid = 0;
        return true;
      });
    }
    await releaseRuntimeLocked(engine, row);
    removeIfPresent(containerPaths(engine.paths, id).startingFile);
    const current = syncContainer(engine, id);
    if (current?.spec.autoRemove) await removeLocked(engine, current);
  });
}
