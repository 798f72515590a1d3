/**
 * Reading a container's log for a front end: the records so far (within a time window, the
 * last N lines), then with `follow` the new ones until the container stops running, each
 * batch handed to a sink (stdout for the CLI, frames for the API).
 *
 * @module
 */
import type { Engine } from "./engine.ts";
import { containerPaths } from "./paths.ts";
import { hasProcess } from "./states.ts";
import { syncContainer } from "./sync.ts";
import { watchContainer } from "./notify.ts";
import { nextOrAbort } from "./wait.ts";
import { type LogRecord, parseRecords, tailRecords } from "../logs/k8s_file.ts";
import { openLogPump, type RecordSink } from "../logs/pump.ts";

/** What to read. */
export interface ReadLogsOptions {
  sink: RecordSink;
  /** The last N lines only; negative: all. */
  tail: number;
  /** Milliseconds since the epoch: records at or after. */
  since?: number;
  /** Milliseconds since the epoch: records at or before (and following stops then). */
  until?: number;
  follow: boolean;
  /** Ends a follow early (the client went away). */
  signal?: AbortSignal;
}

/** Whether a record's stamp lies within [since, until] (either bound optional). */
export function inTimeWindow(r: LogRecord, since?: number, until?: number): boolean {
  if (since === undefined && until === undefined) return true;
  const t = Date.parse(r.time);
  return (since === undefined || t >= since) && (until === undefined || t <= until);
}

/** Read container `id`'s log (a full ID) as {@linkcode ReadLogsOptions} asks. */
export async function readLogs(engine: Engine, id: string, opts: ReadLogsOptions): Promise<void> {
  const path = containerPaths(engine.paths, id).log;
  const sink: RecordSink = (records) => {
    const kept = records.filter((r) => inTimeWindow(r, opts.since, opts.until));
    return kept.length ? opts.sink(kept) : Promise.resolve();
  };
  let size = 0;
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(path); // held open: a concurrent rm cannot take the log away
    size = (await file.stat()).size;
  } catch { /* no output yet */ }
  const head = new Uint8Array(size);
  if (file) {
    let off = 0;
    while (off < size) {
      const n = await file.read(head.subarray(off));
      if (n === null) break;
      off += n;
    }
    file.close();
  }
  const parsed = parseRecords(head);
  // since/until choose the records; tail counts lines among those.
  const first = tailRecords(
    parsed.records.filter((r) => inTimeWindow(r, opts.since, opts.until)),
    opts.tail,
  );
  if (first.length) await opts.sink(first);
  if (!opts.follow) return;
  const pump = openLogPump(path, sink, parsed.consumed);
  const waker = watchContainer(engine, id, [containerPaths(engine.paths, id).dir]);
  try {
    for (;;) {
      const current = syncContainer(engine, id);
      await pump.pump();
      if (!current || !hasProcess(current.state)) break;
      if (opts.until !== undefined && Date.now() > opts.until) break;
      await nextOrAbort(waker, 250, opts.signal);
    }
    await pump.pump();
  } finally {
    waker.close();
    pump.close();
  }
}
