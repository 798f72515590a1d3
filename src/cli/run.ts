/**
 * `berth run`: create + start + attach (or print the ID with `-d`), exiting with the
 * container's own code.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { bool } from "./args.ts";
import { RUN_FLAGS } from "./container_flags.ts";
import { createFromRequest } from "./create.ts";
import { openEngine } from "../engine/context.ts";
import { attachUntilExit, prepareAttach, startOrDiscard } from "./attach.ts";

/** `run [flags] (--rootfs DIR | IMAGE) [CMD…]` */
export const runCommand: Command = {
  flags: RUN_FLAGS,
  stopAtPositional: true,
  async run(global, p) {
    const engine = await openEngine(global);
    const row = await createFromRequest(engine, global, p);
    if (bool(p, "detach")) {
      await startOrDiscard(engine, row);
      await out(`${row.id}\n`);
      return 0;
    }
    const attachment = prepareAttach(engine, row);
    await startOrDiscard(engine, row, attachment);
    return await attachUntilExit(engine, row, attachment);
  },
};
