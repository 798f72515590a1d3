/**
 * `berth start [-a] CONTAINER...`: start created or exited containers; with `-a`, attach
 * and exit with the container's code.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { errOut, out } from "./command.ts";
import { bool, parseFlags } from "./args.ts";
import { BerthError, errorMessage, UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { attachUntilExit, prepareAttach, startOrDiscard } from "./attach.ts";
import { targetsOrLatest } from "./latest.ts";
import { printUsage } from "./command.ts";

/** A start failure is an engine error for `start` (podman exits 125). */
function asStartError(err: unknown): BerthError {
  return new BerthError(errorMessage(err));
}

/** `start [-a] CONTAINER...` */
export const startCommand: Command = {
  summary: "Start one or more containers",
  usage: "berth start [-a] CONTAINER...",
  async run(global, args) {
    const p = parseFlags(args, {
      attach: { type: "boolean", short: "a" },
      interactive: { type: "boolean", short: "i" },
      latest: { type: "boolean", short: "l" },
      help: { type: "boolean" },
    });
    if (bool(p, "help")) return await printUsage(this.usage);
    const engine = await openEngine(global);
    const targets = targetsOrLatest(engine, p.positionals, bool(p, "latest"), "start");
    if (bool(p, "attach")) {
      if (targets.length > 1) {
        throw new UsageError("you cannot start and attach multiple containers at once");
      }
      const row = findContainer(engine, targets[0]);
      const attachment = prepareAttach(engine, row);
      await startOrDiscard(engine, row, attachment).catch((err) => {
        throw asStartError(err);
      });
      return await attachUntilExit(
        engine,
        row,
        attachment,
        bool(p, "interactive") && row.spec.interactive === true,
      );
    }
    let status = 0;
    for (const arg of targets) {
      try {
        const row = findContainer(engine, arg);
        await startOrDiscard(engine, row).catch((err) => {
          throw asStartError(err);
        });
        await out(`${arg}\n`);
      } catch (err) {
        await errOut(`Error: ${errorMessage(err)}\n`);
        status = 125;
      }
    }
    return status;
  },
};
