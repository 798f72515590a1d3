/**
 * The impure half of creating a container: find (or pull) the image a request names, or take
 * its `--rootfs` directory, as the {@linkcode ResolvedRoot} the spec builder combines.
 *
 * @module
 */
import type { Engine } from "./context.ts";
import type { CreateRequest, ResolvedRoot } from "./spec_builder.ts";
import type { PullOptions } from "../image/pull.ts";
import { readFromLayers } from "../image/user.ts";

/**
 * Resolve the request's root: its `--rootfs` as is, or its image by its pull policy
 * (`pullOptions`: registry flags, platform, progress).
 *
 * @throws {NoSuchImageError} / {RegistryError} / {ImageError} from the image subsystem
 */
export async function resolveRoot(
  engine: Engine,
  req: CreateRequest,
  pullOptions: Partial<PullOptions> = {},
): Promise<ResolvedRoot> {
  if (req.rootfs) {
    const spec = req.rootfs.spec;
    const lowerDirs = spec.kind === "dir" ? [spec.path] : spec.lowers;
    return {
      rootfs: spec,
      imageName: req.rootfs.arg,
      config: {},
      readFile: (rel) => readFromLayers(lowerDirs, rel),
    };
  }
  // The image subsystem is loaded only when an image is named: --rootfs runs start faster.
  const { resolveImageForContainer } = await import("./image.ts");
  const image = await resolveImageForContainer(engine, req.image!, req.pull, pullOptions);
  return {
    rootfs: { kind: "overlay", lowers: image.lowerDirs },
    imageName: image.name,
    imageId: image.id,
    imageDigest: image.digest,
    config: image.config,
    readFile: (rel) => readFromLayers(image.lowerDirs, rel),
  };
}
