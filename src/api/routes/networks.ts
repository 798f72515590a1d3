/**
 * Network endpoints on berth's bridge networks (netavark): create, list, inspect, remove,
 * connect, disconnect, prune. berth's default bridge (`berth`) is Docker's `bridge` and also
 * answers to `default`; `host` and `none` are listed as the modes they are and cannot be
 * removed. `disconnect` of a container that is not connected is not an error (GitLab Runner's
 * cleanup disconnects every container from every network it finds it in).
 *
 * @module
 */
import type { ApiRequest, Route } from "../router.ts";
import type { Engine } from "../../engine/engine.ts";
import { listContainers } from "../../store/containers.ts";
import type { ContainerRow } from "../../store/containers.ts";
import type { NetworkConfig } from "../../network/types.ts";
import { hasProcess, isUp } from "../../engine/states.ts";
import { sha256 } from "../../image/digest.ts";
import { ForbiddenError, NoSuchNetworkError, UsageError } from "../../errors.ts";
import {
  createNetwork,
  DEFAULT_NETWORK,
  ensureDefaultNetwork,
  networks,
  pruneNetworks,
  removeNetwork,
  tryFindNetwork,
} from "../../engine/networks.ts";
import { connectNetwork, disconnectNetwork } from "../../engine/network_connect.ts";
import { networkRecord } from "../../engine/network_attach.ts";
import { findContainer } from "../../engine/lookup.ts";
import { parseFilters, queryTime } from "./query.ts";
import { berthNetworkName, dockerNetworkName } from "./containers_network.ts";

/** berth's network modes that Docker lists as networks: name, driver. */
const MODES = [{ name: "host", driver: "host" }, { name: "none", driver: "null" }] as const;

type Mode = typeof MODES[number];

/** What a network reference names: a mode, or a bridge network's record. */
type Net = { mode: Mode } | { bridge: NetworkConfig };

/** A mode's ID: stable, 64 hex, derived from its name. */
export function networkId(name: string): string {
  return sha256(`berth-network:${name}`).slice("sha256:".length);
}

/** The network `ref` names: a mode, `bridge`/`default`, a bridge's name, ID or ID prefix. */
export function findNetwork(engine: Engine, ref: string): Net | undefined {
  const mode = MODES.find((m) =>
    m.name === ref || (ref.length >= 3 && networkId(m.name).startsWith(ref))
  );
  if (mode) return { mode };
  const name = berthNetworkName(ref);
  if (name === DEFAULT_NETWORK) return { bridge: ensureDefaultNetwork(engine) };
  const bridge = tryFindNetwork(engine, name);
  return bridge ? { bridge } : undefined;
}

function requireNetwork(engine: Engine, req: ApiRequest): Net {
  const n = findNetwork(engine, req.params.id);
  if (!n) throw new NoSuchNetworkError(req.params.id);
  return n;
}

/** The running containers of a mode, as the network's `Containers` map. */
function modeMembers(engine: Engine, mode: Mode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of listContainers(engine.store)) {
    if (c.spec.network !== mode.name || !isUp(c.state)) continue;
    out[c.id] = { Name: c.name, EndpointID: "", MacAddress: "", IPv4Address: "", IPv6Address: "" };
  }
  return out;
}

/** A bridge's running members with their address and MAC (netavark's answer at setup). */
function bridgeMembers(engine: Engine, net: NetworkConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of listContainers(engine.store)) {
    if (!c.spec.networks?.includes(net.name) || !hasProcess(c.state)) continue;
    const rec = networkRecord(engine, c.id);
    const iface = rec?.options.networks[net.name]?.interface_name ?? "";
    const status = rec?.status?.[net.name]?.interfaces?.[iface];
    out[c.id] = {
      Name: c.name,
      EndpointID: "",
      MacAddress: status?.mac_address ?? "",
      IPv4Address: status?.subnets?.[0]?.ipnet ?? "",
      IPv6Address: "",
    };
  }
  return out;
}

/** Docker's network JSON for `n`. */
function dockerNetwork(engine: Engine, n: Net): Record<string, unknown> {
  const common = {
    Scope: "local",
    EnableIPv6: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: "" },
    ConfigOnly: false,
  };
  if ("mode" in n) {
    return {
      Name: n.mode.name,
      Id: networkId(n.mode.name),
      Created: "0001-01-01T00:00:00Z",
      Driver: n.mode.driver,
      ...common,
      IPAM: { Driver: "default", Options: {}, Config: [] },
      Internal: false,
      Containers: modeMembers(engine, n.mode),
      Options: {},
      Labels: {},
    };
  }
  const b = n.bridge;
  return {
    Name: dockerNetworkName(b.name),
    Id: b.id,
    Created: b.created,
    Driver: "bridge",
    ...common,
    IPAM: {
      Driver: "default",
      Options: {},
      Config: b.subnets.map((s) => ({
        Subnet: s.subnet,
        ...(s.gateway ? { Gateway: s.gateway } : {}),
      })),
    },
    Internal: b.internal,
    Containers: bridgeMembers(engine, b),
    Options: { "com.docker.network.bridge.name": b.network_interface },
    Labels: b.labels ?? {},
  };
}

/** Whether network JSON `j` (of `n`) passes the list/prune filters. */
function passes(n: Net, j: Record<string, unknown>, filters: Map<string, string[]>): boolean {
  const any = (key: string, pred: (v: string) => boolean) => {
    const values = filters.get(key);
    return !values || values.length === 0 || values.some(pred);
  };
  const labels = j.Labels as Record<string, string>;
  const custom = "bridge" in n && n.bridge.name !== DEFAULT_NETWORK;
  return any("name", (x) => (j.Name as string).includes(x)) &&
    any("id", (x) => (j.Id as string).startsWith(x)) &&
    any("driver", (x) => j.Driver === x) &&
    any("type", (x) => (x === "custom") === custom) &&
    any("label", (l) => {
      const eq = l.indexOf("=");
      return eq === -1 ? l in labels : labels[l.slice(0, eq)] === l.slice(eq + 1);
    });
}

/** Every network: the default bridge (made now if it is not yet), the modes, the others. */
function allNetworks(engine: Engine): Net[] {
  ensureDefaultNetwork(engine);
  return [...networks(engine).map((bridge) => ({ bridge })), ...MODES.map((mode) => ({ mode }))];
}

/** `POST /networks/create`'s body, as far as berth reads it. */
interface CreateBody {
  Name?: string;
  Driver?: string;
  Internal?: boolean;
  EnableIPv6?: boolean;
  Labels?: Record<string, string> | null;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string; IPRange?: string }[] | null } | null;
}

/** `connect`/`disconnect` bodies. */
interface MemberBody {
  Container?: string;
  Force?: boolean;
  EndpointConfig?: { Aliases?: string[] | null } | null;
}

/** The container a connect/disconnect body names (404 when there is none). */
function member(engine: Engine, body: MemberBody | undefined): ContainerRow {
  if (!body?.Container) throw new UsageError("Container must be given");
  return findContainer(engine, body.Container);
}

/** The routes of this file. */
export const routes: Route[] = [
  {
    method: "GET",
    pattern: "/networks",
    handler: async (req, res, engine) => {
      const filters = parseFilters(req.query.get("filters"));
      const shown = allNetworks(engine)
        .map((n) => [n, dockerNetwork(engine, n)] as const)
        .filter(([n, j]) => passes(n, j, filters));
      await res.json(200, shown.map(([, j]) => j));
    },
  },
  {
    method: "POST",
    pattern: "/networks/create",
    handler: async (req, res, engine) => {
      const body = (await req.json<CreateBody>()) ?? {};
      if (!body.Name) throw new UsageError("network name must be given");
      if (body.EnableIPv6) throw new UsageError("IPv6 networks are not supported");
      const configs = body.IPAM?.Config ?? [];
      if (configs.length > 1) throw new UsageError("one IPv4 subnet per network is supported");
      if (configs[0]?.IPRange) throw new UsageError("IPRange is not supported");
      const net = createNetwork(engine, {
        name: body.Name,
        driver: body.Driver || undefined,
        subnet: configs[0]?.Subnet || undefined,
        gateway: configs[0]?.Gateway || undefined,
        internal: body.Internal === true,
        // As Docker's user-defined networks: containers find each other by name.
        dnsEnabled: true,
        labels: body.Labels ?? {},
      });
      await res.json(201, { Id: net.id, Warning: "" });
    },
  },
  {
    method: "POST",
    pattern: "/networks/prune",
    handler: async (req, res, engine) => {
      const filters = parseFilters(req.query.get("filters"));
      // `until`: a timestamp (Unix seconds or RFC 3339), as the containers' prune takes it.
      const until = filters.get("until")?.[0];
      const before = (until && queryTime(new URLSearchParams({ until }), "until")) || Infinity;
      filters.delete("until");
      const deleted = pruneNetworks(engine, (b) => {
        const n = { bridge: b };
        return Date.parse(b.created) < before && passes(n, dockerNetwork(engine, n), filters);
      });
      await res.json(200, { NetworksDeleted: deleted });
    },
  },
  {
    method: "GET",
    pattern: "/networks/{id}",
    handler: async (req, res, engine) =>
      await res.json(200, dockerNetwork(engine, requireNetwork(engine, req))),
  },
  {
    method: "DELETE",
    pattern: "/networks/{id}",
    handler: async (req, res, engine) => {
      const n = requireNetwork(engine, req);
      if ("mode" in n || n.bridge.name === DEFAULT_NETWORK) {
        const name = "mode" in n ? n.mode.name : "bridge";
        throw new ForbiddenError(`${name} is a pre-defined network and cannot be removed`);
      }
      await removeNetwork(engine, n.bridge.id, false);
      await res.empty(204);
    },
  },
  {
    method: "POST",
    pattern: "/networks/{id}/connect",
    handler: async (req, res, engine) => {
      const n = requireNetwork(engine, req);
      const body = await req.json<MemberBody>();
      const row = member(engine, body);
      if ("mode" in n) {
        // A container's mode is fixed at create: connecting it to the one it has is a no-op.
        if (row.spec.network !== n.mode.name) {
          throw new UsageError(`container cannot be connected to the ${n.mode.name} network`);
        }
      } else {
        await connectNetwork(engine, n.bridge.name, row.id, body?.EndpointConfig?.Aliases ?? []);
      }
      await res.empty(200);
    },
  },
  {
    method: "POST",
    pattern: "/networks/{id}/disconnect",
    handler: async (req, res, engine) => {
      const n = requireNetwork(engine, req);
      const row = member(engine, await req.json<MemberBody>());
      // Not connected (or a mode, which cannot be left): nothing to do, and not an error.
      if ("bridge" in n && row.spec.networks?.includes(n.bridge.name)) {
        await disconnectNetwork(engine, n.bridge.name, row.id);
      }
      await res.empty(200);
    },
  },
];
