/**
 * Noticing a dead monitor. If conmon is gone (or a zombie) while the container should have a
 * process, and no exit file was written, the exit code cannot be learned: once the
 * container's own process is gone too, record -1 and say why, so nobody waits forever.
 *
 * @module
 */
import type { ContainerRow } from "../store/containers.ts";
import type { Engine } from "./engine.ts";
import { hasProcess } from "./states.ts";
import { applyExit, mutate, syncContainer } from "./sync.ts";
import { procState } from "../monitor/proc.ts";
import { log } from "../log.ts";

/** The error recorded when conmon died before writing an exit file. */
export const MONITOR_DIED =
  "conmon exited prematurely, exit code could not be retrieved: conmon process killed";

/**
 * True if the container's monitor is gone while the container should be running.
 * Pure apart from reading `/proc`.
 */
export function monitorGone(row: ContainerRow): boolean {
  return hasProcess(row.state) && procState(row.conmonPid) !== "alive";
}

/**
 * If the monitor died and the container's process is gone as well, record -1 (state
 * `stopped`). Returns the current row (undefined if the container vanished).
 */
export function checkMonitor(engine: Engine, row: ContainerRow): ContainerRow | undefined {
  if (!monitorGone(row)) return row;
  if (row.pid > 0 && procState(row.pid) === "alive") return row; // still running, unmonitored
  return mutate(engine, row.id, (r) => {
    if (!monitorGone(r)) return false; // the exit file was read after all, or state moved on
    applyExit(engine, r, -1, engine.now(), MONITOR_DIED);
    log("warn", `container ${r.id}: ${MONITOR_DIED}`);
    return true;
  });
}

/**
 * Sync container `id` (fold in its exit file), then notice a dead monitor: the row every
 * operation starts from. Undefined if the container is gone. `known`: see syncContainer.
 */
export function syncAndCheck(
  engine: Engine,
  id: string,
  known?: ContainerRow,
): ContainerRow | undefined {
  const row = syncContainer(engine, id, known);
  return row && checkMonitor(engine, row);
}
