/**
 * `berth kill [-s SIGNAL] CONTAINER...`
 *
 * @module
 */
import type { Command } from "./command.ts";
import { errOut, out } from "./command.ts";
import { bool, parseFlags, str } from "./args.ts";
import { errorMessage, UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { killContainer } from "../engine/kill.ts";
import { listContainers } from "../store/containers.ts";
import { canKill } from "../engine/states.ts";
import { parseSignal } from "../signals.ts";
import { targetsOrLatest } from "./latest.ts";
import { printUsage } from "./command.ts";

/** `kill` */
export const killCommand: Command = {
  summary: "Send a signal to running containers",
  usage: "berth kill [-s SIGNAL] [-a] CONTAINER...",
  async run(global, args) {
    const p = parseFlags(args, {
      signal: { type: "string", short: "s" },
      all: { type: "boolean", short: "a" },
      latest: { type: "boolean", short: "l" },
      help: { type: "boolean" },
    });
    if (bool(p, "help")) return await printUsage(this.usage);
    const signal = parseSignal(str(p, "signal") ?? "KILL");
    if (!bool(p, "all") && !bool(p, "latest") && p.positionals.length === 0) {
      throw new UsageError("kill requires at least one container or --all");
    }
    const engine = await openEngine(global);
    const targets = bool(p, "all")
      ? listContainers(engine.store).filter((r) => canKill(r.state)).map((r) => r.id)
      : targetsOrLatest(engine, p.positionals, bool(p, "latest"), "kill");
    let status = 0;
    for (const arg of targets) {
      try {
        await killContainer(engine, findContainer(engine, arg).id, signal);
        await out(`${arg}\n`);
      } catch (err) {
        await errOut(`Error: ${errorMessage(err)}\n`);
        status = 125;
      }
    }
    return status;
  },
};
