/**
 * Removing images (`rmi`, `image prune`): names first, then rows, then unreferenced blobs
 * and layers. An image a container was created from is kept unless forced; `tag` names.
 *
 * @module
 */
import {
  BerthError,
  ImageInUseError,
  ImageMountedError,
  NoSuchImageError,
  UsageError,
} from "../errors.ts";
import { isImageMounted, unmountImage } from "./mount.ts";
import { immediate } from "../store/db.ts";
import {
  containersUsingImage,
  deleteImage,
  getImage,
  imageIdsInUse,
  imageNames,
  listImages,
  removeImageName,
  setImageName,
} from "../store/images.ts";
import { localName } from "./reference.ts";
import {
  collectGarbage,
  findImage,
  type FoundImage,
  type ImageCtx,
  lookupImage,
  writeIndexJson,
} from "./store.ts";

/** What a removal did, in podman's words, and what it could not do. */
export interface RemoveReport {
  untagged: string[];
  deleted: string[];
  /** One per failed reference, lookups first (podman's order). */
  errors: Error[];
}

/** Options of {@linkcode removeImages}. */
export interface RemoveOptions {
  /** Remove images in use (after `removeUsers`), and ignore unknown references. */
  force: boolean;
  /** Ignore unknown references (`rmi -i`). */
  ignoreMissing?: boolean;
  /**
   * With `force`: called with the IDs of the containers using an image about to be deleted,
   * before it is. (Removing containers is the engine's job, not the image store's.)
   */
  removeUsers?: (containerIds: string[]) => Promise<void>;
  /** The references are `rmi -a`'s IDs: deleting an image with several names needs no force. */
  all?: boolean;
}

/**
 * Remove `refs`: a name untags (and deletes the image once no name is left); an ID deletes
 * the image with all its names (with more than one name only when forced, as podman). Every
 * reference is tried; failures are collected in the report: unknown references first
 * (unless ignored), then images in use by a container (unless `force`, when the containers
 * are removed through `removeUsers` first; layers a container still uses stay on disk).
 */
export async function removeImages(
  ctx: ImageCtx,
  refs: string[],
  opts: RemoveOptions,
): Promise<RemoveReport> {
  const report: RemoveReport = { untagged: [], deleted: [], errors: [] };
  const missing = (ref: string) => {
    if (!opts.force && !opts.ignoreMissing) report.errors.push(new NoSuchImageError(ref));
  };
  const found: (FoundImage & { ref: string })[] = [];
  for (const ref of refs) {
    try {
      const f = lookupImage(ctx, ref);
      if (f) found.push({ ...f, ref });
      else missing(ref);
    } catch (err) {
      report.errors.push(err as Error);
    }
  }
  for (const { row, name, ref } of found) {
    // Which names go, and whether the image goes with them; undefined once an earlier
    // reference removed the image. A name an earlier reference removed is podman's
    // "tag not known".
    const plan = () => {
      if (!getImage(ctx.store, row.id)) return undefined;
      const names = imageNames(ctx.store, row.id);
      if (name !== undefined && !names.includes(name)) {
        throw new BerthError(`${name}: tag not known`);
      }
      const untag = name !== undefined ? [name] : names;
      return { names, untag, deletes: untag.length === names.length };
    };
    try {
      const before = plan();
      if (!before) {
        missing(ref);
        continue;
      }
      if (
        name === undefined && before.names.length > 1 && !opts.force && !opts.all
      ) {
        throw new UsageError(
          `unable to delete image "${row.id}" by ID with more than one tag ([${
            before.names.join(" ")
          }]): please force removal`,
        );
      }
      // A mounted view would lose its layers: unmount it when forced, else refuse.
      if (before.deletes && isImageMounted(ctx, row.id)) {
        if (!opts.force) throw new ImageMountedError(row.id);
        await unmountImage(ctx, row.id);
      }
      const users = containersUsingImage(ctx.store, row.id);
      if (before.deletes && users.length) {
        if (!opts.force) throw new ImageInUseError(users[0].id);
        await opts.removeUsers?.(users.map((u) => u.id));
      }
      immediate(ctx.store, () => {
        const now = plan();
        if (!now) return missing(ref);
        const { untag, deletes } = now;
        if (deletes && !opts.force && containersUsingImage(ctx.store, row.id).length) {
          throw new ImageInUseError(containersUsingImage(ctx.store, row.id)[0].id);
        }
        for (const n of untag) removeImageName(ctx.store, n);
        report.untagged.push(...untag);
        if (deletes) {
          deleteImage(ctx.store, row.id);
          report.deleted.push(row.id);
        }
        writeIndexJson(ctx);
      });
    } catch (err) {
      report.errors.push(err as Error);
    }
  }
  if (report.deleted.length) await collectGarbage(ctx);
  return report;
}

/**
 * Delete unused images: dangling ones (no name), or with `all` every image no container
 * was created from and that is not mounted. Returns the deleted IDs.
 */
export async function pruneImages(ctx: ImageCtx, all: boolean): Promise<string[]> {
  const deleted = immediate(ctx.store, () => {
    const used = imageIdsInUse(ctx.store);
    const gone: string[] = [];
    for (const row of listImages(ctx.store)) {
      if (used.has(row.id) || isImageMounted(ctx, row.id)) continue;
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
  const names = targets.map(localName);
  immediate(ctx.store, () => {
    for (const n of names) setImageName(ctx.store, n, row.id);
    writeIndexJson(ctx);
  });
}
