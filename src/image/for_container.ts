/**
 * The image subsystem's one entry point for the container engine: turn a reference into
 * extracted layers and a run config, pulling according to the policy.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import type { Engine } from "../engine/context.ts";
import type { PullPolicy, ResolvedImage } from "./types.ts";

/**
 * Resolve `ref` to a local image (pulling it first when the policy says so).
 *
 * @throws {BerthError} when the image is not present and cannot be pulled
 */
export function resolveImageForContainer(
  _engine: Engine,
  ref: string,
  _policy: PullPolicy,
): Promise<ResolvedImage> {
  return Promise.reject(
    new UsageError(`image ${ref}: images are not supported yet; use --rootfs DIR`),
  );
}
