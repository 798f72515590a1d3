/**
 * Attaching a front end (the API) to a container: its output, record by record, to a sink,
 * and a stream fed to its stdin, for one run: the one going on, or, for a container that is
 * not running (created, or exited from an earlier run), the next start's. Ends only when that
 * run has exited and every byte it wrote has been delivered. Output comes from conmon's log,
 * opened before the run begins, so nothing is missed; stdin goes through conmon's attach
 * socket, and the end of the stream closes the container's stdin.
 *
 * @module
 */
import type { Engine } from "./engine.ts";
import { containerPaths } from "./paths.ts";
import { hasProcess } from "./states.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { watchContainer } from "./notify.ts";
import { nextOrAbort, waitForContainer } from "./wait.ts";
import { openLogPump, type RecordSink } from "../logs/pump.ts";
import { type AttachConnection, connectAttach, feedStdin } from "../monitor/attach_socket.ts";
import { log } from "../log.ts";

/** What to attach. */
export interface AttachStreamOptions {
  /** Output records go here; a rejected write ends the attach. */
  sink: RecordSink;
  /** Fed to the container's stdin (only if it was created with stdin open). */
  stdin?: ReadableStream<Uint8Array>;
  /** Replay the log so far before the live output. */
  logs?: boolean;
  /** Only the replay (`stream=0`): no live output, no wait. */
  noStream?: boolean;
  /** The client went away. */
  signal: AbortSignal;
  /** Called once the run to attach to is known to have begun (before stdin is connected). */
  onRun?: () => void;
}

/** Attach to container `id` (a full ID) as described in the module doc. */
export async function attachStream(
  engine: Engine,
  id: string,
  opts: AttachStreamOptions,
): Promise<void> {
  const p = containerPaths(engine.paths, id);
  let offset = 0;
  try {
    offset = Deno.statSync(p.log).size;
  } catch { /* no output yet */ }
  if (opts.logs) {
    const replay = openLogPump(p.log, opts.sink, 0);
    try {
      await replay.pump();
    } finally {
      replay.close();
    }
  }
  if (opts.noStream) return;
  const waker = watchContainer(engine, id, [p.dir]);
  const pump = openLogPump(p.log, opts.sink, offset);
  let conn: AttachConnection | undefined;
  try {
    const first = syncAndCheck(engine, id);
    if (!first) return;
    let row = first;
    if (!hasProcess(first.state)) {
      for (;;) { // the next start's run
        const now = syncAndCheck(engine, id);
        if (!now) return;
        if (now.incarnation > first.incarnation) {
          row = now;
          break;
        }
        await nextOrAbort(waker, 1000, opts.signal);
      }
    }
    opts.onRun?.();
    if (opts.stdin && row.spec.interactive) {
      try {
        conn = connectAttach(p.bundle);
        feedStdin(conn, opts.stdin);
      } catch (err) {
        // Already gone (it did not wait for input): its exit tells the rest.
        log("debug", `attach stdin ${id.slice(0, 12)}: ${(err as Error).message}`);
      }
    }
    await waitForContainer(engine, id, {
      conditions: new Set(["exited"]),
      intervalMs: 250,
      extraWatch: [p.dir],
      cleanupAtOnce: true,
      onTick: () => pump.pump(),
      signal: opts.signal,
    }).catch((err) => {
      if (opts.signal.aborted) throw err;
      log("debug", `attach ${id.slice(0, 12)}: ${(err as Error).message}`);
    });
    await pump.pump();
  } finally {
    waker.close();
    pump.close();
    conn?.close();
  }
}
