/**
 * What `start` does with a container, decided from its state alone (no I/O): nothing for one
 * that already has a process, a fresh start (after finishing the last run's cleanup when it
 * is still due), or a {@linkcode StateError} for one on its way out.
 *
 * @module
 */
import { StateError } from "../../errors.ts";
import type { ContainerRow } from "../../store/containers.ts";
import { awaitsCleanup, canStart, hasProcess } from "../states.ts";

/** The plan of one `start`. */
export type StartDecision =
  /** It already has a process: `start` returns it unchanged (podman does the same). */
  | { kind: "alreadyRunning" }
  /** Start a new incarnation; `finishCleanup`: release the last run's runtime state first. */
  | { kind: "start"; finishCleanup: boolean };

/**
 * Decide what `start` does with `row`.
 *
 * @example
 * ```ts
 * decideStart(createdRow); // { kind: "start", finishCleanup: false }
 * decideStart(runningRow); // { kind: "alreadyRunning" }
 * ```
 * @throws {StateError} when the container cannot start now (it is being removed)
 */
export function decideStart(row: ContainerRow): StartDecision {
  if (hasProcess(row.state)) return { kind: "alreadyRunning" };
  if (!canStart(row.state)) {
    throw new StateError(`container ${row.id} is in state ${row.state}: cannot start it`);
  }
  return { kind: "start", finishCleanup: awaitsCleanup(row.state) };
}
