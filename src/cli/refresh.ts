/**
 * `berth system refresh`: what berth does by itself after a reboot.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { bool, parseFlags } from "./args.ts";
import { openEngine } from "../engine/context.ts";
import { refresh } from "../engine/refresh.ts";
import { printUsage } from "./run.ts";

/** `system refresh`: what berth does by itself after a reboot. */
export const refreshCommand: Command = {
  summary: "Reset container states and clear exit codes, as after a reboot",
  usage: "berth system refresh",
  async run(global, args) {
    const p = parseFlags(args, { help: { type: "boolean" } });
    if (bool(p, "help")) return await printUsage(this.usage);
    const engine = await openEngine(global);
    await refresh(engine);
    return 0;
  },
};
