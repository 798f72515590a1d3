/**
 * What `inspect` shows of a container's networks (`NetworkSettings`), with podman's field
 * names: each bridge network's address, gateway and MAC from netavark's answer at setup
 * (empty while the container is not running, as podman's), and the published ports.
 *
 * @module
 */
import type { ContainerSpec } from "../spec.ts";
import type { NetnsRow } from "../store/networks.ts";
import { portsView } from "../network/ports.ts";

/** One network's entry in `NetworkSettings.Networks`. */
function endpoint(spec: ContainerSpec, name: string, rec: NetnsRow | undefined, id: string) {
  const status = rec?.status?.[name];
  const iface = rec?.options.networks[name]?.interface_name ?? "";
  const addr = status?.interfaces?.[iface]?.subnets?.[0];
  const [ip, prefix] = (addr?.ipnet ?? "").split("/");
  return {
    EndpointID: "",
    Gateway: addr?.gateway ?? "",
    IPAddress: ip ?? "",
    IPPrefixLen: prefix ? Number(prefix) : 0,
    IPv6Gateway: "",
    GlobalIPv6Address: "",
    GlobalIPv6PrefixLen: 0,
    MacAddress: status?.interfaces?.[iface]?.mac_address ?? "",
    NetworkID: rec?.options.network_info[name]?.id ?? name,
    DriverOpts: null,
    IPAMConfig: null,
    Links: null,
    Aliases: [...(spec.networkAliases ?? []), id.slice(0, 12)],
  };
}

/** `NetworkSettings` of a container with `spec` and namespace record `rec` (if running). */
export function networkSettingsView(
  id: string,
  spec: ContainerSpec,
  rec: NetnsRow | undefined,
): Record<string, unknown> {
  const networks = Object.fromEntries(
    (spec.networks ?? []).map((name) => [name, endpoint(spec, name, rec, id)]),
  );
  const first = Object.values(networks)[0];
  return {
    IPAddress: first?.IPAddress ?? "",
    Gateway: first?.Gateway ?? "",
    MacAddress: first?.MacAddress ?? "",
    Ports: portsView(spec.ports ?? []),
    Networks: networks,
  };
}
