/**
 * `berth logs [-f] [--tail N] [-t] CONTAINER`: the container's output from conmon's
 * k8s-file log, stdout and stderr each to its own stream.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { bool, parseNonNegativeInt, parseTimeFlag, str } from "./args.ts";
import { UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { inTimeWindow, readLogs } from "../engine/logs.ts";
import type { LogRecord } from "../logs/k8s_file.ts";
import { type RecordSink, toStdio } from "../logs/pump.ts";
import { targetsOrLatest } from "./targets.ts";

/** Re-exported: the window rule lives with the engine's log reader. */
export { inTimeWindow };

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

/** `logs` */
export const logsCommand: Command = {
  flags: {
    follow: { type: "boolean", short: "f" },
    tail: { type: "string", short: "n" },
    timestamps: { type: "boolean", short: "t" },
    since: { type: "string" },
    latest: { type: "boolean", short: "l" },
    until: { type: "string" },
  },
  async run(global, p) {
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
    await readLogs(engine, row.id, {
      sink: bool(p, "timestamps") ? withTimestamps(toStdio) : toStdio,
      tail,
      since,
      until,
      follow: bool(p, "follow"),
    });
    return 0;
  },
};
