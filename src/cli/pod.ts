/**
 * `berth pod kill|rm|exists`: berth has no pods, so these answer the way podman answers for a
 * pod that does not exist, after checking their flags as podman does (a bad signal is refused
 * before any pod is looked up). Scripts written for podman that tidy up pods (`pod rm -a -f`)
 * then run unchanged.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { errOut } from "./command.ts";
import { bool, str } from "./args.ts";
import { errorMessage, NoSuchPodError, UsageError } from "../errors.ts";
import { parseSignal } from "../signals.ts";

/**
 * The pods a pod command names, checked as podman's `CheckAllLatestAndIDFile` does: `--all`
 * and names exclude each other, and one of them is needed. Returns the names (none with `--all`).
 *
 * @throws {UsageError} podman's messages for a bad combination
 */
export function podTargets(args: string[], all: boolean): string[] {
  if (all && args.length) throw new UsageError("no arguments are needed with --all");
  if (!all && !args.length) throw new UsageError("you must provide at least one name or id");
  return all ? [] : args;
}

/** `pod kill [-s SIGNAL] [-a] POD...`: the signal is parsed first, then no pod is found (125). */
export const podKillCommand: Command = {
  flags: {
    signal: {
      type: "string",
      short: "s",
      default: "KILL",
      help: "Signal to send to the pods' containers",
    },
    all: { type: "boolean", short: "a", help: "Signal every pod (there are none)" },
  },
  run(_global, p) {
    parseSignal(str(p, "signal") ?? "KILL");
    const names = podTargets(p.positionals, bool(p, "all"));
    // --all over no pods kills nothing and succeeds, as podman does.
    if (names.length) throw new NoSuchPodError(names[0]);
    return Promise.resolve(0);
  },
};

/**
 * `pod rm [-a] [-f] [-i] [-t SECONDS] POD...`: with `--all`, or with `--force`/`--ignore`
 * (missing pods are not an error then), nothing to do; otherwise podman's "no such pod", exit 1.
 */
export const podRmCommand: Command = {
  flags: {
    all: { type: "boolean", short: "a", help: "Remove every pod (there are none)" },
    force: { type: "boolean", short: "f", help: "Stop running pods first; needed with --time" },
    ignore: { type: "boolean", short: "i", help: "A missing pod is not an error" },
    time: {
      type: "string",
      short: "t",
      value: "SECONDS",
      help: "Seconds to wait before killing with --force",
    },
  },
  async run(_global, p) {
    if (str(p, "time") !== undefined && !bool(p, "force")) {
      throw new UsageError("--force option must be specified to use the --time option");
    }
    const names = podTargets(p.positionals, bool(p, "all"));
    if (!names.length || bool(p, "force") || bool(p, "ignore")) return 0;
    await errOut(`Error: ${errorMessage(new NoSuchPodError(names[0]))}\n`);
    return 1;
  },
};

/** `pod exists POD`: exit 1, as for any pod podman does not know. */
export const podExistsCommand: Command = {
  flags: {},
  run(_global, p) {
    if (p.positionals.length !== 1) throw new UsageError("exists requires exactly one pod");
    return Promise.resolve(1);
  },
};
