/**
 * `berth network prune`: berth's networks (`host`, `none`) are built in, never created by a
 * user, so there is never one to prune. Scripts written for podman that tidy up with
 * `network prune -f` run unchanged.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";

/** `network prune [-f] [--filter KEY=VALUE]`: nothing to remove, exit 0, no output. */
export const networkPruneCommand: Command = {
  flags: {
    force: { type: "boolean", short: "f", help: "Do not ask for confirmation" },
    filter: {
      type: "string",
      multiple: true,
      value: "KEY=VALUE",
      help: "Prune only the matching networks (there are none to prune)",
    },
  },
  run(_global, p) {
    if (p.positionals.length) {
      throw new UsageError(`"berth network prune" accepts no arguments`);
    }
    return Promise.resolve(0);
  },
};
