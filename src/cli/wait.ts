/**
 * `berth wait [--condition C]... [--interval D] CONTAINER...`: print one exit code per line,
 * in argument order; exit 0, or 125 if any wait failed. A removed container's code is read
 * from `exit_codes`.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { errOut, out } from "./command.ts";
import { bool, list, parseDuration, str } from "./args.ts";
import { NoSuchContainerError, UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findRemovedExitCode, tryFindContainer } from "../engine/lookup.ts";
import { parseConditions, waitForContainer } from "../engine/wait.ts";
import { forEachTarget, LATEST_FLAG, targetsOrLatest } from "./targets.ts";

/** `wait` */
export const waitCommand: Command = {
  flags: {
    condition: {
      type: "string",
      multiple: true,
      help:
        "State to wait for (repeatable, or comma-separated; any of them ends the wait): created, initialized, running, stopping, stopped, exited or removing; stopped and exited both wait until the container has exited",
      defaultText: '"exited"',
    },
    interval: {
      type: "string",
      short: "i",
      help:
        "How often to poll the state if no event wakes the wait sooner: a duration such as 250ms or 1s (a bare number is milliseconds)",
      value: "duration",
      defaultText: '"250ms"',
    },
    latest: LATEST_FLAG,
  },
  async run(global, p) {
    const conditions = parseConditions(list(p, "condition"));
    const intervalMs = parseDuration(str(p, "interval") ?? "250ms", "--interval");
    if (intervalMs <= 0) throw new UsageError("--interval must be positive");
    const engine = await openEngine(global);
    const ids = targetsOrLatest(engine, p.positionals, bool(p, "latest"), "wait").map((arg) => {
      const row = tryFindContainer(engine, arg);
      if (row) return row.id;
      const gone = findRemovedExitCode(engine, arg);
      if (gone) return gone.id;
      throw new NoSuchContainerError(arg);
    });
    return await forEachTarget(ids, async (id) => {
      const r = await waitForContainer(engine, id, { conditions, intervalMs });
      await out(`${r.code}\n`);
      if (r.warning) await errOut(`Error: ${r.warning}\n`);
    });
  },
};
