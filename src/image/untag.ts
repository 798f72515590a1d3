/**
 * Taking names off an image (`untag`): the image and its layers stay, as podman's
 * `untag` leaves them, even when it has no name left (it is then dangling, `<none>`).
 *
 * @module
 */
import { BerthError, NoSuchImageError } from "../errors.ts";
import { immediate } from "../store/db.ts";
import { imageNames, removeImageName } from "../store/images.ts";
import { localName } from "./reference.ts";
import { findImage, type ImageCtx, writeIndexJson } from "./store.ts";

/**
 * Remove `names` from the image `source` names, or every name of it when `names` is empty.
 * Names are normalised as `tag` normalises them (`x` is `localhost/x:latest`). Nothing is
 * removed unless every name is the image's.
 *
 * @returns the names removed
 * @throws {NoSuchImageError} when `source` matches no image
 * @throws {BerthError} `<name>: tag not known` for a name the image does not have
 */
export function untagImage(ctx: ImageCtx, source: string, names: string[]): string[] {
  const row = findImage(ctx, source);
  if (!row) throw new NoSuchImageError(source);
  const wanted = names.map(localName);
  return immediate(ctx.store, () => {
    const have = imageNames(ctx.store, row.id);
    const unknown = wanted.find((n) => !have.includes(n));
    if (unknown !== undefined) throw new BerthError(`${unknown}: tag not known`);
    const gone = wanted.length ? [...new Set(wanted)] : have;
    for (const n of gone) removeImageName(ctx.store, n);
    writeIndexJson(ctx);
    return gone;
  });
}
