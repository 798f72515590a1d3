/**
 * `berth kill [-s SIGNAL] CONTAINER...`
 *
 * @module
 */
import type { Command } from "./command.ts";
import { bool, str } from "./args.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { killContainer } from "../engine/kill.ts";
import { canKill } from "../engine/states.ts";
import { parseSignal } from "../signals.ts";
import { allOrTargets, forEachTarget, LATEST_FLAG, requireTargets } from "./targets.ts";

/** `kill` */
export const killCommand: Command = {
  flags: {
    signal: {
      type: "string",
      short: "s",
      help: "Signal to send: a name (KILL, SIGTERM, …) or a number",
      defaultText: '"KILL"',
    },
    all: { type: "boolean", short: "a", help: "Signal every running container" },
    latest: LATEST_FLAG,
  },
  async run(global, p) {
    const signal = parseSignal(str(p, "signal") ?? "KILL");
    const choice = { args: p.positionals, all: bool(p, "all"), latest: bool(p, "latest") };
    requireTargets(choice, "kill");
    const engine = await openEngine(global);
    const targets = allOrTargets(engine, choice, "kill", (r) => canKill(r.state));
    return await forEachTarget(targets, async (arg) => {
      await killContainer(engine, findContainer(engine, arg).id, signal);
      return `${arg}\n`;
    });
  },
};
