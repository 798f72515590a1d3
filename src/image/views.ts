/**
 * What `images` and `image inspect` show of an image, with podman's field names (pure).
 *
 * @module
 */
import type { ImageRow } from "../store/images.ts";
import type { ImageConfig } from "./manifest.ts";

/** Split a stored name into repository and tag (`<none>` for a digest-only name). */
export function splitName(name: string): { repository: string; tag: string } {
  const at = name.indexOf("@");
  if (at !== -1) return { repository: name.slice(0, at), tag: "<none>" };
  const colon = name.lastIndexOf(":");
  const slash = name.lastIndexOf("/");
  return colon > slash
    ? { repository: name.slice(0, colon), tag: name.slice(colon + 1) }
    : { repository: name, tag: "<none>" };
}

/** When the image was made, ms: its config's `created`, else when it was stored. */
export function imageCreatedMs(cfg: ImageConfig, row: ImageRow): number {
  const t = cfg.created ? Date.parse(cfg.created) : NaN;
  return Number.isNaN(t) ? row.createdAt : t;
}

/** One image in `images --format json`. */
export function listView(
  row: ImageRow,
  names: string[],
  containers: number,
): Record<string, unknown> {
  const cfg: ImageConfig = JSON.parse(row.config);
  const repoTags = names.filter((n) => !n.includes("@"));
  const repos = [...new Set(names.map((n) => splitName(n).repository))];
  return {
    Id: row.id,
    ParentId: "",
    RepoTags: repoTags,
    RepoDigests: repos.map((r) => `${r}@${row.digest}`),
    Size: row.size,
    SharedSize: 0,
    VirtualSize: row.size,
    Labels: cfg.config?.Labels ?? null,
    Containers: containers,
    Names: names,
    Digest: row.digest,
    Created: Math.floor(imageCreatedMs(cfg, row) / 1000),
    CreatedAt: new Date(imageCreatedMs(cfg, row)).toISOString(),
    Dangling: names.length === 0,
  };
}

/** `image inspect` data for one image. */
export function inspectImageView(
  row: ImageRow,
  names: string[],
  lowerDirs: string[],
): Record<string, unknown> {
  const cfg: ImageConfig = JSON.parse(row.config);
  const manifest = JSON.parse(row.manifest);
  const repos = [...new Set(names.map((n) => splitName(n).repository))];
  return {
    Id: row.id,
    Digest: row.digest,
    RepoTags: names.filter((n) => !n.includes("@")),
    RepoDigests: repos.map((r) => `${r}@${row.digest}`),
    Parent: "",
    Comment: "",
    Created: new Date(imageCreatedMs(cfg, row)).toISOString(),
    Config: cfg.config ?? {},
    ...(cfgHealthcheck(cfg) ? { HealthCheck: cfgHealthcheck(cfg) } : {}),
    Version: "",
    Author: (cfg as { author?: string }).author ?? "",
    Architecture: cfg.architecture ?? "",
    Os: cfg.os ?? "",
    ...(cfg.variant ? { Variant: cfg.variant } : {}),
    Size: row.size,
    VirtualSize: row.size,
    GraphDriver: {
      Name: "overlay",
      Data: { LowerDir: lowerDirs.join(":") },
    },
    RootFS: { Type: "layers", Layers: cfg.rootfs.diff_ids },
    Labels: cfg.config?.Labels ?? null,
    Annotations: manifest.annotations ?? {},
    ManifestType: manifest.mediaType ?? "",
    User: cfg.config?.User ?? "",
    History: cfg.history ?? [],
    NamesHistory: names,
  };
}

/** A docker-format image's HEALTHCHECK, which podman's inspect shows as `HealthCheck`. */
function cfgHealthcheck(cfg: ImageConfig): unknown {
  return (cfg.config as { Healthcheck?: unknown } | undefined)?.Healthcheck;
}
