/**
 * OCI and Docker manifest formats: media types, parsing with validation, and choosing a
 * platform from an index (pure).
 *
 * @module
 */
import { ImageError, UsageError } from "../errors.ts";
import { isDigest } from "./digest.ts";
import type { ImageRunConfig } from "./types.ts";
import { goArch } from "../platform.ts";

/** Media types of manifests and indexes. */
export const MEDIA = {
  ociIndex: "application/vnd.oci.image.index.v1+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  ociLayer: "application/vnd.oci.image.layer.v1.tar",
  ociLayerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  ociLayerZstd: "application/vnd.oci.image.layer.v1.tar+zstd",
  dockerLayerGzip: "application/vnd.docker.image.rootfs.diff.tar.gzip",
} as const;

/** The `Accept` header for manifest requests: all four types. */
export const MANIFEST_ACCEPT = [
  MEDIA.ociIndex,
  MEDIA.dockerList,
  MEDIA.ociManifest,
  MEDIA.dockerManifest,
].join(", ");

const LAYER_TYPES = new Set<string>([
  MEDIA.ociLayer,
  MEDIA.ociLayerGzip,
  MEDIA.ociLayerZstd,
  MEDIA.dockerLayerGzip,
  "application/vnd.docker.image.rootfs.diff.tar",
]);

/** A content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
}

/** An os/architecture/variant triple. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** An image manifest (OCI or Docker v2 schema 2). */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** An index / manifest list. */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

/** What a manifest-or-index document turned out to be. */
export type ParsedManifest =
  | { kind: "manifest"; manifest: ImageManifest; mediaType: string }
  | { kind: "index"; index: ImageIndex; mediaType: string };

/** The image config, as much of it as berth uses. */
export interface ImageConfig {
  created?: string;
  architecture?: string;
  os?: string;
  variant?: string;
  config?: ImageRunConfig & {
    Labels?: Record<string, string> | null;
    Volumes?: Record<string, unknown>;
  };
  rootfs: { type: string; diff_ids: string[] };
  history?: unknown[];
}

/** The largest manifest, index or layout/archive JSON file read (real ones are a few KiB). */
export const MAX_MANIFEST_SIZE = 4 << 20;
/** The largest image config accepted (real ones are KiBs, with a long history ~100 KiB). */
export const MAX_CONFIG_SIZE = 8 << 20;

function descriptor(d: unknown, what: string): Descriptor {
  const o = d as Descriptor;
  if (
    typeof o !== "object" || o === null || typeof o.mediaType !== "string" ||
    !isDigest(String(o.digest)) || !Number.isSafeInteger(o.size) || o.size < 0
  ) {
    throw new ImageError(`invalid ${what} descriptor: ${JSON.stringify(d)?.slice(0, 200)}`);
  }
  return o;
}

/**
 * Parse a manifest or index document. `contentType` (from the registry) is used when the
 * document has no `mediaType` field.
 *
 * @throws {ImageError} on invalid JSON, schema 1, or missing fields
 */
export function parseManifest(bytes: Uint8Array, contentType = ""): ParsedManifest {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ImageError("manifest is not valid JSON");
  }
  if (doc.schemaVersion !== 2) {
    throw new ImageError(`unsupported manifest schema version ${doc.schemaVersion}`);
  }
  const mediaType = typeof doc.mediaType === "string"
    ? doc.mediaType
    : contentType.split(";")[0].trim();
  if (Array.isArray(doc.manifests)) {
    const manifests = doc.manifests.map((d) => descriptor(d, "index entry"));
    return { kind: "index", index: { ...doc, manifests } as ImageIndex, mediaType };
  }
  if (typeof doc.config === "object" && Array.isArray(doc.layers)) {
    const config = descriptor(doc.config, "config");
    if (config.size > MAX_CONFIG_SIZE) {
      throw new ImageError(
        `config ${config.digest} is too large (${config.size} bytes, at most ${MAX_CONFIG_SIZE})`,
      );
    }
    const layers = doc.layers.map((d) => descriptor(d, "layer"));
    for (const l of layers) {
      if (!LAYER_TYPES.has(l.mediaType)) {
        throw new ImageError(`unsupported layer media type ${l.mediaType}`);
      }
    }
    return {
      kind: "manifest",
      manifest: { ...doc, config, layers } as ImageManifest,
      mediaType: mediaType || MEDIA.ociManifest,
    };
  }
  throw new ImageError("document is neither an image manifest nor an index");
}

/**
 * Parse and check an image config: `rootfs.diff_ids` must be sha256 digests, one per layer.
 *
 * @throws {ImageError} otherwise
 */
export function parseConfig(bytes: Uint8Array, layerCount: number): ImageConfig {
  let cfg: ImageConfig;
  try {
    cfg = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ImageError("image config is not valid JSON");
  }
  const ids = cfg?.rootfs?.diff_ids;
  if (!Array.isArray(ids) || !ids.every((d) => typeof d === "string" && isDigest(d))) {
    throw new ImageError("image config has no valid rootfs.diff_ids");
  }
  if (ids.length !== layerCount) {
    throw new ImageError(`image config lists ${ids.length} diff_ids for ${layerCount} layers`);
  }
  return cfg;
}

/** This machine's platform, in OCI terms. */
export function hostPlatform(): Platform {
  const architecture = goArch();
  return { os: "linux", architecture, variant: architecture === "arm64" ? "v8" : undefined };
}

/**
 * Parse `--platform os/arch[/variant]`.
 *
 * @throws {UsageError} on a malformed value
 */
export function parsePlatform(text: string): Platform {
  const parts = text.split("/");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === "")) {
    throw new UsageError(`invalid platform "${text}": want os/arch[/variant]`);
  }
  const [os, architecture, variant] = parts;
  return { os, architecture, variant };
}

/** `os/arch[/variant]`. */
export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ""}`;
}

/**
 * Choose the manifest for `want` from an index: same os and architecture; a wanted variant
 * must match (arm64's `v8` also matches no variant); `unknown/unknown` (attestations) never.
 *
 * @throws {ImageError} when nothing matches
 */
export function selectPlatform(index: ImageIndex, want: Platform): Descriptor {
  const candidates = index.manifests.filter((m) =>
    m.mediaType !== MEDIA.ociIndex && m.mediaType !== MEDIA.dockerList &&
    m.platform?.os !== "unknown" && m.platform?.architecture !== "unknown"
  );
  const norm = (v: string | undefined, arch: string) =>
    arch === "arm64" && (v === undefined || v === "" || v === "v8") ? "v8" : v ?? "";
  const exact = candidates.filter((m) =>
    m.platform?.os === want.os && m.platform?.architecture === want.architecture
  );
  const byVariant = want.variant
    ? exact.filter((m) =>
      norm(m.platform?.variant, want.architecture) === norm(want.variant, want.architecture)
    )
    : exact;
  const pick = byVariant[0] ?? (want.variant ? undefined : exact[0]);
  if (!pick) {
    const have = candidates.map((m) => m.platform ? formatPlatform(m.platform) : "?").join(", ");
    throw new ImageError(
      `no image found in manifest list for platform ${formatPlatform(want)} (available: ${
        have || "none"
      })`,
    );
  }
  return pick;
}
