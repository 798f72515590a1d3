/**
 * The network part of Docker's create body → the engine's request: `HostConfig.NetworkMode`,
 * `NetworkingConfig.EndpointsConfig` (more networks, `Aliases`, `IPAMConfig.IPv4Address`,
 * `MacAddress`), `HostConfig.PortBindings`, `PublishAllPorts` and `ExposedPorts`. Docker's
 * default network mode (`""`, `default`) is Docker's default, berth's default bridge `berth`
 * (as podman's compat API: GitLab's service containers and Testcontainers' published ports
 * need a private network), unless berth.conf's `[containers] network` says otherwise; the
 * CLI's own default stays `host`. `bridge` is berth's default bridge, `host`, `none` and
 * `container:X` berth's modes of those names, and anything else names a bridge network. Pure.
 *
 * @module
 */
import { UsageError } from "../../errors.ts";
import { DEFAULT_NETWORK } from "../../engine/networks.ts";
import { parsePublish } from "../../network/ports.ts";
import { parseIp } from "../../network/ipv4.ts";
import type { CreateRequest } from "../../engine/spec_builder.ts";
import type { PortMapping } from "../../spec.ts";

/** One `EndpointsConfig` entry. */
export interface DockerEndpoint {
  Aliases?: string[] | null;
  IPAMConfig?: { IPv4Address?: string | null } | null;
  MacAddress?: string | null;
}

/** `HostConfig.PortBindings`: `{"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}`. */
export type DockerPortBindings = Record<
  string,
  { HostIp?: string | null; HostPort?: string | null }[] | null
>;

/** What the network fields of a create body say. */
export interface DockerNetworkFields {
  NetworkMode?: string | null;
  EndpointsConfig?: Record<string, DockerEndpoint | null> | null;
  /** The old top-level `Config.MacAddress`. */
  MacAddress?: string | null;
  PortBindings?: DockerPortBindings | null;
  PublishAllPorts?: boolean | null;
  ExposedPorts?: Record<string, unknown> | null;
}

/** berth's name for a network Docker names `name` (Docker's default bridge is berth's). */
export function berthNetworkName(name: string): string {
  return name === "bridge" || name === "default" ? DEFAULT_NETWORK : name;
}

/** Docker's name for berth's network `name` (berth's default bridge is Docker's `bridge`). */
export function dockerNetworkName(name: string): string {
  return name === DEFAULT_NETWORK ? "bridge" : name;
}

type NetworkPart = Pick<
  CreateRequest,
  | "network"
  | "networkFrom"
  | "networks"
  | "networkAliases"
  | "staticIp"
  | "staticMac"
  | "ports"
  | "publishAll"
  | "expose"
>;

/**
 * `PortBindings` as berth's port mappings (an empty `HostPort`, or Docker's `"0"` as
 * Testcontainers sends it: a free one, picked at create; Docker's "all addresses" `0.0.0.0` and
 * `::` are berth's empty host IP).
 *
 * @throws {UsageError} for a bad port, protocol or address
 */
export function portMappings(bindings: DockerPortBindings | null | undefined): PortMapping[] {
  const out: PortMapping[] = [];
  for (const [key, binds] of Object.entries(bindings ?? {})) {
    for (const b of binds ?? []) {
      const ip = b.HostIp && b.HostIp !== "::" && b.HostIp !== "0.0.0.0" ? b.HostIp : "";
      const host = b.HostPort === "0" ? "" : b.HostPort ?? "";
      out.push(parsePublish(ip ? `${ip}:${host}:${key}` : host ? `${host}:${key}` : key));
    }
  }
  return out;
}

/**
 * The network fields of a create request.
 *
 * @throws {UsageError} for `container:` without a name, several addresses, or an address or
 * MAC asked for on more than one network
 */
export function dockerNetworking(f: DockerNetworkFields, defaultMode?: string): NetworkPart {
  // Docker's "default" mode: berth.conf's --network if set, else Docker's default bridge.
  const resolve = (m: string) => m === "" || m === "default" ? defaultMode || "bridge" : m;
  const mode = resolve(f.NetworkMode ?? "");
  if (mode === "host" || mode === "none") return { network: mode };
  if (mode.startsWith("container:")) {
    const from = mode.slice("container:".length);
    if (!from) throw new UsageError(`invalid network mode "${mode}"`);
    return { network: "container", networkFrom: from };
  }
  const endpoints = Object.entries(f.EndpointsConfig ?? {})
    .filter(([name]) => !["host", "none"].includes(resolve(name)));
  const networks = [
    ...new Set(
      [mode, ...endpoints.map(([n]) => resolve(n))].flatMap((n) => n.split(","))
        .map(berthNetworkName),
    ),
  ];
  // berth's aliases are the container's on each of its networks.
  const aliases = [...new Set(endpoints.flatMap(([, e]) => e?.Aliases ?? []))];
  const ips = endpoints.map(([, e]) => e?.IPAMConfig?.IPv4Address).filter((ip) => !!ip);
  const macs = [f.MacAddress, ...endpoints.map(([, e]) => e?.MacAddress)].filter((m) => !!m);
  for (const ip of ips) {
    if (parseIp(ip!) === undefined) throw new UsageError(`invalid IPv4 address: ${ip}`);
  }
  if ((ips.length || macs.length) && networks.length !== 1) {
    throw new UsageError("an IPv4 address or a MAC address can be asked for on one network only");
  }
  const ports = portMappings(f.PortBindings);
  const expose = Object.keys(f.ExposedPorts ?? {});
  return {
    network: "bridge",
    networks,
    ...(aliases.length ? { networkAliases: aliases } : {}),
    ...(ips[0] ? { staticIp: ips[0] } : {}),
    ...(macs[0] ? { staticMac: macs[0] } : {}),
    ...(ports.length ? { ports } : {}),
    ...(f.PublishAllPorts ? { publishAll: true } : {}),
    ...(expose.length ? { expose } : {}),
  };
}
