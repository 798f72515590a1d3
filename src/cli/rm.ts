/**
 * `berth rm [-f] [-a] CONTAINER...`: exit 1 for a missing container, 2 for a running one
 * without `-f` (podman's statuses); `rm -f` of a missing container is silent success.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { bool, parseNonNegativeInt, str } from "./args.ts";
import { ContainerRunningError, NoSuchContainerError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { removeContainer } from "../engine/remove.ts";
import { allOrTargets, forEachTarget, requireTargets } from "./targets.ts";

/**
 * podman's status for one `rm` failure (its `setExitCode`): 1 for a missing container, 2
 * for a running one without `-f`, 125 for anything else.
 */
export function rmStatus(err: unknown): number {
  if (err instanceof NoSuchContainerError) return 1;
  if (err instanceof ContainerRunningError) return 2;
  return 125;
}

/** `rm` */
export const rmCommand: Command = {
  flags: {
    force: { type: "boolean", short: "f" },
    all: { type: "boolean", short: "a" },
    latest: { type: "boolean", short: "l" },
    ignore: { type: "boolean", short: "i" },
    time: { type: "string", short: "t" },
    volumes: { type: "boolean", short: "v" },
  },
  async run(global, p) {
    const t = str(p, "time");
    const timeout = t === undefined ? undefined : parseNonNegativeInt(t, "--time");
    const choice = { args: p.positionals, all: bool(p, "all"), latest: bool(p, "latest") };
    requireTargets(choice, "rm");
    const force = bool(p, "force");
    const engine = await openEngine(global);
    return await forEachTarget(allOrTargets(engine, choice, "rm"), async (arg) => {
      const row = findContainer(engine, arg);
      await removeContainer(engine, row.id, { force, timeout });
      return `${choice.all ? row.id : arg}\n`;
    }, {
      statusOf: rmStatus,
      skip: (err) => (force || bool(p, "ignore")) && err instanceof NoSuchContainerError,
    });
  },
};
