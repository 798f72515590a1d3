/**
 * `berth logs [-f] [--tail N] [-t] [--names] CONTAINER...`: the containers' output from
 * conmon's k8s-file log, stdout and stderr each to its own stream; with several containers
 * each line starts with the container's short ID (`--names`: its name), as podman's does.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { bool, parseNonNegativeInt, parseTimeFlag, str } from "./args.ts";
import { type Engine, openEngine } from "../engine/context.ts";
import type { ContainerRow } from "../store/containers.ts";
import { findContainer } from "../engine/lookup.ts";
import { syncContainer } from "../engine/sync.ts";
import { containerPaths } from "../engine/paths.ts";
import { hasProcess } from "../engine/states.ts";
import { watchContainer } from "../engine/notify.ts";
import { type LogRecord, parseRecords, tailRecords } from "../logs/k8s_file.ts";
import { openLogPump, type RecordSink, toStdio } from "../logs/pump.ts";
import { LATEST_FLAG, targetsOrLatest } from "./targets.ts";

/** conmon's stamp as podman prints it: RFC 3339 with nanoseconds, `Z` for UTC. */
export function podmanTimestamp(time: string): string {
  return time.replace(/[+-]00:00$/, "Z");
}

function withTimestamps(sink: RecordSink): RecordSink {
  const enc = new TextEncoder();
  return (records) =>
    sink(records.map((r): LogRecord => {
      const prefix = enc.encode(`${podmanTimestamp(r.time)} `);
      const data = new Uint8Array(prefix.length + r.data.length);
      data.set(prefix);
      data.set(r.data, prefix.length);
      return { ...r, data };
    }));
}

/** Whether a record's stamp lies within [since, until] (either bound optional). */
export function inTimeWindow(r: LogRecord, since?: number, until?: number): boolean {
  if (since === undefined && until === undefined) return true;
  const t = Date.parse(r.time);
  return (since === undefined || t >= since) && (until === undefined || t <= until);
}

/**
 * With several containers, each line starts with the container's short ID (or its name), as
 * podman prints them; a line the container wrote in parts gets the prefix once.
 */
export function withPrefix(sink: RecordSink, prefix: string): RecordSink {
  const head = new TextEncoder().encode(`${prefix} `);
  let lineStart = true;
  return (records) =>
    sink(records.map((r): LogRecord => {
      const starts = lineStart;
      lineStart = r.full;
      if (!starts) return r;
      const data = new Uint8Array(head.length + r.data.length);
      data.set(head);
      data.set(r.data, head.length);
      return { ...r, data };
    }));
}

/** What one container's log is read with. */
interface LogOptions {
  follow: boolean;
  tail: number;
  since?: number;
  until?: number;
}

/**
 * Print container `row`'s log to `out`, and with `follow` keep printing until its process is
 * gone (or it is removed, or `until` passes).
 */
async function showLog(
  engine: Engine,
  row: ContainerRow,
  out: RecordSink,
  o: LogOptions,
): Promise<void> {
  const path = containerPaths(engine.paths, row.id).log;
  const sink: RecordSink = (records) =>
    out(records.filter((r) => inTimeWindow(r, o.since, o.until)));
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
  // --since/--until choose the records; --tail counts lines among those.
  await sink(tailRecords(parsed.records.filter((r) => inTimeWindow(r, o.since, o.until)), o.tail));
  if (!o.follow) return;
  const pump = openLogPump(path, sink, parsed.consumed);
  const waker = watchContainer(engine, row.id, [containerPaths(engine.paths, row.id).dir]);
  try {
    for (;;) {
      const current = syncContainer(engine, row.id);
      await pump.pump();
      if (!current || !hasProcess(current.state)) break;
      if (o.until !== undefined && Date.now() > o.until) break;
      await waker.next(250);
    }
    await pump.pump();
  } finally {
    waker.close();
    pump.close();
  }
}

/** `logs` */
export const logsCommand: Command = {
  flags: {
    follow: {
      type: "boolean",
      short: "f",
      help: "Keep printing new output until the container exits",
    },
    tail: {
      type: "string",
      short: "n",
      help: "Print only this many lines from the end of the log (-1: all)",
      value: "int",
      defaultText: "-1",
    },
    timestamps: {
      type: "boolean",
      short: "t",
      help: "Prefix each line with the time it was logged",
    },
    since: {
      type: "string",
      help:
        "Print only lines logged since this time: an RFC 3339 timestamp, a Unix time in seconds, or a duration such as 10m before now",
      value: "TIME",
    },
    latest: LATEST_FLAG,
    until: {
      type: "string",
      help: "Print only lines logged before this time (as --since)",
      value: "TIME",
    },
    names: {
      type: "boolean",
      help:
        "Prefix each line with its container's name instead of its ID, when several containers are shown",
    },
  },
  async run(global, p) {
    const tailArg = str(p, "tail");
    const tail = tailArg === undefined || tailArg === "-1"
      ? -1
      : parseNonNegativeInt(tailArg, "--tail");
    const now = Date.now();
    const sinceArg = str(p, "since");
    const untilArg = str(p, "until");
    const since = sinceArg === undefined ? undefined : parseTimeFlag(sinceArg, "--since", now);
    const until = untilArg === undefined ? undefined : parseTimeFlag(untilArg, "--until", now);
    const engine = await openEngine(global);
    const rows = targetsOrLatest(engine, p.positionals, bool(p, "latest"), "logs")
      .map((t) => findContainer(engine, t));
    const o: LogOptions = { follow: bool(p, "follow"), tail, since, until };
    const sinkFor = (row: ContainerRow) => {
      const base = rows.length > 1
        ? withPrefix(toStdio, bool(p, "names") ? row.name : row.id.slice(0, 12))
        : toStdio;
      return bool(p, "timestamps") ? withTimestamps(base) : base;
    };
    if (o.follow) {
      // Followed side by side: lines print in the order they arrive.
      await Promise.all(rows.map((row) => showLog(engine, row, sinkFor(row), o)));
    } else {
      for (const row of rows) await showLog(engine, row, sinkFor(row), o);
    }
    return 0;
  },
};
