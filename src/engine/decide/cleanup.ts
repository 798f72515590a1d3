/**
 * What `container cleanup` does, decided from the container's state once its exit file is
 * folded in (no I/O): refuse a container that still has a process, release the runtime
 * state unless that already happened, remove it when asked.
 *
 * @module
 */
import { StateError } from "../../errors.ts";
import type { ContainerRow } from "../../store/containers.ts";
import { hasProcess, needsRuntimeRelease } from "../states.ts";

/** What a cleanup call should do beyond releasing the runtime. */
export interface CleanupOptions {
  /** Remove the container afterwards (`--rm`). */
  remove: boolean;
}

/** The plan of one cleanup: each step that is still due. */
export interface CleanupDecision {
  /** Delete the runtime container, unmount, move `stopped → exited` (`initialized → created`). */
  releaseRuntime: boolean;
  /** Then remove the container. */
  remove: boolean;
}

/**
 * Decide what cleaning up `row` does. Idempotent by construction: an `exited` container
 * needs no release, so a second cleanup only removes (with `remove`) or does nothing.
 *
 * @example
 * ```ts
 * decideCleanup(stoppedRow, { remove: true }); // { releaseRuntime: true, remove: true }
 * decideCleanup(exitedRow, { remove: false }); // { releaseRuntime: false, remove: false }
 * ```
 * @throws {StateError} while the container still has a process
 */
export function decideCleanup(row: ContainerRow, opts: CleanupOptions): CleanupDecision {
  if (hasProcess(row.state)) {
    throw new StateError(`container ${row.id} is ${row.state}, refusing to clean up`);
  }
  return { releaseRuntime: needsRuntimeRelease(row.state), remove: opts.remove };
}
