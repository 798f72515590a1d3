/**
 * `berth create`: record a container without starting it; prints its ID.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { bool, type Parsed, parseFlags } from "./args.ts";
import { buildSpec, CREATE_FLAGS } from "./container_flags.ts";
import { type Engine, type GlobalOptions, openEngine } from "../engine/context.ts";
import { createContainer } from "../engine/create.ts";
import { removeContainer } from "../engine/remove.ts";
import { tryFindContainer } from "../engine/lookup.ts";
import type { ContainerRow } from "../store/containers.ts";
import { printUsage } from "./run.ts";

/** Validate, honour `--replace`, create, write `--cidfile`. Shared with `run`. */
export async function createFromRequest(
  engine: Engine,
  global: GlobalOptions,
  p: Parsed,
): Promise<ContainerRow> {
  const req = await buildSpec(engine, p, global.runtime);
  if (req.replace && req.name) {
    const old = tryFindContainer(engine, req.name);
    if (old && old.name === req.name) await removeContainer(engine, old.id, { force: true });
  }
  const row = createContainer(engine, req.spec, req.name);
  if (req.cidfile) Deno.writeTextFileSync(req.cidfile, row.id, { createNew: true });
  return row;
}

/** `create [flags] (--rootfs DIR | IMAGE) [CMD…]` */
export const createCommand: Command = {
  summary: "Create a container without starting it",
  usage: "berth create [flags] (--rootfs DIR[:O] | IMAGE) [COMMAND [ARG...]]",
  async run(global, args) {
    const p = parseFlags(args, CREATE_FLAGS, true);
    if (bool(p, "help")) return await printUsage(this.usage);
    const engine = await openEngine(global);
    const row = await createFromRequest(engine, global, p);
    await out(`${row.id}\n`);
    return 0;
  },
};
