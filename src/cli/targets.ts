/**
 * Which containers a command acts on, and the loop that acts on each: podman's `-l/--latest`
 * (the most recently created container), `-a/--all`, and {@linkcode forEachTarget}, which
 * tries every target, prints what succeeded and one `Error:` line per failure, and picks the
 * exit status by podman's rule.
 *
 * @module
 */
import { errorMessage, UsageError } from "../errors.ts";
import type { Engine } from "../engine/context.ts";
import { type ContainerRow, listContainers } from "../store/containers.ts";
import { errOut, out } from "./command.ts";
import type { FlagSpec } from "./args.ts";

/** `-l/--latest`: the newest container stands for the target ({@linkcode targetsOrLatest}). */
export const LATEST_FLAG: FlagSpec = {
  type: "boolean",
  short: "l",
  help: "Act on the container created last (instead of naming one)",
};

/**
 * The containers a command acts on: `args`, or with `latest` the newest container's ID.
 *
 * @throws {UsageError} for both or neither, or `--latest` with no containers
 */
export function targetsOrLatest(
  engine: Engine,
  args: string[],
  latest: boolean,
  command: string,
): string[] {
  if (latest && args.length) {
    throw new UsageError("--latest and containers cannot be used together");
  }
  if (!latest) {
    if (!args.length) throw new UsageError(`${command} requires a name, id, or the --latest flag`);
    return args;
  }
  const newest = listContainers(engine.store).at(-1);
  if (!newest) throw new UsageError("no containers to act on with --latest");
  return [newest.id];
}

/** What a command with `-a/--all` was asked to act on. */
export interface TargetChoice {
  /** The containers named on the command line. */
  args: string[];
  /** `-a/--all` (or another flag meaning "every container", like `restart --running`). */
  all: boolean;
  /** `-l/--latest` */
  latest: boolean;
}

/**
 * Refuse a command given neither containers, `--all` nor `--latest`, before the engine is
 * opened (so bad input changes nothing).
 *
 * @throws {UsageError} `<command> requires at least one container or --all`
 */
export function requireTargets(choice: TargetChoice, command: string): void {
  if (!choice.all && !choice.latest && choice.args.length === 0) {
    throw new UsageError(`${command} requires at least one container or --all`);
  }
}

/**
 * The containers of an `--all`-or-named command: with `all`, the ID of every container
 * `every` keeps (all of them by default), oldest first; otherwise {@linkcode targetsOrLatest}.
 */
export function allOrTargets(
  engine: Engine,
  choice: TargetChoice,
  command: string,
  every: (row: ContainerRow) => boolean = () => true,
): string[] {
  return choice.all
    ? listContainers(engine.store).filter(every).map((r) => r.id)
    : targetsOrLatest(engine, choice.args, choice.latest, command);
}

/** How {@linkcode forEachTarget} treats a failure. */
export interface TargetOptions {
  /**
   * The status one failure stands for. podman's multi-target commands exit 125 whatever
   * failed (the default); `rm` classifies: 1 for a missing container, 2 for a running one.
   */
  statusOf?: (err: unknown) => number;
  /** Failures passed over in silence, as successes without output (`rm -f` of a missing one). */
  skip?: (err: unknown, target: string) => boolean;
  /** The text after `Error: ` (default: the error's one-line message). */
  message?: (err: unknown, target: string) => string;
  /**
   * Run after every target was tried, before the `Error:` lines, which then wait for it
   * (inspect prints its JSON array of what it found first).
   */
  beforeErrors?: () => Promise<void>;
}

/**
 * Act on each target in order, whatever failed before it. `act` returns what to print on
 * stdout for a success (or prints itself and returns nothing); each failure is one
 * `Error: <message>` line on stderr.
 *
 * The status is podman's rule: 0 when nothing failed, otherwise the lowest status any failure
 * stands for ({@linkcode TargetOptions.statusOf}, 125 by default). That is podman's
 * `setExitCode`: once a "no such container" (1) is seen it stays, a state error (2) beats
 * the generic 125.
 */
export async function forEachTarget<T extends string>(
  targets: readonly T[],
  act: (target: T) => Promise<string | void>,
  options: TargetOptions = {},
): Promise<number> {
  const statusOf = options.statusOf ?? (() => 125);
  const message = options.message ?? ((err: unknown) => errorMessage(err));
  const errors: string[] = [];
  let status = 0;
  for (const target of targets) {
    try {
      const text = await act(target);
      if (text) await out(text);
    } catch (err) {
      if (options.skip?.(err, target)) continue;
      const line = `Error: ${message(err, target)}\n`;
      if (options.beforeErrors) errors.push(line);
      else await errOut(line);
      const s = statusOf(err);
      status = status === 0 ? s : Math.min(status, s);
    }
  }
  await options.beforeErrors?.();
  if (errors.length) await errOut(errors.join(""));
  return status;
}
