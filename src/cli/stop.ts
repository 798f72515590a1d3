/**
 * `berth stop [-t SECONDS] CONTAINER...`: stop signal, then SIGKILL after the timeout.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { errOut, out } from "./command.ts";
import { bool, parseFlags, parseNonNegativeInt, str } from "./args.ts";
import { errorMessage, NoSuchContainerError, UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { stopContainer } from "../engine/stop.ts";
import { listContainers } from "../store/containers.ts";
import { targetsOrLatest } from "./latest.ts";
import { printUsage } from "./command.ts";

/** `stop` */
export const stopCommand: Command = {
  summary: "Stop one or more running containers",
  usage: "berth stop [-t SECONDS] [-a] [--ignore] CONTAINER...",
  async run(global, args) {
    const p = parseFlags(args, {
      time: { type: "string", short: "t" },
      timeout: { type: "string" },
      all: { type: "boolean", short: "a" },
      latest: { type: "boolean", short: "l" },
      ignore: { type: "boolean", short: "i" },
      help: { type: "boolean" },
    });
    if (bool(p, "help")) return await printUsage(this.usage);
    const t = str(p, "time") ?? str(p, "timeout");
    const timeout = t === undefined ? undefined : parseNonNegativeInt(t, "--time");
    if (!bool(p, "all") && !bool(p, "latest") && p.positionals.length === 0) {
      throw new UsageError("stop requires at least one container or --all");
    }
    const engine = await openEngine(global);
    const targets = bool(p, "all")
      ? listContainers(engine.store).map((r) => r.id)
      : targetsOrLatest(engine, p.positionals, bool(p, "latest"), "stop");
    let status = 0;
    for (const arg of targets) {
      try {
        const row = findContainer(engine, arg);
        await stopContainer(engine, row.id, timeout);
        await out(`${arg}\n`);
      } catch (err) {
        if (bool(p, "ignore") && err instanceof NoSuchContainerError) continue;
        await errOut(`Error: ${errorMessage(err)}\n`);
        status = 125;
      }
    }
    return status;
  },
};
