/**
 * `berth container exists CONTAINER`: exit 0 if it exists, 1 if not.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { tryFindContainer } from "../engine/lookup.ts";

/** `container exists CONTAINER`: exit 0 if it exists, 1 if not. */
export const existsCommand: Command = {
  flags: {},
  async run(global, p) {
    if (p.positionals.length !== 1) throw new UsageError("exists requires exactly one container");
    const engine = await openEngine(global);
    return tryFindContainer(engine, p.positionals[0]) ? 0 : 1;
  },
};
