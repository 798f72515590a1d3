/**
 * podman's `-l/--latest`: act on the most recently created container instead of naming one.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import type { Engine } from "../engine/context.ts";
import { listContainers } from "../store/containers.ts";

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
