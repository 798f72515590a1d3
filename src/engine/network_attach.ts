/**
 * A container's place on its bridge networks: at start, lease an address on each network,
 * create its network namespace and have netavark set it up (before the runtime creates the
 * container, which joins that namespace); at cleanup and removal, netavark's teardown, the
 * namespace and the leases go. The record of what was set up is written before anything is
 * made, so any berth process that finds it later (after a crashed cleanup, a killed monitor,
 * `rm -f`, a reboot) can undo it: teardown is idempotent and driven by that record alone.
 *
 * @module
 */
import { ConflictError, NoSuchNetworkError, RuntimeError } from "../errors.ts";
import { immediate } from "../store/db.ts";
import {
  allNetnsIds,
  deleteLease,
  deleteNetns,
  getNetns,
  getNetworkByName,
  insertLease,
  leasedIps,
  type NetnsRow,
  putNetns,
} from "../store/networks.ts";
import type { ContainerRow } from "../store/containers.ts";
import type { ContainerSpec } from "../spec.ts";
import type { NetavarkOptions, NetworkConfig } from "../network/types.ts";
import { firstFreeHost, formatIp, parseCidr, parseIp } from "../network/ipv4.ts";
import { netavarkSetup, netavarkTeardown } from "../network/netavark.ts";
import { createNetns, isNetns, removeNetns } from "../network/netns.ts";
import { withFileLock } from "../file_lock.ts";
import type { Engine } from "./engine.ts";
import { log } from "../log.ts";

/** Whether the container has namespaces of its own on bridge networks. */
export function isBridged(spec: ContainerSpec): boolean {
  return spec.network === "bridge";
}

/** Where netavark keeps aardvark-dns's files for this store (transient, as podman's). */
function configDir(engine: Engine): string {
  return `${engine.paths.runroot}/networks`;
}

/** Serialises netavark runs of one store (its firewall and DNS updates are not atomic). */
function networkLock(engine: Engine): string {
  return `${engine.paths.runroot}/networks.lock`;
}

/** The path of container `id`'s namespace file. */
function netnsPath(engine: Engine, id: string): string {
  return `${engine.paths.runroot}/netns/${id}`;
}

/**
 * Lease `wanted` on `net`, or else a free address (the gateway and leased ones excluded).
 *
 * @throws {ConflictError} when `wanted` is leased already
 */
function leaseAddress(
  engine: Engine,
  net: NetworkConfig,
  containerId: string,
  wanted?: string,
): string {
  const subnet = net.subnets[0];
  const cidr = parseCidr(subnet.subnet);
  const taken = new Set(
    [...leasedIps(engine.store, net.id), subnet.gateway ?? ""].map(parseIp).filter((n) =>
      n !== undefined
    ) as number[],
  );
  if (wanted !== undefined) {
    if (taken.has(parseIp(wanted)!)) {
      throw new ConflictError(`IP address ${wanted} is already allocated on network ${net.name}`);
    }
    insertLease(engine.store, net.id, wanted, containerId);
    return wanted;
  }
  const ip = firstFreeHost(cidr, taken);
  if (ip === undefined) {
    throw new RuntimeError(`network ${net.name}: no free address left in ${subnet.subnet}`);
  }
  insertLease(engine.store, net.id, formatIp(ip), containerId);
  return formatIp(ip);
}

/**
 * Set up container `row`'s network namespace on its networks; the record, with netavark's
 * answer. Anything left from an earlier run is torn down first.
 *
 * @throws {NoSuchNetworkError} if a network is gone; {@linkcode RuntimeError} if netavark
 * fails (everything made so far is undone)
 */
export async function setUpNetwork(engine: Engine, row: ContainerRow): Promise<NetnsRow> {
  await tearDownNetwork(engine, row.id);
  const path = netnsPath(engine, row.id);
  const record = immediate(engine.store, () => {
    const options: NetavarkOptions = {
      container_id: row.id,
      container_name: row.name,
      port_mappings: row.spec.ports ?? [],
      networks: {},
      network_info: {},
    };
    (row.spec.networks ?? []).forEach((name, i) => {
      const net = getNetworkByName(engine.store, name);
      if (!net) throw new NoSuchNetworkError(name);
      options.network_info[name] = net;
      options.networks[name] = {
        interface_name: `eth${i}`,
        static_ips: [leaseAddress(engine, net, row.id, row.spec.staticIp)],
        ...(row.spec.staticMac ? { static_mac: row.spec.staticMac } : {}),
        aliases: [...new Set([...(row.spec.networkAliases ?? []), row.id.slice(0, 12)])],
      };
    });
    const rec: NetnsRow = { containerId: row.id, netns: path, options };
    putNetns(engine.store, rec);
    return rec;
  });
  try {
    Deno.mkdirSync(configDir(engine), { recursive: true, mode: 0o700 });
    await createNetns(path);
    const status = await withFileLock(
      networkLock(engine),
      () => netavarkSetup(configDir(engine), path, record.options),
    );
    const done = { ...record, status };
    immediate(engine.store, () => putNetns(engine.store, done));
    return done;
  } catch (err) {
    await tearDownNetwork(engine, row.id);
    throw err;
  }
}

/**
 * Undo {@linkcode setUpNetwork} for container `id`: netavark's teardown (while the namespace
 * still exists), the namespace, the leases. Nothing recorded is success; a failed netavark
 * teardown is a warning (the namespace and leases go all the same).
 */
export async function tearDownNetwork(engine: Engine, id: string): Promise<void> {
  const rec = getNetns(engine.store, id);
  if (!rec) return;
  if (isNetns(rec.netns)) {
    try {
      await withFileLock(
        networkLock(engine),
        () => netavarkTeardown(configDir(engine), rec.netns, rec.options),
      );
    } catch (err) {
      log("warn", `network teardown of ${id.slice(0, 12)}: ${(err as Error).message}`);
    }
  }
  await removeNetns(rec.netns);
  immediate(engine.store, () => deleteNetns(engine.store, id));
  log("debug", `phase network-teardown ${id.slice(0, 12)}`);
}

/**
 * After a reboot: no namespace survives, and netavark's firewall rules went with the
 * kernel; forget every record (what is still mounted is torn down).
 */
export async function tearDownAllNetworks(engine: Engine): Promise<void> {
  for (const id of allNetnsIds(engine.store)) await tearDownNetwork(engine, id);
}

/** The stored namespace record of container `id` (inspect, `port`), if it has one. */
export function networkRecord(engine: Engine, id: string): NetnsRow | undefined {
  return getNetns(engine.store, id);
}

/** `rec`'s options narrowed to network `name` (what connect/disconnect hand netavark). */
function onlyNetwork(rec: NetnsRow, name: string): NetavarkOptions {
  return {
    ...rec.options,
    networks: { [name]: rec.options.networks[name] },
    network_info: { [name]: rec.options.network_info[name] },
  };
}

/**
 * `network connect` of a running container: lease an address on `net`, have netavark add an
 * interface for it to the namespace, and add it to the record (so teardown removes it too).
 * A container without a namespace yet gets it at its next start. Caller holds the lock.
 */
export async function connectRunning(
  engine: Engine,
  row: ContainerRow,
  net: NetworkConfig,
): Promise<void> {
  const rec = getNetns(engine.store, row.id);
  if (!rec?.status) return;
  const used = Object.values(rec.options.networks).map((n) => n.interface_name);
  let k = 0;
  while (used.includes(`eth${k}`)) k++;
  const grown = immediate(engine.store, () => {
    const next: NetnsRow = structuredClone(rec);
    next.options.network_info[net.name] = net;
    next.options.networks[net.name] = {
      interface_name: `eth${k}`,
      static_ips: [leaseAddress(engine, net, row.id)],
      aliases: [...new Set([...(row.spec.networkAliases ?? []), row.id.slice(0, 12)])],
    };
    // Recorded first: a failed or interrupted setup is undone by the next teardown.
    putNetns(engine.store, next);
    return next;
  });
  const status = await withFileLock(
    networkLock(engine),
    () => netavarkSetup(configDir(engine), rec.netns, onlyNetwork(grown, net.name)),
  );
  grown.status = { ...grown.status, ...status };
  immediate(engine.store, () => putNetns(engine.store, grown));
}

/**
 * `network disconnect` of a running container: netavark removes the interface, the address
 * is released, the record forgets the network. Caller holds the lock.
 */
export async function disconnectRunning(
  engine: Engine,
  row: ContainerRow,
  net: NetworkConfig,
): Promise<void> {
  const rec = getNetns(engine.store, row.id);
  if (!rec || !rec.options.networks[net.name]) return;
  if (isNetns(rec.netns)) {
    await withFileLock(
      networkLock(engine),
      () => netavarkTeardown(configDir(engine), rec.netns, onlyNetwork(rec, net.name)),
    );
  }
  const next: NetnsRow = structuredClone(rec);
  delete next.options.networks[net.name];
  delete next.options.network_info[net.name];
  if (next.status) delete next.status[net.name];
  immediate(engine.store, () => {
    putNetns(engine.store, next);
    deleteLease(engine.store, rec.options.network_info[net.name]?.id ?? net.id, row.id);
  });
}
