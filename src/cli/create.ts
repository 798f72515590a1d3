/**
 * `berth create`: record a container without starting it; prints its ID.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { type Parsed, str } from "./args.ts";
import { buildSpec, CREATE_FLAGS } from "./container_flags.ts";
import { type Engine, type GlobalOptions, openEngine } from "../engine/context.ts";
import { createContainer } from "../engine/create.ts";
import { removeContainer } from "../engine/remove.ts";
import { tryFindContainer } from "../engine/lookup.ts";
import type { ContainerRow } from "../store/containers.ts";
import { UsageError } from "../errors.ts";

/** Validate, honour `--replace`, create, write `--cidfile`. Shared with `run`. */
export async function createFromRequest(
  engine: Engine,
  global: GlobalOptions,
  p: Parsed,
): Promise<ContainerRow> {
  // Claim the cidfile first: one that exists or cannot be written rejects the command before
  // an image is pulled or a container exists (podman leaves one behind).
  const cidfile = str(p, "cidfile");
  const cid = cidfile === undefined ? undefined : openCidfile(cidfile);
  try {
    const req = await buildSpec(engine, p, global.runtime);
    if (req.replace && req.name) {
      const old = tryFindContainer(engine, req.name);
      if (old && old.name === req.name) await removeContainer(engine, old.id, { force: true });
    }
    const row = createContainer(engine, req.spec, req.name);
    if (cid) {
      cid.writeSync(new TextEncoder().encode(row.id));
      cid.close();
    }
    return row;
  } catch (err) {
    if (cid) {
      cid.close();
      Deno.removeSync(cidfile!);
    }
    throw err;
  }
}

/** `create [flags] (--rootfs DIR | IMAGE) [CMD…]` */
export const createCommand: Command = {
  flags: CREATE_FLAGS,
  stopAtPositional: true,
  async run(global, p) {
    const engine = await openEngine(global);
    const row = await createFromRequest(engine, global, p);
    await out(`${row.id}\n`);
    return 0;
  },
};

/**
 * Create `path` for the container's ID, refusing an existing file.
 *
 * @throws {UsageError} if it exists or cannot be created
 */
function openCidfile(path: string): Deno.FsFile {
  try {
    return Deno.openSync(path, { write: true, createNew: true, mode: 0o644 });
  } catch (err) {
    if (err instanceof Deno.errors.AlreadyExists) {
      throw new UsageError(
        `container id file exists. Ensure another container is not using it or delete ${path}`,
      );
    }
    throw new UsageError(`opening cidfile ${path}: ${(err as Error).message}`);
  }
}
