/**
 * Cleanup claims: a berth process that will finish a container's cleanup itself (a foreground
 * `run`, a `wait`) holds a shared `flock` on the container's claim file while it can do so.
 * conmon's exit command is a shell guard that waits for the file to be unlocked and only then
 * starts berth's cleanup, and only if it is still due (`src/monitor/exit_command.ts`). The
 * kernel drops the lock of a claimer that dies, so the guard then finds the cleanup undone and
 * runs it: a claim defers the decision, it never skips a cleanup.
 *
 * @module
 */
import type { Engine } from "./engine.ts";
import { containerPaths } from "./paths.ts";

/** A held claim. */
export interface CleanupClaim {
  /** Give the cleanup back to conmon's exit command (call once this process is done with it). */
  release(): void;
}

/**
 * Claim the cleanup of container `id` (shared with other claimers). `start` makes the claim
 * file; only a foreground about to start the container (`create`) makes it too: a waiter
 * creating it could race a removal emptying the run directory. Without the file (never
 * started, or removed) there is no exit command to hold back: a no-op claim.
 */
export function claimCleanup(engine: Engine, id: string, create = false): CleanupClaim {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(containerPaths(engine.paths, id).claimFile, { create, write: true });
  } catch {
    return { release() {} };
  }
  try {
    // Shared: a foreground and any number of waiters may claim at once; the guard's exclusive
    // lock waits for all of them, and holds it only for an instant (so blocking is fine).
    file.lockSync(false);
  } catch {
    file.close();
    return { release() {} };
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      file.close(); // closing the last fd drops the lock
    },
  };
}
