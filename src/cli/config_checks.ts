/**
 * What berth.conf's values mean to the CLI, checked when the file is read (so a bad value is
 * an error naming the file and line, not a surprise at the first `run`): the default network
 * and ulimits parse as `--network` and `--ulimit` do, and each search registry is a host.
 *
 * @module
 */
import type { ValueChecks } from "../config.ts";
import { UsageError } from "../errors.ts";
import { parseReference } from "../image/reference.ts";
import { parseNetworkArg } from "./network_mode.ts";
import { parseUlimit } from "../engine/ulimits.ts";

/** A registry host, with its port if any (`quay.io`, `127.0.0.1:5000`), as a reference names it. */
function checkRegistry(text: string): void {
  let named: string | undefined;
  try {
    named = parseReference(`${text}/x`, "").registry;
  } catch { /* reported below */ }
  if (named !== text) throw new UsageError(`"${text}" is not a registry host`);
}

/** The CLI's checks of berth.conf's values, by `table.key`. */
export const CONFIG_CHECKS: ValueChecks = {
  "containers.network": parseNetworkArg,
  "containers.ulimits": parseUlimit,
  "registries.search": checkRegistry,
};
