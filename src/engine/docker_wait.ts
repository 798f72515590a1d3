/**
 * Docker's wait conditions on top of {@linkcode waitForContainer}: `not-running` (at once for
 * a container that never ran, else when this run has `exited`), `next-exit` (the exit of the
 * run going on now, or of the next start), `removed` (when the row is gone; the code of its
 * last run, 0 if it never ran). {@linkcode prepareDockerWait} takes the snapshot the
 * condition is measured against, so a front end can subscribe before it answers anything.
 *
 * @module
 */
import { NoSuchContainerError, UsageError } from "../errors.ts";
import { getExitCode } from "../store/exit_codes.ts";
import type { Engine } from "./engine.ts";
import { hasExited, hasProcess } from "./states.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { watchContainer } from "./notify.ts";
import { nextOrAbort, waitForContainer, type WaitResult } from "./wait.ts";

/** Docker's `condition` values. */
export type DockerWaitCondition = "not-running" | "next-exit" | "removed";

/**
 * Parse `condition` (empty or absent: `not-running`).
 *
 * @throws {UsageError} for any other value (400)
 */
export function parseDockerCondition(v: string | null): DockerWaitCondition {
  if (!v || v === "not-running") return "not-running";
  if (v === "next-exit" || v === "removed") return v;
  throw new UsageError(`invalid condition: "${v}"`);
}

const EXITED = new Set(["exited"] as const);
const POLL_MS = 1000;

/** A wait that has taken its snapshot and can now be run. */
export interface PreparedWait {
  /** Run it; `signal` cancels only this wait. */
  wait(signal?: AbortSignal): Promise<WaitResult>;
}

/**
 * Take the snapshot for `condition` on container `id` (a full ID) now.
 *
 * @throws {NoSuchContainerError} when it does not exist
 */
export function prepareDockerWait(
  engine: Engine,
  id: string,
  condition: DockerWaitCondition,
): PreparedWait {
  const waker = watchContainer(engine, id);
  const row = syncAndCheck(engine, id);
  if (!row) {
    waker.close();
    throw new NoSuchContainerError(id);
  }
  const incarnation = row.incarnation;
  const thisRun = hasProcess(row.state);
  const lastCode = () => ({ code: getExitCode(engine.store, id)?.code ?? 0 });
  const untilExited = (signal?: AbortSignal) =>
    waitForContainer(engine, id, { conditions: EXITED, intervalMs: 250, signal });
  return {
    async wait(signal) {
      try {
        if (condition === "not-running") return await untilExited(signal);
        if (condition === "next-exit") {
          if (!thisRun) {
            // The exit of the next start: wait for a new run to begin (or the row to go).
            for (;;) {
              const now = syncAndCheck(engine, id);
              if (!now) return lastCode();
              if (now.incarnation > incarnation) break;
              await nextOrAbort(waker, POLL_MS, signal);
            }
          }
          return await untilExited(signal);
        }
        for (;;) { // removed
          const now = syncAndCheck(engine, id);
          if (!now) return lastCode();
          if (hasProcess(now.state) || hasExited(now.state)) {
            await untilExited(signal).catch(() => {});
            if (!syncAndCheck(engine, id)) return lastCode();
          }
          await nextOrAbort(waker, POLL_MS, signal);
        }
      } finally {
        waker.close();
      }
    },
  };
}
