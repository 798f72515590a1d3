/**
 * Removing images (`rmi`, `image prune`): names first, then rows, then unreferenced blobs
 * and layers. An image a container was created from is kept unless forced.
 *
 * @module
 */
import { ConflictError } from "../errors.ts";
import { immediate } from "../store/db.ts";
import {
  containersUsingImage,
  deleteImage,
  imageIdsInUse,
  imageNames,
  listImages,
  removeImageName,
  setImageName,
} from "../store/images.ts";
import { NoSuchImageError } from "./errors.ts";
import { parseReference, storedName } from "./reference.ts";
import { collectGarbage, findImage, type ImageCtx, writeIndexJson } from "./store.ts";

/** What one removal did, in podman's words. */
export interface RemoveReport {
  untagged: string[];
  deleted: string[];
}

/**
 * Remove `refs`: a name untags (and deletes the image once no name is left); an ID deletes
 * the image with all its names. An image used by a container is refused unless `force`
 * (then its names and row go, while layers the container uses stay on disk).
 *
 * @throws {NoSuchImageError} for an unknown reference
 * @throws {ConflictError} when an image is in use and `force` is false
 */
export async function removeImages(
  ctx: ImageCtx,
  refs: string[],
  force: boolean,
): Promise<RemoveReport> {
  const report: RemoveReport = { untagged: [], deleted: [] };
  for (const ref of refs) {
    const row = findImage(ctx, ref);
    if (!row) throw new NoSuchImageError(ref);
    let name: string | undefined;
    try {
      name = storedName(parseReference(ref));
    } catch { /* an ID */ }
    immediate(ctx.store, () => {
      const names = imageNames(ctx.store, row.id);
      const byName = name !== undefined && names.includes(name);
      const untag = byName ? [name!] : names;
      const remaining = names.filter((n) => !untag.includes(n));
      const users = containersUsingImage(ctx.store, row.id);
      if (remaining.length === 0 && users.length && !force) {
        throw new ConflictError(
          `image ${row.id.slice(0, 12)} is in use by container ${
            users.map((u) => u.name).join(", ")
          }: remove the container first or use --force`,
        );
      }
      for (const n of untag) removeImageName(ctx.store, n);
      report.untagged.push(...untag);
      if (remaining.length === 0) {
        deleteImage(ctx.store, row.id);
        report.deleted.push(row.id);
      }
      writeIndexJson(ctx);
    });
  }
  if (report.deleted.length) await collectGarbage(ctx);
  return report;
}

/**
 * Delete unused images: dangling ones (no name), or with `all` every image no container
 * was created from. Returns the deleted IDs.
 */
export async function pruneImages(ctx: ImageCtx, all: boolean): Promise<string[]> {
  const deleted = immediate(ctx.store, () => {
    const used = imageIdsInUse(ctx.store);
    const gone: string[] = [];
    for (const row of listImages(ctx.store)) {
      if (used.has(row.id)) continue;
      const names = imageNames(ctx.store, row.id);
      if (names.length && !all) continue;
      deleteImage(ctx.store, row.id);
      gone.push(row.id);
    }
    if (gone.length) writeIndexJson(ctx);
    return gone;
  });
  await collectGarbage(ctx);
  return deleted;
}

/**
 * Point `target` at the image `source` names.
 *
 * @throws {NoSuchImageError} / {UsageError}
 */
export function tagImage(ctx: ImageCtx, source: string, targets: string[]): void {
  const row = findImage(ctx, source);
  if (!row) throw new NoSuchImageError(source);
  const names = targets.map((t) => storedName(parseReference(t)));
  immediate(ctx.store, () => {
    for (const n of names) setImageName(ctx.store, n, row.id);
    writeIndexJson(ctx);
  });
}

/** Whether the store still has an image (for tests and `exists`). */
export function imageExists(ctx: ImageCtx, ref: string): boolean {
  return findImage(ctx, ref) !== undefined;
}
