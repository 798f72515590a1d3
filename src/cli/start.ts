/**
 * `berth start [-a] [--all] [--filter K=V] CONTAINER...`: start created or exited containers;
 * with `-a`, attach and exit with the container's code. Named containers print as given;
 * `--all` and `--filter` choose among every container and print full IDs, as podman does.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { bool, list, type Parsed } from "./args.ts";
import { BerthError, errorMessage, UsageError } from "../errors.ts";
import { type Engine, openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { observeContainer } from "../engine/observe.ts";
import { hasProcess } from "../engine/states.ts";
import { listContainers } from "../store/containers.ts";
import { attachUntilExit, prepareAttach, startOrDiscard } from "./attach.ts";
import { type ContainerFilter, containerFilter } from "./container_filter.ts";
import { forEachTarget, LATEST_FLAG, targetsOrLatest } from "./targets.ts";

/** A start failure is an engine error for `start` (podman exits 125). */
function asStartError(err: unknown): BerthError {
  return new BerthError(errorMessage(err));
}

/**
 * podman's checks of the flag combinations (`cmd/podman/containers/start.go`), in its order.
 *
 * @throws {UsageError} with podman's message
 */
export function validateStart(p: Parsed, filters: number): void {
  const args = p.positionals.length;
  const [all, latest, attach] = [bool(p, "all"), bool(p, "latest"), bool(p, "attach")];
  if (args === 0 && !latest && !all && filters === 0) {
    throw new UsageError("start requires at least one argument");
  }
  if (all && latest) throw new UsageError("--all and --latest cannot be used together");
  if (args > 0 && latest) throw new UsageError("--latest and containers cannot be used together");
  if (args > 1 && attach) {
    throw new UsageError("you cannot start and attach multiple containers at once");
  }
  if ((args > 0 || latest) && all) {
    throw new UsageError(
      "either start all containers or the container(s) provided in the arguments",
    );
  }
  if (attach && all) throw new UsageError("you cannot start and attach all containers at once");
  if (p.values["sig-proxy"] === true && !attach) {
    throw new UsageError("you cannot use sig-proxy without --attach: invalid argument");
  }
}

/**
 * The full IDs `--all`/`--filter` choose, oldest first: every container not already running
 * that passes the filter; with arguments, only those named by full ID or name (podman's rule).
 */
async function chooseContainers(
  engine: Engine,
  names: string[],
  filter: ContainerFilter | undefined,
): Promise<string[]> {
  const chosen: string[] = [];
  for (const listed of listContainers(engine.store)) {
    if (names.length && !names.includes(listed.id) && !names.includes(listed.name)) continue;
    const row = await observeContainer(engine, listed.id); // current state, for the filter
    if (!row || hasProcess(row.state) || (filter && !filter.test(row))) continue;
    chosen.push(row.id);
  }
  return chosen;
}

/** `start [-a] [--all] [--filter K=V] CONTAINER...` */
export const startCommand: Command = {
  flags: {
    attach: {
      type: "boolean",
      short: "a",
      help: "Attach to the container's output (and stdin with -i) and exit with its status",
    },
    interactive: {
      type: "boolean",
      short: "i",
      help: "With --attach, feed berth's stdin to a container created with -i",
    },
    latest: LATEST_FLAG,
    all: {
      type: "boolean",
      help: "Start every container that is not running (those --filter chooses, with it)",
    },
    filter: {
      type: "string",
      short: "f",
      multiple: true,
      help:
        "Start the containers that match: as ps --filter (id=, name=, status=, exited=, label=, restart-policy=)",
      value: "KEY=VALUE",
    },
    "sig-proxy": {
      type: "boolean",
      help:
        "With --attach, forward the signals berth receives to the container's process (default: true when attached)",
    },
  },
  async run(global, p) {
    const filters = list(p, "filter");
    validateStart(p, filters.length);
    const filter = filters.length ? containerFilter(filters) : undefined;
    const engine = await openEngine(global);
    const choosing = filter !== undefined || bool(p, "all");
    const targets = choosing
      ? await chooseContainers(engine, p.positionals, filter)
      : targetsOrLatest(engine, p.positionals, bool(p, "latest"), "start");
    if (bool(p, "attach")) {
      if (targets.length !== 1) {
        throw new UsageError("you cannot start and attach multiple containers at once");
      }
      const row = findContainer(engine, targets[0]);
      const attachment = prepareAttach(engine, row);
      const feedInput = bool(p, "interactive") && row.spec.interactive === true;
      await startOrDiscard(engine, row, attachment, {}, feedInput).catch((err) => {
        throw asStartError(err);
      });
      return await attachUntilExit(engine, row, attachment, feedInput);
    }
    return await forEachTarget(targets, async (arg) => {
      const row = findContainer(engine, arg);
      await startOrDiscard(engine, row).catch((err) => {
        throw asStartError(err);
      });
      return `${arg}\n`;
    });
  },
};
