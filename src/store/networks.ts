/**
 * Typed queries on the network tables: the networks (podman's record, as JSON), the
 * addresses leased to containers, and each container's network namespace with the options
 * netavark set it up with (teardown must be given the same ones, even after the network's
 * record changed or went). No decisions here: callers wrap these in `immediate` transactions.
 *
 * @module
 */
import type { Store } from "./db.ts";
import type { NetavarkOptions, NetworkConfig, NetworkStatus } from "../network/types.ts";

/** Every network, oldest first. */
export function listNetworks(store: Store): NetworkConfig[] {
  const rows = store.db.prepare("SELECT config FROM networks ORDER BY rowid").all() as {
    config: string;
  }[];
  return rows.map((r) => JSON.parse(r.config));
}

/** The network named `name`, if any. */
export function getNetworkByName(store: Store, name: string): NetworkConfig | undefined {
  const r = store.db.prepare("SELECT config FROM networks WHERE name = ?").get(name) as
    | { config: string }
    | undefined;
  return r ? JSON.parse(r.config) : undefined;
}

/** Store a new network. */
export function insertNetwork(store: Store, net: NetworkConfig): void {
  store.db.prepare("INSERT INTO networks (id, name, config) VALUES (?, ?, ?)").run(
    net.id,
    net.name,
    JSON.stringify(net),
  );
}

/** Delete network `id` (its leases go with their containers' teardown). */
export function deleteNetwork(store: Store, id: string): void {
  store.db.prepare("DELETE FROM networks WHERE id = ?").run(id);
}

/** The addresses leased on network `networkId`. */
export function leasedIps(store: Store, networkId: string): string[] {
  const rows = store.db.prepare("SELECT ip FROM network_leases WHERE network_id = ?").all(
    networkId,
  ) as { ip: string }[];
  return rows.map((r) => r.ip);
}

/** Lease `ip` on `networkId` to `containerId`. */
export function insertLease(store: Store, networkId: string, ip: string, containerId: string) {
  store.db.prepare(
    "INSERT INTO network_leases (network_id, ip, container_id) VALUES (?, ?, ?)",
  ).run(networkId, ip, containerId);
}

/** Release container `containerId`'s address on network `networkId`. */
export function deleteLease(store: Store, networkId: string, containerId: string): void {
  store.db.prepare("DELETE FROM network_leases WHERE network_id = ? AND container_id = ?").run(
    networkId,
    containerId,
  );
}

/** A container's namespace record. */
export interface NetnsRow {
  containerId: string;
  netns: string;
  options: NetavarkOptions;
  /** Absent until setup succeeded. */
  status?: Record<string, NetworkStatus>;
}

/** The namespace record of container `id`, if it has one. */
export function getNetns(store: Store, id: string): NetnsRow | undefined {
  const r = store.db.prepare("SELECT * FROM container_netns WHERE container_id = ?").get(id) as
    | { container_id: string; netns: string; options: string; status: string }
    | undefined;
  if (!r) return undefined;
  return {
    containerId: r.container_id,
    netns: r.netns,
    options: JSON.parse(r.options),
    status: r.status ? JSON.parse(r.status) : undefined,
  };
}

/** Record (or replace) a container's namespace record. */
export function putNetns(store: Store, row: NetnsRow): void {
  store.db.prepare(
    "INSERT OR REPLACE INTO container_netns (container_id, netns, options, status) VALUES (?, ?, ?, ?)",
  ).run(
    row.containerId,
    row.netns,
    JSON.stringify(row.options),
    row.status ? JSON.stringify(row.status) : "",
  );
}

/** Forget container `id`'s namespace and release its leases. */
export function deleteNetns(store: Store, id: string): void {
  store.db.prepare("DELETE FROM container_netns WHERE container_id = ?").run(id);
  store.db.prepare("DELETE FROM network_leases WHERE container_id = ?").run(id);
}

/** Every container with a namespace record (the reboot refresh forgets them all). */
export function allNetnsIds(store: Store): string[] {
  const rows = store.db.prepare("SELECT container_id FROM container_netns").all() as {
    container_id: string;
  }[];
  return rows.map((r) => r.container_id);
}

/** The IDs of the containers whose spec names network `name`. */
export function containersOnNetwork(store: Store, name: string): string[] {
  const rows = store.db.prepare(
    `SELECT c.id FROM containers c, json_each(c.spec, '$.networks') n
     WHERE n.value = ? ORDER BY c.created_at`,
  ).all(name) as { id: string }[];
  return rows.map((r) => r.id);
}
