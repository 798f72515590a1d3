/**
 * `commit`, the image half: a new image made of a parent image's layers plus one more (a
 * container's changes, as an uncompressed tar), with the parent's config updated by the
 * container's settings and `--change` instructions, and a history entry.
 *
 * @module
 */
import { adoptBlobFile, putBlobBytes } from "./blobs.ts";
import { applyChange } from "./changes.ts";
import { type ImageConfig, MEDIA } from "./manifest.ts";
import { localName } from "./reference.ts";
import { commitImage, imageConfig, type ImageCtx, withGcLock } from "./store.ts";
import type { ImageRow } from "../store/images.ts";

/** The run settings a container gives its image (over the parent's). */
export type CommitRunConfig = NonNullable<ImageConfig["config"]>;

/** What {@linkcode commitLayer} makes an image of. */
export interface CommitRequest {
  parent: ImageRow;
  /** An uncompressed tar of the new layer, in OCI whiteout format; moved into the store. */
  layerTar: string;
  /** The container's settings, replacing the parent's of the same name. */
  runConfig: CommitRunConfig;
  /** `--change` instructions, applied after `runConfig`. */
  changes: string[];
  /** The new image's name, if any (normalised as `tag` does). */
  name?: string;
  author?: string;
  message?: string;
  /** The history entry's `created_by` (the container's command). */
  createdBy: string;
}

/** The OCI spelling of a parent's layer media type (docker's are the same formats). */
function ociLayerType(mediaType: string): string {
  if (mediaType === MEDIA.dockerLayerGzip) return MEDIA.ociLayerGzip;
  if (mediaType === "application/vnd.docker.image.rootfs.diff.tar") return MEDIA.ociLayer;
  return mediaType;
}

/**
 * Store the layer and the new image.
 *
 * @throws {UsageError} on a bad `--change` or name
 * @throws {ImageError} when a parent blob is missing or corrupt
 */
export async function commitLayer(ctx: ImageCtx, req: CommitRequest): Promise<ImageRow> {
  const names = req.name ? [localName(req.name)] : [];
  const parent = imageConfig(req.parent);
  const runConfig: CommitRunConfig = { ...(parent.config ?? {}), ...req.runConfig };
  for (const c of req.changes) applyChange(runConfig, c);
  return await withGcLock(ctx, false, async () => {
    const layer = await adoptBlobFile(ctx.paths, req.layerTar, undefined, true);
    const created = new Date(ctx.now()).toISOString();
    const config: ImageConfig & { author?: string } = {
      ...parent,
      created,
      ...(req.author ? { author: req.author } : {}),
      config: runConfig,
      // An uncompressed layer: its blob digest is its diff_id.
      rootfs: { type: "layers", diff_ids: [...parent.rootfs.diff_ids, layer.digest] },
      history: [...(parent.history ?? []), {
        created,
        created_by: req.createdBy,
        ...(req.author ? { author: req.author } : {}),
        ...(req.message ? { comment: req.message } : {}),
      }],
    };
    const configBytes = new TextEncoder().encode(JSON.stringify(config));
    const configDigest = await putBlobBytes(ctx.paths, configBytes);
    const manifest = {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: configBytes.length },
      layers: [
        ...req.parent.layers.map((l) => ({
          mediaType: ociLayerType(l.mediaType),
          digest: l.digest,
          size: l.size,
        })),
        { mediaType: MEDIA.ociLayer, digest: layer.digest, size: layer.size },
      ],
    };
    const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest));
    await putBlobBytes(ctx.paths, manifestBytes);
    return await commitImage(ctx, manifestBytes, names);
  });
}
