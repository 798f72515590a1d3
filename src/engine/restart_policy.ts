/**
 * Restart policies (`--restart no|always|on-failure[:N]|unless-stopped`), as podman has them:
 * parsing, and the pure decision the cleanup takes when a container's process has exited.
 * berth has no restart on boot, so `unless-stopped` acts as `always`.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import type { RestartPolicy, RestartPolicyName } from "../spec.ts";
import type { ContainerRow } from "../store/containers.ts";

/** The names `--restart` takes (podman's `define.RestartPolicyMap`, without `""`). */
export const RESTART_POLICY_NAMES: readonly RestartPolicyName[] = [
  "no",
  "always",
  "on-failure",
  "unless-stopped",
];

/**
 * Parse `--restart NAME[:N]` with podman's messages. `undefined` for an empty value
 * (podman's "no policy given").
 *
 * @throws {UsageError} for an unknown name or a bad retry count
 */
export function parseRestartPolicy(text: string): RestartPolicy | undefined {
  if (text === "") return undefined;
  const parts = text.split(":");
  if (parts.length > 2) {
    throw new UsageError("invalid restart policy: may specify retries at most once");
  }
  const name = parts[0];
  let maxRetries = 0;
  if (parts.length === 2) {
    if (name.toLowerCase() !== "on-failure") {
      throw new UsageError(
        "restart policy retries can only be specified with on-failure restart policy",
      );
    }
    if (!/^-?\d+$/.test(parts[1])) {
      throw new UsageError(
        `parsing restart policy retry count: strconv.Atoi: parsing "${parts[1]}": invalid syntax`,
      );
    }
    maxRetries = Number(parts[1]);
    if (maxRetries < 0) {
      throw new UsageError("must specify restart policy retry count as a number greater than 0");
    }
  }
  if (!(RESTART_POLICY_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`"${parts[0]}" is not a valid restart policy: invalid argument`);
  }
  return { name: name as RestartPolicyName, maxRetries };
}

/**
 * podman refuses `--rm` with a policy that restarts: the removal would race the restart.
 *
 * @throws {UsageError} podman's message
 */
export function checkAutoRemove(policy: RestartPolicy | undefined, autoRemove: boolean): void {
  if (autoRemove && policy && policy.name !== "no") {
    throw new UsageError(
      `the --rm option conflicts with --restart, when the restartPolicy is not "" and "no"`,
    );
  }
}

/** The policy's name as podman reports it: `""` when none was given. */
export function restartPolicyName(policy: RestartPolicy | undefined): string {
  return policy?.name ?? "";
}

/**
 * Should the cleanup of `row`, whose process exited with `row.exitCode`, start it again?
 * Never after `stop`/`kill`, never for an `--rm` container; `on-failure` only for a non-zero
 * code and while retries are left.
 */
export function shouldRestart(row: ContainerRow): boolean {
  const policy = row.spec.restartPolicy;
  if (!policy || policy.name === "no" || row.stoppedByUser || row.spec.autoRemove) return false;
  if (policy.name === "on-failure") {
    if (row.exitCode === 0 || row.exitCode === null) return false;
    return policy.maxRetries === 0 || row.restartCount < policy.maxRetries;
  }
  return true;
}
