/**
 * `berth container exists CONTAINER`: exit 0 if it exists, 1 if not.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { bool, parseFlags } from "./args.ts";
import { UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { tryFindContainer } from "../engine/lookup.ts";
import { printUsage } from "./run.ts";

/** `container exists CONTAINER`: exit 0 if it exists, 1 if not. */
export const existsCommand: Command = {
  summary: "Check whether a container exists",
  usage: "berth container exists CONTAINER",
  async run(global, args) {
    const p = parseFlags(args, { help: { type: "boolean" } });
    if (bool(p, "help")) return await printUsage(this.usage);
    if (p.positionals.length !== 1) throw new UsageError("exists requires exactly one container");
    const engine = await openEngine(global);
    return tryFindContainer(engine, p.positionals[0]) ? 0 : 1;
  },
};
