/**
 * Network endpoints over berth's two network modes. berth has no bridge: a container shares
 * the host's network (`host`, also what Docker's default `bridge` and `default` mean here) or
 * has none. `GET /networks` lists `bridge`, `host` and `none` so clients that look for the
 * default network (testcontainers, GitLab Runner's cleanup) find it; `disconnect` of a
 * container that is not connected is not an error. User-defined networks are not supported.
 *
 * @module
 */
import type { ApiRequest, Route } from "../router.ts";
import type { Engine } from "../../engine/engine.ts";
import { listContainers } from "../../store/containers.ts";
import { isUp } from "../../engine/states.ts";
import { sha256 } from "../../image/digest.ts";
import { ForbiddenError, NoSuchNetworkError, UsageError } from "../../errors.ts";
import { parseFilters } from "./query.ts";

/** The networks berth has: Docker's name, its driver, and berth's mode behind it. */
const NETWORKS = [
  { name: "bridge", driver: "bridge", mode: "host" },
  { name: "host", driver: "host", mode: "host" },
  { name: "none", driver: "null", mode: "none" },
] as const;

type Net = typeof NETWORKS[number];

/** A network's ID: stable, 64 hex, derived from its name. */
export function networkId(name: string): string {
  return sha256(`berth-network:${name}`).slice("sha256:".length);
}

/** The network `ref` names: a name (`default` is `bridge`), a full ID or an ID prefix. */
export function findNetwork(ref: string): Net | undefined {
  const name = ref === "default" ? "bridge" : ref;
  return NETWORKS.find((n) =>
    n.name === name || (ref.length >= 3 && networkId(n.name).startsWith(ref))
  );
}

function requireNetwork(req: ApiRequest): Net {
  const n = findNetwork(req.params.id);
  if (!n) throw new NoSuchNetworkError(req.params.id);
  return n;
}

/** Docker's network JSON for `n`; the `Containers` map holds the running containers in it. */
function dockerNetwork(engine: Engine, n: Net): Record<string, unknown> {
  const containers: Record<string, unknown> = {};
  // The default network lists no members: they are all in `host`, as their inspect says.
  if (n.name !== "bridge") {
    for (const c of listContainers(engine.store)) {
      if (c.spec.network !== n.mode || !isUp(c.state)) continue;
      containers[c.id] = {
        Name: c.name,
        EndpointID: "",
        MacAddress: "",
        IPv4Address: "",
        IPv6Address: "",
      };
    }
  }
  return {
    Name: n.name,
    Id: networkId(n.name),
    Created: "0001-01-01T00:00:00Z",
    Scope: "local",
    Driver: n.driver,
    EnableIPv6: false,
    IPAM: { Driver: "default", Options: {}, Config: [] },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: "" },
    ConfigOnly: false,
    Containers: containers,
    Options: {},
    Labels: {},
  };
}

/** The routes of this file. */
export const routes: Route[] = [
  {
    method: "GET",
    pattern: "/networks",
    handler: async (req, res, engine) => {
      const filters = parseFilters(req.query.get("filters"));
      const names = filters.get("name") ?? [];
      const ids = filters.get("id") ?? [];
      const list = NETWORKS.filter((n) =>
        (names.length === 0 || names.some((x) => n.name.includes(x))) &&
        (ids.length === 0 || ids.some((x) => networkId(n.name).startsWith(x)))
      );
      await res.json(200, list.map((n) => dockerNetwork(engine, n)));
    },
  },
  {
    method: "POST",
    pattern: "/networks/create",
    handler: () => {
      throw new UsageError(
        "user-defined networks are not supported: berth containers use the host's network or none",
      );
    },
  },
  {
    method: "POST",
    pattern: "/networks/prune",
    handler: async (_req, res) => await res.json(200, { NetworksDeleted: [] }),
  },
  {
    method: "GET",
    pattern: "/networks/{id}",
    handler: async (req, res, engine) =>
      await res.json(200, dockerNetwork(engine, requireNetwork(req))),
  },
  {
    method: "DELETE",
    pattern: "/networks/{id}",
    handler: (req) => {
      const n = requireNetwork(req);
      throw new ForbiddenError(`${n.name} is a pre-defined network and cannot be removed`);
    },
  },
  {
    method: "POST",
    pattern: "/networks/{id}/connect",
    handler: async (req, res) => {
      requireNetwork(req);
      // A container's network is fixed at create; connecting it again changes nothing.
      await res.empty(200);
    },
  },
  {
    method: "POST",
    pattern: "/networks/{id}/disconnect",
    handler: async (req, res) => {
      requireNetwork(req);
      // Not connected, or the container's only network: nothing to do, and not an error.
      await res.empty(200);
    },
  },
];
