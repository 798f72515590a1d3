/**
 * `berth container cleanup [--rm] ID...`: the exit command conmon runs for every container.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { bool } from "./args.ts";
import { UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { tryFindContainer } from "../engine/lookup.ts";
import { cleanupContainer } from "../engine/cleanup.ts";
import { layout } from "../engine/paths.ts";
import { resolve } from "node:path";

/**
 * `container cleanup [--rm] ID...`: run by conmon when a container exits. Lost races are
 * silent successes; a store that no longer exists (its tests' temp dir removed) is nothing
 * to clean.
 */
export const cleanupCommand: Command = {
  flags: { rm: { type: "boolean", help: "Remove the container after cleaning it up" } },
  async run(global, p) {
    if (p.positionals.length === 0) throw new UsageError("cleanup requires a container");
    try {
      Deno.statSync(layout(resolve(global.root), resolve(global.runroot)).dbPath);
    } catch {
      return 0;
    }
    const engine = await openEngine(global);
    for (const arg of p.positionals) {
      const row = tryFindContainer(engine, arg);
      if (!row) continue;
      await cleanupContainer(engine, row.id, { remove: bool(p, "rm") });
      await out(`${row.id}\n`);
    }
    return 0;
  },
};
