/**
 * `berth restart [-t SECONDS] [-a] [--running] CONTAINER...`: stop (stop signal, SIGKILL after
 * the timeout) then start each container, as `podman restart` does; prints each as given.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { bool, parseNonNegativeInt, str } from "./args.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { stopContainer } from "../engine/stop.ts";
import { startContainer } from "../engine/start.ts";
import { hasProcess } from "../engine/states.ts";
import { allOrTargets, forEachTarget, LATEST_FLAG, requireTargets } from "./targets.ts";

/** `restart` */
export const restartCommand: Command = {
  flags: {
    time: {
      type: "string",
      short: "t",
      help:
        "Seconds to wait for each container to stop before killing it (default: the container's --stop-timeout)",
      value: "uint",
    },
    all: { type: "boolean", short: "a", help: "Restart every container" },
    running: {
      type: "boolean",
      help: "Restart only the running containers (with --all, or instead of it)",
    },
    latest: LATEST_FLAG,
  },
  async run(global, p) {
    const t = str(p, "time");
    const timeout = t === undefined ? undefined : parseNonNegativeInt(t, "--time");
    const choice = {
      args: p.positionals,
      all: bool(p, "all") || bool(p, "running"),
      latest: bool(p, "latest"),
    };
    requireTargets(choice, "restart");
    const engine = await openEngine(global);
    const targets = allOrTargets(
      engine,
      choice,
      "restart",
      (r) => !bool(p, "running") || hasProcess(r.state),
    );
    return await forEachTarget(targets, async (arg) => {
      const row = findContainer(engine, arg);
      await stopContainer(engine, row.id, timeout);
      await startContainer(engine, row.id);
      return `${arg}\n`;
    });
  },
};
