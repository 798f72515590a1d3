/**
 * diff: what a container changed in its root filesystem against its image (the overlay's
 * upper directory), or what an image's top layer changed against its parent, as podman's
 * `diff` lists them. The files the engine itself mounts into every container (`/etc/hosts`,
 * `/dev`, …) are left out, as podman leaves them out (of an image's list too: a committed
 * container's layer holds their empty mount points).
 *
 * @module
 */
import { NoSuchImageError, UsageError } from "../errors.ts";
import type { Engine } from "./engine.ts";
import { tryFindContainer } from "./lookup.ts";
import { containerPaths } from "./paths.ts";
import { imageCtx } from "./image.ts";
import { type Change, imageChanges, layerChanges } from "../image/layer_diff.ts";
import { findImage, lowerDirs } from "../image/store.ts";

export type { Change };

/** Mount points every container gets; podman's `initInodes`. */
const ENGINE_PATHS = new Set([
  "/dev",
  "/etc/hostname",
  "/etc/hosts",
  "/etc/resolv.conf",
  "/etc/mtab",
  "/proc",
  "/run",
  "/run/.containerenv",
  "/run/notify",
  "/run/secrets",
  "/sys",
]);

/**
 * The changes of container or image `nameOrId` (a container is looked for first).
 *
 * @throws {NoSuchImageError} when it is neither
 * @throws {UsageError} for a `--rootfs` container (it has no image to compare with)
 */
export function diffChanges(engine: Engine, nameOrId: string): Change[] {
  const row = tryFindContainer(engine, nameOrId);
  if (row) {
    if (row.spec.rootfs.kind !== "overlay") {
      throw new UsageError(
        `${nameOrId} was created with --rootfs: it has no image to diff against`,
      );
    }
    const upper = containerPaths(engine.paths, row.id).upper;
    return layerChanges(upper, row.spec.rootfs.lowers).filter((c) => !ENGINE_PATHS.has(c.path));
  }
  const ctx = imageCtx(engine);
  const image = findImage(ctx, nameOrId);
  if (!image) throw new NoSuchImageError(nameOrId);
  return imageChanges(lowerDirs(ctx, image)).filter((c) => !ENGINE_PATHS.has(c.path));
}
