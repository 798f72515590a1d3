/**
 * What `stop` sends to a container's process, decided from its state, its stop signal and
 * the timeout (no I/O): nothing for a container without a process, the stop signal with
 * SIGKILL after the timeout, or SIGKILL at once for a zero timeout.
 *
 * @module
 */
import type { ContainerRow } from "../../store/containers.ts";
import { canStop } from "../states.ts";

/** SIGKILL, what `stop` ends with when the stop signal did not do. */
export const SIGKILL = 9;

/** The plan of one `stop`. */
export type StopDecision =
  /** No process to stop: a no-op (a cleanup may still be due, see `after_exit.ts`). */
  | { kind: "nothing" }
  /** Send `signal`, wait `thenKillAfterSec` seconds for the exit, then SIGKILL. */
  | { kind: "signal"; signal: number; thenKillAfterSec: number }
  /** A zero timeout: SIGKILL straight away. */
  | { kind: "kill" };

/** What `stop` was asked. */
export interface StopRequest {
  /** Seconds between the stop signal and SIGKILL; the container's `--stop-timeout` if absent. */
  timeout?: number;
}

/**
 * Decide what `stop` sends to `row`'s process.
 *
 * @example
 * ```ts
 * decideStop(runningRow, {}); // { kind: "signal", signal: 15, thenKillAfterSec: 10 }
 * decideStop(runningRow, { timeout: 0 }); // { kind: "kill" }
 * decideStop(exitedRow, {}); // { kind: "nothing" }
 * ```
 */
export function decideStop(row: ContainerRow, req: StopRequest): StopDecision {
  if (!canStop(row.state)) return { kind: "nothing" };
  const timeout = req.timeout ?? row.spec.stopTimeout;
  if (timeout <= 0) return { kind: "kill" };
  return { kind: "signal", signal: row.spec.stopSignal, thenKillAfterSec: timeout };
}

/**
 * Whether `stop` marks `row` as stopped by the user before signalling: a container with a
 * process, and any container with a restart policy (between two runs it has no process, but a
 * restart must still not follow the stop).
 */
export function marksStopped(row: ContainerRow): boolean {
  return canStop(row.state) || row.spec.restartPolicy !== undefined;
}
