/**
 * Converting a stored image manifest between OCI and Docker v2 schema 2 for `push --format`
 * (pure). The config and layer blobs stay byte for byte the same; only media types change.
 *
 * @module
 */
import { UnsupportedError } from "../errors.ts";
import { type ImageManifest, MEDIA } from "./manifest.ts";

/** A manifest format `push` writes. */
export type ManifestFormat = "oci" | "docker";

const DOCKER_TAR = "application/vnd.docker.image.rootfs.diff.tar";

const TO_DOCKER: Record<string, string> = {
  [MEDIA.ociLayerGzip]: MEDIA.dockerLayerGzip,
  [MEDIA.ociLayer]: DOCKER_TAR,
  [MEDIA.dockerLayerGzip]: MEDIA.dockerLayerGzip,
  [DOCKER_TAR]: DOCKER_TAR,
};

const TO_OCI: Record<string, string> = {
  [MEDIA.dockerLayerGzip]: MEDIA.ociLayerGzip,
  [DOCKER_TAR]: MEDIA.ociLayer,
  [MEDIA.ociLayerGzip]: MEDIA.ociLayerGzip,
  [MEDIA.ociLayer]: MEDIA.ociLayer,
  [MEDIA.ociLayerZstd]: MEDIA.ociLayerZstd,
};

/** The format a manifest is in (an absent mediaType is OCI's). */
export function formatOf(m: ImageManifest): ManifestFormat {
  return m.mediaType === MEDIA.dockerManifest ? "docker" : "oci";
}

/**
 * The manifest document of `m` in `format`, with its media type. Unchanged bytes are
 * returned when it already is in that format, so its digest stays the stored one.
 *
 * @throws {UnsupportedError} for a layer Docker's format cannot describe (zstd)
 */
export function convertManifest(
  bytes: Uint8Array,
  m: ImageManifest,
  format: ManifestFormat,
): { bytes: Uint8Array; mediaType: string } {
  if (formatOf(m) === format) {
    return { bytes, mediaType: format === "docker" ? MEDIA.dockerManifest : MEDIA.ociManifest };
  }
  const table = format === "docker" ? TO_DOCKER : TO_OCI;
  const layers = m.layers.map((l) => {
    const mediaType = table[l.mediaType];
    if (!mediaType) {
      throw new UnsupportedError(
        `layer ${l.digest} (${l.mediaType}) cannot be written in the ${format} format`,
      );
    }
    return { mediaType, size: l.size, digest: l.digest };
  });
  const doc = format === "docker"
    ? {
      schemaVersion: 2,
      mediaType: MEDIA.dockerManifest,
      config: { mediaType: MEDIA.dockerConfig, size: m.config.size, digest: m.config.digest },
      layers,
    }
    : {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, digest: m.config.digest, size: m.config.size },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
    };
  return {
    bytes: new TextEncoder().encode(JSON.stringify(doc)),
    mediaType: doc.mediaType,
  };
}
