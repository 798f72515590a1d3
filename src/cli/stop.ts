/**
 * `berth stop [-t SECONDS] CONTAINER...`: stop signal, then SIGKILL after the timeout.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { bool, parseNonNegativeInt, str } from "./args.ts";
import { NoSuchContainerError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { stopContainer } from "../engine/stop.ts";
import { allOrTargets, forEachTarget, LATEST_FLAG, requireTargets } from "./targets.ts";

/** `stop` */
export const stopCommand: Command = {
  flags: {
    time: {
      type: "string",
      short: "t",
      help:
        "Seconds to wait after the stop signal before killing the container (default: the container's --stop-timeout)",
      value: "uint",
    },
    timeout: { type: "string", help: "Same as --time", hidden: true },
    all: { type: "boolean", short: "a", help: "Stop every running container" },
    latest: LATEST_FLAG,
    ignore: {
      type: "boolean",
      short: "i",
      help: "Ignore errors when a named container does not exist",
    },
  },
  async run(global, p) {
    const t = str(p, "time") ?? str(p, "timeout");
    const timeout = t === undefined ? undefined : parseNonNegativeInt(t, "--time");
    const choice = { args: p.positionals, all: bool(p, "all"), latest: bool(p, "latest") };
    requireTargets(choice, "stop");
    const engine = await openEngine(global);
    return await forEachTarget(allOrTargets(engine, choice, "stop"), async (arg) => {
      await stopContainer(engine, findContainer(engine, arg).id, timeout);
      return `${arg}\n`;
    }, { skip: (err) => bool(p, "ignore") && err instanceof NoSuchContainerError });
  },
};
