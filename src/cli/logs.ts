/**
 * `berth logs [-f] [--tail N] [-t] CONTAINER`: the container's output from conmon's
 * k8s-file log, stdout and stderr each to its own stream.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { bool, parseFlags, parseNonNegativeInt, parseTimeFlag, str } from "./args.ts";
import { UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { syncContainer } from "../engine/sync.ts";
import { containerPaths } from "../engine/paths.ts";
import { hasProcess } from "../engine/states.ts";
import { watchContainer } from "../engine/notify.ts";
import { type LogRecord, parseRecords, tailRecords } from "../logs/k8s_file.ts";
import { openLogPump, type RecordSink, toStdio } from "../logs/pump.ts";
import { targetsOrLatest } from "./latest.ts";
import { printUsage } from "./command.ts";

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

/** `logs` */
export const logsCommand: Command = {
  summary: "Show the output of a container",
  usage: "berth logs [-f] [--tail N] [-t] [--since TIME] [--until TIME] CONTAINER",
  async run(global, args) {
    const p = parseFlags(args, {
      follow: { type: "boolean", short: "f" },
      tail: { type: "string", short: "n" },
      timestamps: { type: "boolean", short: "t" },
      since: { type: "string" },
      latest: { type: "boolean", short: "l" },
      until: { type: "string" },
      help: { type: "boolean" },
    });
    if (bool(p, "help")) return await printUsage(this.usage);
    if (p.positionals.length > 1) throw new UsageError("logs requires exactly one container");
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
    const [target] = targetsOrLatest(engine, p.positionals, bool(p, "latest"), "logs");
    const row = findContainer(engine, target);
    const path = containerPaths(engine.paths, row.id).log;
    const out = bool(p, "timestamps") ? withTimestamps(toStdio) : toStdio;
    const sink: RecordSink = (records) => out(records.filter((r) => inTimeWindow(r, since, until)));
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
    await sink(tailRecords(parsed.records.filter((r) => inTimeWindow(r, since, until)), tail));
    if (!bool(p, "follow")) return 0;
    const pump = openLogPump(path, sink, parsed.consumed);
    const waker = watchContainer(engine, row.id, [containerPaths(engine.paths, row.id).dir]);
    try {
      for (;;) {
        const current = syncContainer(engine, row.id);
        await pump.pump();
        if (!current || !hasProcess(current.state)) break;
        if (until !== undefined && Date.now() > until) break;
        await waker.next(250);
      }
      await pump.pump();
    } finally {
      waker.close();
      pump.close();
    }
    return 0;
  },
};
