/**
 * `berth rm [-f] [-a] CONTAINER...`: exit 1 for a missing container, 2 for a running one
 * without `-f` (podman's statuses); `rm -f` of a missing container is silent success.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { errOut, out } from "./command.ts";
import { bool, parseFlags, parseNonNegativeInt, str } from "./args.ts";
import { BerthError, errorMessage, NoSuchContainerError, UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { removeContainer } from "../engine/remove.ts";
import { listContainers } from "../store/containers.ts";
import { targetsOrLatest } from "./latest.ts";
import { printUsage } from "./command.ts";

/** `rm` */
export const rmCommand: Command = {
  summary: "Remove one or more containers",
  usage: "berth rm [-f] [-a] [-t SECONDS] CONTAINER...",
  async run(global, args) {
    const p = parseFlags(args, {
      force: { type: "boolean", short: "f" },
      all: { type: "boolean", short: "a" },
      latest: { type: "boolean", short: "l" },
      ignore: { type: "boolean", short: "i" },
      time: { type: "string", short: "t" },
      volumes: { type: "boolean", short: "v" },
      help: { type: "boolean" },
    });
    if (bool(p, "help")) return await printUsage(this.usage);
    const t = str(p, "time");
    const timeout = t === undefined ? undefined : parseNonNegativeInt(t, "--time");
    if (!bool(p, "all") && !bool(p, "latest") && p.positionals.length === 0) {
      throw new UsageError("rm requires at least one container or --all");
    }
    const force = bool(p, "force");
    const engine = await openEngine(global);
    const targets = bool(p, "all")
      ? listContainers(engine.store).map((r) => r.id)
      : targetsOrLatest(engine, p.positionals, bool(p, "latest"), "rm");
    let status = 0;
    for (const arg of targets) {
      try {
        const row = findContainer(engine, arg);
        await removeContainer(engine, row.id, { force, timeout });
        await out(`${bool(p, "all") ? row.id : arg}\n`);
      } catch (err) {
        if (err instanceof NoSuchContainerError) {
          if (force || bool(p, "ignore")) continue;
          await errOut(`Error: ${errorMessage(err)}\n`);
          status = 1;
          continue;
        }
        await errOut(`Error: ${errorMessage(err)}\n`);
        status = err instanceof BerthError ? err.exitCode : 125;
      }
    }
    return status;
  },
};
