/**
 * Images as the Docker API shows them (pure): familiar names (`busybox:latest`, not
 * `docker.io/library/busybox:latest`), `sha256:` IDs, and never a null list.
 *
 * @module
 */
import type { ImageRow } from "../store/images.ts";
import type { ImageConfig } from "../image/manifest.ts";
import { imageCreatedMs, splitName } from "../image/views.ts";

/** Docker's short form of a stored name: Docker Hub's registry (and `library/`) left out. */
export function familiarName(name: string): string {
  if (name.startsWith("docker.io/library/")) return name.slice("docker.io/library/".length);
  if (name.startsWith("docker.io/")) return name.slice("docker.io/".length);
  return name;
}

/** `RepoTags` and `RepoDigests` of an image with these stored names. */
export function repoNames(row: ImageRow, names: string[]): { tags: string[]; digests: string[] } {
  const tags = names.filter((n) => !n.includes("@")).map(familiarName);
  const repos = [...new Set(names.map((n) => familiarName(splitName(n).repository)))];
  return { tags, digests: row.digest ? repos.map((r) => `${r}@${row.digest}`) : [] };
}

/** One entry of `GET /images/json` (Docker's ImageSummary). */
export function imageSummary(
  row: ImageRow,
  names: string[],
  containers: number,
): Record<string, unknown> {
  const cfg: ImageConfig = JSON.parse(row.config);
  const { tags, digests } = repoNames(row, names);
  return {
    Id: `sha256:${row.id}`,
    ParentId: "",
    RepoTags: tags,
    RepoDigests: digests,
    Created: Math.floor(imageCreatedMs(cfg, row) / 1000),
    Size: row.size,
    SharedSize: -1,
    VirtualSize: row.size,
    Labels: cfg.config?.Labels ?? {},
    Containers: containers,
  };
}

/** `GET /images/{name}/json` (Docker's ImageInspect). */
export function imageInspect(row: ImageRow, names: string[]): Record<string, unknown> {
  const cfg: ImageConfig = JSON.parse(row.config);
  const { tags, digests } = repoNames(row, names);
  const c = cfg.config ?? {};
  return {
    Id: `sha256:${row.id}`,
    RepoTags: tags,
    RepoDigests: digests,
    Parent: "",
    Comment: "",
    Created: new Date(imageCreatedMs(cfg, row)).toISOString(),
    DockerVersion: "",
    Author: "",
    Config: {
      Hostname: "",
      Domainname: "",
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      Tty: false,
      OpenStdin: false,
      StdinOnce: false,
      Image: "",
      OnBuild: null,
      ...c,
      User: c.User ?? "",
      Env: c.Env ?? [],
      Cmd: c.Cmd ?? null,
      Entrypoint: c.Entrypoint ?? null,
      WorkingDir: c.WorkingDir ?? "",
      Labels: c.Labels ?? {},
    },
    Architecture: cfg.architecture ?? "",
    ...(cfg.variant ? { Variant: cfg.variant } : {}),
    Os: cfg.os ?? "",
    Size: row.size,
    VirtualSize: row.size,
    GraphDriver: { Name: "overlay", Data: {} },
    RootFS: { Type: "layers", Layers: cfg.rootfs?.diff_ids ?? [] },
    Metadata: { LastTagTime: "0001-01-01T00:00:00Z" },
  };
}
