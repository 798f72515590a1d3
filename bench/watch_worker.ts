/**
 * A worker that kills a process and times, on one clock, when a set of other processes exit.
 * It busy-polls `/proc/PID/stat` with short synchronous sleeps, so its resolution (~0.3 ms)
 * does not depend on the main thread's timers or event loop.
 *
 * Request: {@linkcode WatchRequest}; reply: {@linkcode WatchReply}.
 *
 * @module
 */
import { processGone } from "./procfs.ts";

/** Kill `killPid` with `signal`, then time the exit of each process in `watch`. */
export interface WatchRequest {
  killPid: number;
  signal: Deno.Signal;
  /** name → pid */
  watch: Record<string, number>;
  timeoutMs: number;
  pollMs?: number;
}

/** When each watched process was seen gone, in ms after the kill; `null` if not by timeout. */
export interface WatchReply {
  exitMs: Record<string, number | null>;
  killError?: string;
}

/** Do the work of one request (synchronous; exported for reuse and tests). */
export function killAndWatch(req: WatchRequest): WatchReply {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const pollMs = req.pollMs ?? 0.25;
  const exitMs: Record<string, number | null> = {};
  const pending = new Map(Object.entries(req.watch));
  for (const name of pending.keys()) exitMs[name] = null;
  const t0 = performance.now();
  let killError: string | undefined;
  try {
    Deno.kill(req.killPid, req.signal);
  } catch (e) {
    killError = e instanceof Error ? e.message : String(e);
  }
  while (pending.size > 0 && performance.now() - t0 < req.timeoutMs) {
    for (const [name, pid] of pending) {
      if (processGone(pid)) {
        exitMs[name] = performance.now() - t0;
        pending.delete(name);
      }
    }
    Atomics.wait(nap, 0, 0, pollMs);
  }
  return killError ? { exitMs, killError } : { exitMs };
}

// deno-lint-ignore no-explicit-any
const scope = globalThis as any;
if (typeof scope.WorkerGlobalScope !== "undefined" && scope instanceof scope.WorkerGlobalScope) {
  scope.onmessage = (e: MessageEvent<WatchRequest>) => {
    scope.postMessage(killAndWatch(e.data));
  };
}
