/**
 * Typed errors of the image subsystem.
 *
 * @module
 */
import { BerthError } from "../errors.ts";

/** A malformed or hostile image: bad tar, bad digest, path escaping the layer, bad JSON. */
export class ImageError extends BerthError {}

/** No image by that reference or ID in the local store. */
export class NoSuchImageError extends BerthError {
  constructor(readonly ref: string) {
    super(`${ref}: image not known`);
  }
}

/** A registry answered with an error, refused access, or could not be reached. */
export class RegistryError extends BerthError {}
