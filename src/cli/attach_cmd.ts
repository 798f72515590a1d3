/**
 * `berth attach [--no-stdin] [--sig-proxy=false] CONTAINER`: follow a running container's
 * output from now on (stdout and stderr apart), feed it stdin if it was created with `-i`,
 * and exit with its code, as `podman attach` does.
 *
 * @module
 */
import { isRunning } from "../engine/states.ts";
import type { Command } from "./command.ts";
import { bool } from "./args.ts";
import { StateError, UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { syncContainer } from "../engine/sync.ts";
import { attachUntilExit, prepareAttach } from "./attach.ts";
import { LATEST_FLAG, targetsOrLatest } from "./targets.ts";

/** `attach` */
export const attachCommand: Command = {
  flags: {
    "no-stdin": {
      type: "boolean",
      help: "Do not attach stdin, even if the container keeps it open",
    },
    "sig-proxy": {
      type: "boolean",
      default: true,
      help: "Forward the signals berth receives to the container's process",
    },
    latest: LATEST_FLAG,
  },
  async run(global, p) {
    if (p.positionals.length > 1) throw new UsageError("attach takes exactly one container");
    const engine = await openEngine(global);
    const [target] = targetsOrLatest(engine, p.positionals, bool(p, "latest"), "attach");
    const found = findContainer(engine, target);
    // Open the log before looking at the state: nothing written after this can be missed.
    const attachment = prepareAttach(engine, found);
    const row = syncContainer(engine, found.id);
    if (!row || !isRunning(row.state)) {
      attachment.close();
      throw new StateError(
        "you can only attach to running containers: container state improper",
      );
    }
    const spec = { ...row.spec, sigProxy: bool(p, "sig-proxy") && row.spec.sigProxy !== false };
    return await attachUntilExit(
      engine,
      { ...row, spec },
      attachment,
      row.spec.interactive === true && !bool(p, "no-stdin"),
    );
  },
};
