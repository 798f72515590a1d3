/**
 * What one round of `rm` does, decided from the container's state, `--force` and how many
 * stop rounds came before (no I/O): delete a container without a process, refuse a running
 * one without force, stop it first with force (straight to SIGKILL after the first round),
 * and give up on one that outlived three rounds.
 *
 * @module
 */
import { ContainerRunningError, StateError } from "../../errors.ts";
import type { ContainerRow } from "../../store/containers.ts";
import { canRemoveWithoutForce } from "../states.ts";

/** Options of `rm`. */
export interface RemoveOptions {
  force: boolean;
  /** Seconds between the stop signal and SIGKILL (default: the container's stop timeout). */
  timeout?: number;
}

/** Stop rounds `rm -f` tries before it gives up on a container that will not exit. */
export const MAX_STOP_ROUNDS = 3;

/** The plan of one round of `rm`. */
export type RemoveDecision =
  /** No process: release what is left, mark `removing`, delete the files and the row. */
  | { kind: "delete" }
  /** `-f` on a live container: stop it (outside the lock) with this timeout, then retry. */
  | { kind: "stopFirst"; timeout: number | undefined };

/**
 * Decide round `round` (0 first) of removing `row`.
 *
 * @example
 * ```ts
 * decideRemove(exitedRow, { force: false }, 0); // { kind: "delete" }
 * decideRemove(runningRow, { force: true, timeout: 3 }, 0); // { kind: "stopFirst", timeout: 3 }
 * decideRemove(runningRow, { force: true, timeout: 3 }, 1); // { kind: "stopFirst", timeout: 0 }
 * ```
 * @throws {ContainerRunningError} for a live container without force
 * @throws {StateError} when it outlived {@linkcode MAX_STOP_ROUNDS} stop rounds
 */
export function decideRemove(
  row: ContainerRow,
  opts: RemoveOptions,
  round: number,
): RemoveDecision {
  if (canRemoveWithoutForce(row.state)) return { kind: "delete" };
  if (!opts.force) {
    throw new ContainerRunningError(
      `cannot remove container ${row.id} as it is ${row.state} - running or paused containers cannot be removed without force: container state improper`,
    );
  }
  if (round >= MAX_STOP_ROUNDS) {
    throw new StateError(`container ${row.id} did not exit after SIGKILL; cannot remove it`);
  }
  // A second round (the container outlived the first) goes straight to SIGKILL.
  return { kind: "stopFirst", timeout: round === 0 ? opts.timeout : 0 };
}
