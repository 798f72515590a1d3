/**
 * wait: block until a container meets one of the requested conditions. `stopped` and
 * `exited` both mean "has exited" and end only at `exited` (output drained, cleanup done) or
 * when the container is gone; then the code comes from `exit_codes`. Woken by inotify, with
 * `interval` as the fallback poll. A `stopped` container is cleaned up by the waiter itself,
 * without waiting for conmon's cleanup process (nor hanging on a dead monitor), unless its
 * restart policy starts it again: that is left to the cleanup process. An `--rm` container ends the wait only
 * when it is gone: one left `exited` (its cleanup process died before removing it) is
 * removed by the waiter. A container its restart policy starts again ends the wait with the
 * code of the run that exited, as podman's wait does.
 *
 * @module
 */
import { NoSuchExitCodeError, UsageError } from "../errors.ts";
import { getExitCode } from "../store/exit_codes.ts";
import type { ContainerRow } from "../store/containers.ts";
import type { Engine } from "./engine.ts";
import {
  awaitsCleanup,
  hasExited,
  isCreated,
  isDone,
  isState,
  type State,
  STATES,
} from "./states.ts";
import { MONITOR_DIED, syncAndCheck } from "./monitor_check.ts";
import { cleanupContainer } from "./cleanup.ts";
import { finishAutoRemove } from "./teardown.ts";
import { removalMissed } from "./decide/after_exit.ts";
import { watchContainer } from "./notify.ts";
import { claimCleanup } from "./claim.ts";
import { cleanupMissed } from "./observe.ts";
import { log } from "../log.ts";
import { shouldRestart } from "./restart_policy.ts";
import { startInterrupted, undoInterruptedStart } from "./interrupted.ts";

/** How long a `stopped` container that restarts may wait for its (live) cleanup process. */
const CLEANUP_GRACE_MS = 5000;

/**
 * Parse `--condition` values (repeatable, comma-separated).
 *
 * @throws {UsageError} on an unknown state
 */
export function parseConditions(values: string[]): Set<State> {
  const out = new Set<State>();
  for (const v of values.flatMap((x) => x.split(","))) {
    const c = v.trim().toLowerCase();
    if (!isState(c)) {
      throw new UsageError(
        `unknown container state: ${v}: invalid argument (valid: ${STATES.join(", ")})`,
      );
    }
    out.add(c);
  }
  if (out.size === 0) out.add("exited");
  return out;
}

/** The result of one wait: the code, and a note for stderr if the code is not the container's. */
export interface WaitResult {
  code: number;
  warning?: string;
}

/**
 * The code for a container that is gone: from `exit_codes`, else "no such exit code". A -1 is
 * never the container's own (its monitor died): the row that said why went with the container,
 * so say it here, or a `--rm` container's lost code would pass silently.
 */
export function codeOfRemoved(engine: Engine, id: string): WaitResult {
  const row = getExitCode(engine.store, id);
  if (!row) throw new NoSuchExitCodeError(id);
  return {
    code: row.code,
    warning: row.code === -1 ? `container ${id}: ${MONITOR_DIED}` : undefined,
  };
}

function codeOfDone(engine: Engine, row: ContainerRow): WaitResult {
  if (isCreated(row.state)) return { code: 0 }; // never ran
  // exit_codes is the only source: after a reboot it is cleared, and then the code is unknown.
  const stored = getExitCode(engine.store, row.id);
  if (!stored) throw new NoSuchExitCodeError(row.id, row.state);
  const warning = row.error === MONITOR_DIED ? `container ${row.id}: ${MONITOR_DIED}` : undefined;
  return { code: stored.code, warning };
}

/** The code of a run its restart policy ends (or ended): the latest recorded one. */
function codeOfRestarted(engine: Engine, row: ContainerRow): WaitResult {
  const stored = getExitCode(engine.store, row.id);
  if (!stored) throw new NoSuchExitCodeError(row.id, row.state);
  return { code: stored.code };
}

/** Options of one wait. */
export interface WaitOptions {
  conditions: Set<State>;
  intervalMs: number;
  /** Called with the row each time it is re-checked (used by `run` to pump output). */
  onTick?: (row: ContainerRow | undefined) => Promise<void>;
  /** Extra directories whose events should wake the waiter (e.g. the log's). */
  extraWatch?: string[];
  /**
   * Clean up as soon as the exit is seen, instead of waiting for conmon's cleanup process;
   * the wait claims the cleanup meanwhile (`claim.ts`), so that process never starts berth.
   */
  cleanupAtOnce?: boolean;
  /** Ends the wait early (an API client that went away): the wait throws its reason. */
  signal?: AbortSignal;
}

/** Resolve at `waker`'s next event or when `signal` aborts, whichever comes first. */
export function nextOrAbort(
  waker: { next(ms: number): Promise<void>; close(): void },
  ms: number,
  signal?: AbortSignal,
): Promise<void> {
  if (!signal) return waker.next(ms);
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    waker.next(ms).then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}

/**
 * Wait for container `id` (a full ID). Returns the exit code, or -1 when a non-exit
 * condition matched.
 *
 * @throws {NoSuchExitCodeError} when the container is gone and no code was recorded
 */
export async function waitForContainer(
  engine: Engine,
  id: string,
  opts: WaitOptions,
): Promise<WaitResult> {
  const wantExit = opts.conditions.has("exited") || opts.conditions.has("stopped");
  const waker = watchContainer(engine, id, opts.extraWatch);
  // After the watch starts and before the first check: an exit from now on finds the claim.
  const claim = wantExit && opts.cleanupAtOnce ? claimCleanup(engine, id) : undefined;
  let stoppedSince = 0;
  let waitedRun: number | undefined; // the incarnation whose exit this wait is for
  try {
    for (;;) {
      opts.signal?.throwIfAborted();
      const row = syncAndCheck(engine, id);
      if (row && startInterrupted(engine, row)) {
        // Its start's process died before the container ran: nothing else would end this.
        await undoInterruptedStart(engine, id);
        continue;
      }
      await opts.onTick?.(row);
      if (!row) return codeOfRemoved(engine, id);
      if (wantExit) {
        waitedRun ??= row.incarnation;
        if (row.incarnation > waitedRun) {
          // Its restart policy started it again: the run this wait was for has exited.
          return codeOfRestarted(engine, row);
        }
        if (removalMissed(row)) {
          // `--rm`: the code is given only once the container is gone, whoever removes it.
          await finishAutoRemove(engine, id);
          continue;
        }
        if (isDone(row.state)) {
          return codeOfDone(engine, row);
        }
        if (awaitsCleanup(row.state)) {
          const restarts = shouldRestart(row);
          if (opts.cleanupAtOnce && restarts) {
            // The policy starts it again: conmon's cleanup process does that once this
            // attached process is gone, so what it showed is this run's output alone.
            return codeOfRestarted(engine, row);
          }
          stoppedSince ||= Date.now();
          const monitorDone = cleanupMissed(row);
          // A waiter cleans up itself rather than wait for conmon's cleanup process, whose
          // deno takes seconds to start on a loaded machine (waiters returned 2–5 s after the
          // exit in the soak, #15); that process then finds nothing left to do. Only a restart
          // by policy is left to it, so that the new run is not a child of this waiter.
          if (
            opts.cleanupAtOnce || !restarts || monitorDone ||
            Date.now() - stoppedSince > CLEANUP_GRACE_MS
          ) {
            log("debug", `wait ${id.slice(0, 12)}: cleaning up (monitor done: ${monitorDone})`);
            await cleanupContainer(engine, id, { remove: row.spec.autoRemove });
            continue;
          }
        }
      }
      for (const c of opts.conditions) {
        if (!hasExited(c) && row.state === c) return { code: -1 };
      }
      const ms = awaitsCleanup(row.state) ? Math.min(opts.intervalMs, 50) : opts.intervalMs;
      await nextOrAbort(waker, ms, opts.signal);
    }
  } finally {
    claim?.release();
    waker.close();
  }
}
