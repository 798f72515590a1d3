/**
 * Image endpoints on the local store: `GET /images/json`, `GET /images/{name}/json`,
 * `POST /images/{name}/tag`, `DELETE /images/{name}`, `POST /images/prune`. (Pull and import
 * are in images_create.ts, load and save in images_archive.ts.) A name may be
 * `name[:tag]`, `name@sha256:…`, a full or short ID, or `sha256:<id>`.
 *
 * @module
 */
import type { Route } from "../router.ts";
import { imageCtx } from "../../engine/image.ts";
import { requireImage } from "../../image/store.ts";
import { containersUsingImage, imageNames, listImages } from "../../store/images.ts";
import { pruneImages, removeImages, tagImage } from "../../image/remove.ts";
import { compileImageFilters } from "../../image/image_filter.ts";
import { UsageError } from "../../errors.ts";
import { parseFilters, queryBool } from "./query.ts";
import { familiarName, imageInspect, imageSummary } from "../image_views.ts";

/** The `filters` of an image list as berth's `key=value` image filters. */
export function imageFilterArgs(filters: Record<string, string[]>): string[] {
  return Object.entries(filters).flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`));
}

/** Whether `labels` has `filter` (`key`, or `key=value`), as Docker's `label` filter asks. */
export function hasLabel(
  labels: Record<string, string> | null | undefined,
  filter: string,
): boolean {
  const eq = filter.indexOf("=");
  if (eq === -1) return labels?.[filter] !== undefined;
  return labels?.[filter.slice(0, eq)] === filter.slice(eq + 1);
}

/** The routes of this file (literal paths before the `{name*}` patterns that would take them). */
export const routes: Route[] = [
  {
    method: "GET",
    pattern: "/images/json",
    handler: async (req, res, engine) => {
      const ctx = imageCtx(engine);
      const { label = [], ...rest } = Object.fromEntries(parseFilters(req.query.get("filters")));
      const filter = compileImageFilters(imageFilterArgs(rest));
      // `all` only adds untagged intermediate (build) images in Docker; berth has none.
      const out = [];
      for (const row of listImages(ctx.store)) {
        const names = imageNames(ctx.store, row.id);
        if (!filter({ names })) continue;
        if (!label.every((l) => hasLabel(JSON.parse(row.config).config?.Labels, l))) continue;
        out.push(imageSummary(row, names, containersUsingImage(ctx.store, row.id).length));
      }
      await res.json(200, out);
    },
  },
  {
    method: "POST",
    pattern: "/images/prune",
    handler: async (req, res, engine) => {
      const filters = Object.fromEntries(parseFilters(req.query.get("filters")));
      const dangling = filters.dangling?.[0];
      // Docker prunes dangling images unless `dangling=false` asks for every unused one.
      const all = dangling !== undefined && ["false", "0"].includes(dangling.toLowerCase());
      const deleted = await pruneImages(imageCtx(engine), all);
      await res.json(200, {
        ImagesDeleted: deleted.map((id) => ({ Deleted: `sha256:${id}` })),
        SpaceReclaimed: 0,
      });
    },
  },
  {
    method: "GET",
    pattern: "/images/{name*}/json",
    handler: async (req, res, engine) => {
      const ctx = imageCtx(engine);
      const row = requireImage(ctx, req.params.name);
      await res.json(200, imageInspect(row, imageNames(ctx.store, row.id)));
    },
  },
  {
    method: "POST",
    pattern: "/images/{name*}/tag",
    handler: async (req, res, engine) => {
      const repo = req.query.get("repo");
      if (!repo) throw new UsageError("repository name must have at least one component");
      const tag = req.query.get("tag") || "latest";
      tagImage(imageCtx(engine), req.params.name, [`${repo}:${tag}`]);
      await res.empty(201);
    },
  },
  {
    method: "DELETE",
    pattern: "/images/{name*}",
    handler: async (req, res, engine) => {
      const report = await removeImages(imageCtx(engine), [req.params.name], {
        force: queryBool(req.query, "force"),
      });
      if (report.errors.length) throw report.errors[0];
      await res.json(200, [
        ...report.untagged.map((n) => ({ Untagged: familiarName(n) })),
        ...report.deleted.map((id) => ({ Deleted: `sha256:${id}` })),
      ]);
    },
  },
];
