/**
 * `berth wait [--condition C]... [--interval D] CONTAINER...`: print one exit code per line,
 * in argument order; exit 0, or 125 if any wait failed. A removed container's code is read
 * from `exit_codes`.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { errOut, out } from "./command.ts";
import { bool, list, parseDuration, parseFlags, str } from "./args.ts";
import { errorMessage, NoSuchContainerError, UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findRemovedExitCode, tryFindContainer } from "../engine/lookup.ts";
import { parseConditions, waitForContainer } from "../engine/wait.ts";
import { printUsage } from "./command.ts";
import { targetsOrLatest } from "./latest.ts";

/** `wait` */
export const waitCommand: Command = {
  summary: "Wait for containers to exit and print their exit codes",
  usage: "berth wait [--condition STATE]... [--interval DURATION] CONTAINER...",
  async run(global, args) {
    const p = parseFlags(args, {
      condition: { type: "string", multiple: true },
      interval: { type: "string", short: "i" },
      latest: { type: "boolean", short: "l" },
      help: { type: "boolean" },
    });
    if (bool(p, "help")) return await printUsage(this.usage);
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
    let status = 0;
    for (const id of ids) {
      try {
        const r = await waitForContainer(engine, id, { conditions, intervalMs });
        await out(`${r.code}\n`);
        if (r.warning) await errOut(`Error: ${r.warning}\n`);
      } catch (err) {
        await errOut(`Error: ${errorMessage(err)}\n`);
        status = 125;
      }
    }
    return status;
  },
};
