/**
 * A network as podman stores it (`/etc/containers/networks/NAME.json`) and as netavark reads
 * it (`network_info`): berth keeps the same shape, so `network inspect` prints what podman
 * prints and netavark is given the stored record unchanged.
 *
 * @module
 */
import type { PortMapping } from "../spec.ts";

export type { PortMapping };

/** One subnet of a network. */
export interface Subnet {
  /** CIDR, the network address: `10.89.0.0/24`. */
  subnet: string;
  gateway?: string;
}

/** A network's record (podman's JSON field names). */
export interface NetworkConfig {
  name: string;
  /** 64 hex digits. */
  id: string;
  driver: "bridge";
  /** The bridge's name on the host. */
  network_interface: string;
  /** RFC 3339. */
  created: string;
  subnets: Subnet[];
  ipv6_enabled: boolean;
  internal: boolean;
  dns_enabled: boolean;
  labels?: Record<string, string>;
  /** netavark's driver options; berth sets `isolate: "true"` (docker's rule, see networks.ts). */
  options?: Record<string, string>;
  ipam_options: { driver: "host-local" };
}

/** What netavark's `setup` answers for one network. */
export interface NetworkStatus {
  dns_search_domains?: string[];
  dns_server_ips?: string[];
  interfaces?: Record<string, {
    mac_address: string;
    subnets?: { ipnet: string; gateway?: string }[];
  }>;
}

/** netavark's input for one container: its networks' records and its options on each. */
export interface NetavarkOptions {
  container_id: string;
  container_name: string;
  port_mappings: PortMapping[];
  networks: Record<string, {
    interface_name: string;
    static_ips: string[];
    aliases: string[];
    static_mac?: string;
  }>;
  network_info: Record<string, NetworkConfig>;
}
