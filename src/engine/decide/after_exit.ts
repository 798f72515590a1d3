/**
 * What is still due once a container's process is gone (no I/O): its cleanup (then its
 * removal for `--rm`), or only the removal of an `--rm` container whose cleanup process
 * died between the two steps, or nothing.
 *
 * @module
 */
import type { ContainerRow } from "../../store/containers.ts";
import { needsCleanup, runtimeReleased } from "../states.ts";

/** The step `stop` (or any process that finds it due) takes after an exit. */
export type AfterExitDecision =
  /** Clean up; `remove`: remove it afterwards (`--rm`). */
  | { kind: "cleanup"; remove: boolean }
  /** Cleaned up but an `--rm` removal was missed: remove it now. */
  | { kind: "finishRemoval" }
  /** Nothing is due. */
  | { kind: "nothing" };

/**
 * True if `row` is an `--rm` container that is cleaned up (or half removed) but still here:
 * the process that moved it to `exited` was to remove it next and died first (a SIGKILLed
 * cleanup process). Whoever finds it so removes it, as that process would have.
 */
export function removalMissed(row: ContainerRow): boolean {
  return row.spec.autoRemove && runtimeReleased(row.state);
}

/**
 * Decide what is still due for `row` after its process exited.
 *
 * @example
 * ```ts
 * decideAfterExit(stoppedRow); // { kind: "cleanup", remove: false }
 * decideAfterExit(exitedRow); // { kind: "nothing" }
 * ```
 */
export function decideAfterExit(row: ContainerRow): AfterExitDecision {
  if (needsCleanup(row.state)) return { kind: "cleanup", remove: row.spec.autoRemove };
  if (removalMissed(row)) return { kind: "finishRemoval" };
  return { kind: "nothing" };
}
