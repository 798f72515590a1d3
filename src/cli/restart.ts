/**
 * `berth restart [-t SECONDS] [-a] [--running] CONTAINER...`: stop (stop signal, SIGKILL after
 * the timeout) then start each container, as `podman restart` does; prints each as given.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { errOut, out } from "./command.ts";
import { bool, parseFlags, parseNonNegativeInt, str } from "./args.ts";
import { errorMessage, UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { stopContainer } from "../engine/stop.ts";
import { startContainer } from "../engine/start.ts";
import { listContainers } from "../store/containers.ts";
import { hasProcess } from "../engine/states.ts";
import { targetsOrLatest } from "./latest.ts";
import { printUsage } from "./command.ts";

/** `restart` */
export const restartCommand: Command = {
  summary: "Restart one or more containers",
  usage: "berth restart [-t SECONDS] [-a] [--running] CONTAINER...",
  async run(global, args) {
    const p = parseFlags(args, {
      time: { type: "string", short: "t" },
      all: { type: "boolean", short: "a" },
      running: { type: "boolean" },
      latest: { type: "boolean", short: "l" },
      help: { type: "boolean" },
    });
    if (bool(p, "help")) return await printUsage(this.usage);
    const t = str(p, "time");
    const timeout = t === undefined ? undefined : parseNonNegativeInt(t, "--time");
    const every = bool(p, "all") || bool(p, "running");
    if (!every && !bool(p, "latest") && p.positionals.length === 0) {
      throw new UsageError("restart requires at least one container or --all");
    }
    const engine = await openEngine(global);
    const targets = every
      ? listContainers(engine.store)
        .filter((r) => !bool(p, "running") || hasProcess(r.state))
        .map((r) => r.id)
      : targetsOrLatest(engine, p.positionals, bool(p, "latest"), "restart");
    let status = 0;
    for (const arg of targets) {
      try {
        const row = findContainer(engine, arg);
        await stopContainer(engine, row.id, timeout);
        await startContainer(engine, row.id);
        await out(`${arg}\n`);
      } catch (err) {
        await errOut(`Error: ${errorMessage(err)}\n`);
        status = 125;
      }
    }
    return status;
  },
};
