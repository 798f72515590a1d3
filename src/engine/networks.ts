/**
 * The network store's operations: `network create` (validated, with a subnet that overlaps
 * no other berth network and no host route), lookup, `rm` (refused while containers use it
 * unless forced, which removes them first), `prune`. The records keep podman's shape.
 *
 * @module
 */
import { ConflictError, NetworkInUseError, NoSuchNetworkError, UsageError } from "../errors.ts";
import { immediate } from "../store/db.ts";
import {
  containersOnNetwork,
  deleteNetwork,
  getNetworkByName,
  insertNetwork,
  listNetworks,
} from "../store/networks.ts";
import type { NetworkConfig } from "../network/types.ts";
import {
  type Cidr,
  contains,
  formatCidr,
  formatIp,
  overlaps,
  parseCidr,
  parseIp,
  parseProcRoutes,
} from "../network/ipv4.ts";
import type { Engine } from "./engine.ts";
import { removeContainer } from "./remove.ts";

/** What `network create` asks for. */
export interface NetworkRequest {
  name: string;
  driver?: string;
  subnet?: string;
  gateway?: string;
  internal: boolean;
  dnsEnabled: boolean;
  labels: Record<string, string>;
}

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/**
 * The default network (`--network bridge`; podman's is `podman`): made on first use with
 * the first free subnet of the pool and, as podman's, without DNS; never removed.
 */
export const DEFAULT_NETWORK = "berth";
/** Names `--network` reads as modes, never as a network (podman refuses them too). */
const MODE_NAMES = ["host", "none", "bridge", "private", "slirp4netns", "pasta", "ns"];
/** Where subnets are taken from when none is given: 10.90.0.0/24 upwards (podman: 10.89.x). */
const POOL_BASE = parseIp("10.90.0.0")!;
const POOL_SIZE = 256;

/** The host's IPv4 routes (default routes aside). */
function hostRoutes(): Cidr[] {
  try {
    return parseProcRoutes(Deno.readTextFileSync("/proc/net/route"));
  } catch {
    return [];
  }
}

/** The subnets in use: every berth network's and every host route's. */
function usedSubnets(engine: Engine): Cidr[] {
  return [
    ...listNetworks(engine.store).flatMap((n) => n.subnets.map((s) => parseCidr(s.subnet))),
    ...hostRoutes(),
  ];
}

/**
 * The subnet of a new network: the one asked for, if free, else the first free /24 of the
 * pool.
 *
 * @throws {ConflictError} (podman's words) when the asked-for one is in use
 */
function chooseSubnet(engine: Engine, asked: Cidr | undefined): Cidr {
  const used = usedSubnets(engine);
  if (asked) {
    if (used.some((u) => overlaps(u, asked))) {
      throw new ConflictError(
        `subnet ${formatCidr(asked)} is already used on the host or by another config`,
      );
    }
    return asked;
  }
  for (let i = 0; i < POOL_SIZE; i++) {
    const c = { base: POOL_BASE + i * 256, bits: 24 };
    if (!used.some((u) => overlaps(u, c))) return c;
  }
  throw new ConflictError("could not find a free subnet: every /24 of 10.90.0.0/16 is in use");
}

/**
 * Create a network.
 *
 * @throws {UsageError} on a bad name, driver, subnet or gateway; {@linkcode ConflictError}
 * on a taken name or subnet
 */
export function createNetwork(engine: Engine, req: NetworkRequest): NetworkConfig {
  if (MODE_NAMES.includes(req.name)) {
    throw new UsageError(
      `cannot create network with name "${req.name}" because it conflicts with a valid network mode`,
    );
  }
  if (!NAME_RE.test(req.name)) {
    throw new UsageError(
      `network name ${req.name} invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument`,
    );
  }
  const driver = req.driver ?? "bridge";
  if (driver !== "bridge") throw new UsageError(`unsupported driver ${driver}: invalid argument`);
  const asked = req.subnet === undefined ? undefined : parseCidr(req.subnet);
  if (asked && asked.bits > 30) {
    throw new UsageError(`subnet ${formatCidr(asked)} is too small: use a /30 or larger`);
  }
  let gatewayIp: number | undefined;
  if (req.gateway !== undefined) {
    if (!asked) throw new UsageError("cannot set gateway or range without subnet");
    gatewayIp = parseIp(req.gateway);
    if (gatewayIp === undefined) throw new UsageError(`invalid gateway address: ${req.gateway}`);
    if (!contains(asked, gatewayIp)) {
      throw new UsageError(`gateway ${req.gateway} not in subnet ${formatCidr(asked)}`);
    }
  }
  return immediate(engine.store, () => {
    if (getNetworkByName(engine.store, req.name)) {
      throw new ConflictError(
        `network name ${req.name} already used: network already exists`,
      );
    }
    const subnet = chooseSubnet(engine, asked);
    const id = Array.from(
      crypto.getRandomValues(new Uint8Array(32)),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
    const net: NetworkConfig = {
      name: req.name,
      id,
      driver: "bridge",
      network_interface: `br-${id.slice(0, 12)}`,
      created: new Date(engine.now()).toISOString(),
      subnets: [{ subnet: formatCidr(subnet), gateway: formatIp(gatewayIp ?? subnet.base + 1) }],
      ipv6_enabled: false,
      internal: req.internal,
      dns_enabled: req.dnsEnabled,
      ...(Object.keys(req.labels).length ? { labels: req.labels } : {}),
      // As docker's user-defined networks: no traffic between two of them (netavark drops
      // what goes from one isolated bridge to another); the outside world stays reachable.
      options: { isolate: "true" },
      ipam_options: { driver: "host-local" },
    };
    insertNetwork(engine.store, net);
    return net;
  });
}

/** The default network, created now if it does not exist yet. */
export function ensureDefaultNetwork(engine: Engine): NetworkConfig {
  try {
    return createNetwork(engine, {
      name: DEFAULT_NETWORK,
      internal: false,
      dnsEnabled: false,
      labels: {},
    });
  } catch (err) {
    const made = getNetworkByName(engine.store, DEFAULT_NETWORK);
    if (made) return made; // there already (or made by another process meanwhile)
    throw err;
  }
}

/** The network `nameOrId` names (name, full ID or unique ID prefix), if any. */
export function tryFindNetwork(engine: Engine, nameOrId: string): NetworkConfig | undefined {
  const byName = getNetworkByName(engine.store, nameOrId);
  if (byName || !/^[0-9a-f]+$/.test(nameOrId)) return byName;
  const hits = listNetworks(engine.store).filter((n) => n.id.startsWith(nameOrId));
  if (hits.length > 1) {
    throw new ConflictError(
      `more than one result for network ID prefix "${nameOrId}": ambiguous; use more characters`,
    );
  }
  return hits[0];
}

/**
 * Like {@linkcode tryFindNetwork}.
 *
 * @throws {NoSuchNetworkError} if there is none
 */
export function findNetwork(engine: Engine, nameOrId: string): NetworkConfig {
  const net = tryFindNetwork(engine, nameOrId);
  if (!net) throw new NoSuchNetworkError(nameOrId);
  return net;
}

/** Every network, oldest first. */
export function networks(engine: Engine): NetworkConfig[] {
  return listNetworks(engine.store);
}

/**
 * `--ip`: refuse an address outside `net`'s subnet, or its network, broadcast or gateway
 * address. Returns the network's name.
 *
 * @throws {UsageError} in podman's words
 */
export function checkStaticIp(net: NetworkConfig, ip: string | undefined): string {
  if (ip === undefined) return net.name;
  const subnet = parseCidr(net.subnets[0].subnet);
  const n = parseIp(ip)!;
  const last = subnet.base + 2 ** (32 - subnet.bits) - 1;
  if (!contains(subnet, n) || n === subnet.base || n === last) {
    throw new UsageError(`requested static ip ${ip} not in any subnet on network ${net.name}`);
  }
  if (ip === net.subnets[0].gateway) {
    throw new UsageError(`requested static ip ${ip} is the gateway of network ${net.name}`);
  }
  return net.name;
}

/** The IDs of the containers created on network `name`. */
export function networkUsers(engine: Engine, name: string): string[] {
  return containersOnNetwork(engine.store, name);
}

/**
 * Remove network `nameOrId`; with `force`, remove its containers first (stopping running
 * ones, as `rm -f`). Returns the network's name.
 *
 * @throws {NoSuchNetworkError}; {@linkcode NetworkInUseError} when used and not forced
 */
export async function removeNetwork(
  engine: Engine,
  nameOrId: string,
  force: boolean,
  timeout?: number,
): Promise<string> {
  const net = findNetwork(engine, nameOrId);
  if (net.name === DEFAULT_NETWORK) {
    throw new UsageError(`default network ${net.name} cannot be removed`);
  }
  const users = networkUsers(engine, net.name);
  if (users.length && !force) throw new NetworkInUseError(net.name);
  for (const id of users) await removeContainer(engine, id, { force: true, timeout });
  immediate(engine.store, () => {
    if (networkUsers(engine, net.name).length) throw new NetworkInUseError(net.name);
    deleteNetwork(engine.store, net.id);
  });
  return net.name;
}

/**
 * `network prune`: remove every network no container uses (of those `keep` accepts); their
 * names.
 */
export function pruneNetworks(
  engine: Engine,
  keep: (n: NetworkConfig) => boolean = () => true,
): string[] {
  return immediate(engine.store, () => {
    const pruned: string[] = [];
    for (const net of listNetworks(engine.store)) {
      if (net.name === DEFAULT_NETWORK || !keep(net)) continue;
      if (networkUsers(engine, net.name).length) continue;
      deleteNetwork(engine.store, net.id);
      pruned.push(net.name);
    }
    return pruned;
  });
}
