/**
 * Observe a container as it really is now: sync its row with the exit file, notice a dead
 * monitor, and finish a cleanup that nobody else will (state `stopped` while conmon, which
 * would have run the cleanup process, is gone; an `--rm` container cleaned up but not
 * removed; a start whose process died). Read commands (`ps`, `inspect`) use this, so "whichever berth process runs next"
 * completes what a killed cleanup process left.
 *
 * @module
 */
import { awaitsCleanup } from "./states.ts";
import type { ContainerRow } from "../store/containers.ts";
import type { Engine } from "./engine.ts";
import { syncContainer } from "./sync.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { cleanupContainer } from "./cleanup.ts";
import { finishAutoRemove } from "./teardown.ts";
import { removalMissed } from "./decide/after_exit.ts";
import { procState } from "../monitor/proc.ts";
import { log } from "../log.ts";
import { startInterrupted, undoInterruptedStart } from "./interrupted.ts";

/** True if `row` exited and its cleanup can no longer come from conmon's exit command. */
export function cleanupMissed(row: ContainerRow): boolean {
  return awaitsCleanup(row.state) && procState(row.conmonPid) !== "alive";
}

/**
 * The container's current row (undefined if gone), with any missed cleanup finished.
 * `known`: the row just read by the caller (a listing), re-read only if it may be stale.
 */
export async function observeContainer(
  engine: Engine,
  id: string,
  known?: ContainerRow,
): Promise<ContainerRow | undefined> {
  const row = syncAndCheck(engine, id, known);
  if (!row) return row;
  const interrupted = startInterrupted(engine, row);
  if (!(interrupted || cleanupMissed(row) || removalMissed(row))) return row;
  try {
    if (interrupted) await undoInterruptedStart(engine, id);
    else if (cleanupMissed(row)) {
      await cleanupContainer(engine, id, { remove: row.spec.autoRemove });
    } else await finishAutoRemove(engine, id);
  } catch (err) {
    log("warn", `finishing the cleanup of ${id}: ${(err as Error).message}`);
  }
  return syncContainer(engine, id);
}
