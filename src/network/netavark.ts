/**
 * netavark, podman's network stack, as berth drives it: `setup` and `teardown` of one
 * container's network namespace from a JSON description on stdin. netavark creates the
 * bridge, the veth pair, the firewall rules (NAT, port forwarding) and starts aardvark-dns
 * for networks with DNS; berth keeps the records and the address leases.
 *
 * @module
 */
import { RuntimeError } from "../errors.ts";
import { pathExists } from "../fs.ts";
import type { NetavarkOptions, NetworkStatus } from "./types.ts";

export type { NetavarkOptions };

/** Where Debian's and Fedora's podman packages put the binaries. */
const SEARCH_DIRS = ["/usr/lib/podman", "/usr/libexec/podman", "/usr/local/libexec/podman"];

/** The absolute path of `name` (netavark, aardvark-dns), or undefined if none is installed. */
export function findNetworkBinary(name: string): string | undefined {
  const dirs = [...SEARCH_DIRS, ...(Deno.env.get("PATH") ?? "").split(":").filter(Boolean)];
  return dirs.map((d) => `${d}/${name}`).find((p) => pathExists(p));
}

/** Run netavark `command` on `netns` with `options` on stdin; returns its stdout. */
async function netavark(
  configDir: string,
  command: "setup" | "teardown",
  netns: string,
  options: NetavarkOptions,
): Promise<string> {
  const bin = findNetworkBinary("netavark");
  if (!bin) {
    throw new RuntimeError(
      "netavark is not installed (Debian: apt-get install netavark aardvark-dns)",
    );
  }
  const aardvark = findNetworkBinary("aardvark-dns");
  const child = new Deno.Command(bin, {
    args: [
      "--config",
      configDir,
      ...(aardvark ? ["--aardvark-binary", aardvark] : []),
      command,
      netns,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(options)));
  await writer.close();
  const r = await child.output();
  if (!r.success) {
    // netavark reports its error as `{"error": "…"}` on stdout; stderr has its log lines.
    let msg = "";
    try {
      msg = JSON.parse(new TextDecoder().decode(r.stdout)).error ?? "";
    } catch { /* not JSON */ }
    msg ||= new TextDecoder().decode(r.stderr).split("\n")
      .filter((l) => l.trim() && !l.includes("failed to connect to syslog")).join("; ");
    throw new RuntimeError(`netavark ${command}: ${msg || `exit status ${r.code}`}`);
  }
  return new TextDecoder().decode(r.stdout);
}

/**
 * Configure `netns` for the networks of `options`; netavark's answer per network name.
 *
 * @throws {RuntimeError} with netavark's message
 */
export async function netavarkSetup(
  configDir: string,
  netns: string,
  options: NetavarkOptions,
): Promise<Record<string, NetworkStatus>> {
  return JSON.parse(await netavark(configDir, "setup", netns, options));
}

/**
 * Undo {@linkcode netavarkSetup} (the same options): veths, firewall rules, DNS entries.
 *
 * @throws {RuntimeError} with netavark's message
 */
export async function netavarkTeardown(
  configDir: string,
  netns: string,
  options: NetavarkOptions,
): Promise<void> {
  await netavark(configDir, "teardown", netns, options);
}
