/**
 * `berth rm [-f] [-a] [--depend] CONTAINER...`: exit 1 for a missing container, 2 for a running
 * one without `-f` (podman's statuses); `rm -f` of a missing container is silent success. A
 * container others depend on (`--network container:`) goes only after them: `--depend`
 * removes them first, `-a` orders them first.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { bool, parseNonNegativeInt, str } from "./args.ts";
import { ContainerRunningError, NoSuchContainerError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { removeContainer } from "../engine/remove.ts";
import { removalOrder } from "../engine/dependencies.ts";
import { out } from "./command.ts";
import { allOrTargets, forEachTarget, LATEST_FLAG, requireTargets } from "./targets.ts";

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
    force: {
      type: "boolean",
      short: "f",
      help: "Stop and remove running containers too; a missing container is not an error",
    },
    all: { type: "boolean", short: "a", help: "Remove every container" },
    latest: LATEST_FLAG,
    ignore: {
      type: "boolean",
      short: "i",
      help: "Ignore errors when a named container does not exist",
    },
    time: {
      type: "string",
      short: "t",
      help:
        "Seconds to wait for a running container to stop before killing it, with --force (default: the container's --stop-timeout)",
      value: "uint",
    },
    volumes: {
      type: "boolean",
      short: "v",
      help: "Accepted for podman compatibility; berth has no volumes to remove",
    },
    depend: {
      type: "boolean",
      help: "Remove the containers that depend on it (--network container:) first",
    },
  },
  async run(global, p) {
    const t = str(p, "time");
    const timeout = t === undefined ? undefined : parseNonNegativeInt(t, "--time");
    const choice = { args: p.positionals, all: bool(p, "all"), latest: bool(p, "latest") };
    requireTargets(choice, "rm");
    const force = bool(p, "force");
    const depend = bool(p, "depend");
    const engine = await openEngine(global);
    let targets = allOrTargets(engine, choice, "rm");
    // Every container: those that join another's network go before it.
    if (choice.all) targets = [...new Set(targets.flatMap((id) => removalOrder(engine, id)))];
    return await forEachTarget(targets, async (arg) => {
      const row = findContainer(engine, arg);
      if (depend) {
        // Its dependents first, each printed by its ID as it goes (podman's --depend).
        for (const dep of removalOrder(engine, row.id).slice(0, -1)) {
          await removeContainer(engine, dep, { force, timeout });
          await out(`${dep}\n`);
        }
      }
      await removeContainer(engine, row.id, { force, timeout });
      return `${choice.all ? row.id : arg}\n`;
    }, {
      statusOf: rmStatus,
      skip: (err) => (force || bool(p, "ignore")) && err instanceof NoSuchContainerError,
    });
  },
};
