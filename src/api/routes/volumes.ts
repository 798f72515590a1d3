/**
 * Volume endpoints: `GET /volumes`, `POST /volumes/create`, `GET /volumes/{name}`,
 * `DELETE /volumes/{name}`, `POST /volumes/prune` (Docker's `local` driver only).
 *
 * @module
 */
import type { Route } from "../router.ts";
import type { Engine } from "../../engine/engine.ts";
import {
  createVolume,
  isAnonymous,
  listVolumes,
  removeVolume,
  requireVolume,
  type Volume,
  volumeUsers,
} from "../../engine/volumes.ts";
import { UsageError } from "../../errors.ts";
import { parseFilters, queryBool } from "./query.ts";

/** A volume as Docker shows it. */
export function dockerVolume(v: Volume): Record<string, unknown> {
  return {
    Name: v.name,
    Driver: "local",
    Mountpoint: v.mountpoint,
    CreatedAt: v.createdAt,
    Labels: v.labels,
    Scope: "local",
    Options: v.options,
  };
}

/** Whether `v` passes the list filters `name`, `label` (`k` or `k=v`) and `dangling`. */
function passes(engine: Engine, v: Volume, filters: Map<string, string[]>): boolean {
  const any = (key: string, pred: (x: string) => boolean) => {
    const values = filters.get(key);
    return !values || values.length === 0 || values.some(pred);
  };
  return any("name", (n) => v.name.includes(n)) &&
    any("label", (l) => {
      const eq = l.indexOf("=");
      return eq === -1 ? l in v.labels : v.labels[l.slice(0, eq)] === l.slice(eq + 1);
    }) &&
    any("dangling", (d) => (volumeUsers(engine, v).length === 0) === ["true", "1"].includes(d));
}

interface CreateBody {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

/** The routes of this file. */
export const routes: Route[] = [
  {
    method: "GET",
    pattern: "/volumes",
    handler: async (req, res, engine) => {
      const filters = parseFilters(req.query.get("filters"));
      const volumes = listVolumes(engine).filter((v) => passes(engine, v, filters));
      await res.json(200, { Volumes: volumes.map(dockerVolume), Warnings: [] });
    },
  },
  {
    method: "POST",
    pattern: "/volumes/create",
    handler: async (req, res, engine) => {
      const body = await req.json<CreateBody>() ?? {};
      if (body.Driver && body.Driver !== "local") {
        throw new UsageError(`volume driver "${body.Driver}" is not supported: only local`);
      }
      const v = createVolume(engine, body.Name, body.Labels ?? {}, body.DriverOpts ?? {});
      await res.json(201, dockerVolume(v));
    },
  },
  {
    method: "POST",
    pattern: "/volumes/prune",
    handler: async (req, res, engine) => {
      const filters = parseFilters(req.query.get("filters"));
      // Docker (API 1.42+) prunes anonymous volumes only, unless `all=true` is a filter.
      const all = (filters.get("all") ?? []).some((x) => ["true", "1"].includes(x));
      const deleted: string[] = [];
      for (const v of listVolumes(engine)) {
        if (!all && !isAnonymous(v) && !/^[0-9a-f]{64}$/.test(v.name)) continue;
        if (!passes(engine, v, filters) || volumeUsers(engine, v).length) continue;
        await removeVolume(engine, v.name, true);
        deleted.push(v.name);
      }
      await res.json(200, { VolumesDeleted: deleted, SpaceReclaimed: 0 });
    },
  },
  {
    method: "GET",
    pattern: "/volumes/{name}",
    handler: async (req, res, engine) =>
      await res.json(200, dockerVolume(requireVolume(engine, req.params.name))),
  },
  {
    method: "DELETE",
    pattern: "/volumes/{name}",
    handler: async (req, res, engine) => {
      await removeVolume(engine, req.params.name, queryBool(req.query, "force"));
      await res.empty(204);
    },
  },
];
