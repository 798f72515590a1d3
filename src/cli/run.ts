/**
 * `berth run`: create + start + attach (or print the ID with `-d`), exiting with the
 * container's own code.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out, printUsage } from "./command.ts";
import { parseFlags } from "./args.ts";
import { bool } from "./args.ts";
import { ISOLATION_HELP, RUN_FLAGS } from "./container_flags.ts";
import { createFromRequest } from "./create.ts";
import { openEngine } from "../engine/context.ts";
import { attachUntilExit, prepareAttach, startOrDiscard } from "./attach.ts";

/** `run [flags] (--rootfs DIR | IMAGE) [CMD…]` */
export const runCommand: Command = {
  summary: "Run a command in a new container",
  usage: "berth run [flags] (--rootfs DIR[:O] | IMAGE) [COMMAND [ARG...]]",
  async run(global, args) {
    const p = parseFlags(args, RUN_FLAGS, true);
    if (bool(p, "help")) return await printUsage(this.usage, ISOLATION_HELP);
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
