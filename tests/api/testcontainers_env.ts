/**
 * The environment testcontainers-node reads, set before it is loaded: this module is imported
 * ahead of `npm:testcontainers` (modules run in import order), and its sandbox is the one the
 * service then runs on, so `DOCKER_HOST` names that service's socket before it exists.
 *
 * - `DOCKER_HOST`: testcontainers' `ConfigurationStrategy` (it would otherwise try
 *   `~/.testcontainers.properties` and `/var/run/docker.sock`).
 * - `TESTCONTAINERS_RYUK_DISABLED`: no reaper container.
 * - `TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1`: on a machine with `/.dockerenv` (this one),
 *   testcontainers answers `getHost()` with the `bridge` network's gateway, or pulls alpine to
 *   find a default gateway, while berth publishes ports on the loopback.
 * - `DOCKER_CONFIG`: its auth look-up reads the sandbox's, never the user's `~/.docker`.
 *
 * @module
 */
import { join } from "node:path";
import { type Sandbox, sandbox } from "../helpers.ts";

/** The sandbox the testcontainers test's service runs on. */
export const tcSandbox: Sandbox = sandbox("berth-api-tc-");

/** `unix://` URI of the service's socket (where `startService` puts it). */
export const tcDockerHost = `unix://${join(tcSandbox.dir, "s.sock")}`;

/** What is set, by name. */
const TC_ENV: Record<string, string> = {
  DOCKER_HOST: tcDockerHost,
  TESTCONTAINERS_RYUK_DISABLED: "true",
  TESTCONTAINERS_HOST_OVERRIDE: "127.0.0.1",
  DOCKER_CONFIG: join(tcSandbox.dir, "docker-config"),
};

for (const [k, v] of Object.entries(TC_ENV)) Deno.env.set(k, v);

/** Unset it again (test modules run in parallel share the process's environment). */
export function clearTcEnv(): void {
  for (const k of Object.keys(TC_ENV)) Deno.env.delete(k);
}
