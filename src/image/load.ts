/**
 * `load`: images from an OCI layout directory, an oci-archive or a docker-archive (plain or
 * compressed tar). Every blob is checked against its digest before it is stored.
 *
 * @module
 */
import { join } from "../path.ts";
import { ImageError, UsageError } from "../errors.ts";
import { adoptBlobFile, putBlobBytes, readBlob } from "./blobs.ts";
import { sniffCompression } from "../archive/decompress.ts";
import {
  hostPlatform,
  MAX_CONFIG_SIZE,
  MAX_MANIFEST_SIZE,
  MEDIA,
  parseManifest,
  type Platform,
  selectPlatform,
} from "./manifest.ts";
import { tmpPath } from "./paths.ts";
import { localName } from "./reference.ts";
import { commitImage, type ImageCtx, withGcLock } from "./store.ts";
import { unpackArchive } from "./archive_unpack.ts";
import { fileChunks } from "../archive/file_chunks.ts";
import type { ImageRow } from "../store/images.ts";

/** One image `load` stored, with the names it got. */
export interface LoadedImage {
  row: ImageRow;
  names: string[];
}

/**
 * Load every image in `input`: a directory with an OCI layout, an archive file, or an
 * archive as a stream (the CLI's stdin for `-`, an API request's body).
 *
 * @throws {UsageError} when the input is neither
 * @throws {ImageError} on corrupt content
 */
export async function loadImages(
  ctx: ImageCtx,
  input: string | ReadableStream<Uint8Array>,
  platform: Platform = hostPlatform(),
): Promise<LoadedImage[]> {
  return await withGcLock(ctx, false, async () => {
    let isDir = false;
    if (typeof input === "string") {
      try {
        isDir = Deno.statSync(input).isDirectory;
      } catch {
        throw new UsageError(`${input}: no such file or directory`);
      }
    }
    if (isDir && typeof input === "string") {
      return await loadOciLayout(ctx, (p) => join(input, p), false, platform);
    }
    const dir = tmpPath(ctx.paths, "load");
    Deno.mkdirSync(dir, { mode: 0o700 });
    try {
      const src = typeof input === "string" ? fileChunks(input) : input;
      const ar = await unpackArchive(src, dir);
      if (ar.has("manifest.json")) return await loadDockerArchive(ctx, ar.file);
      if (ar.has("index.json")) return await loadOciLayout(ctx, ar.file, true, platform);
      throw new UsageError(
        `${
          typeof input === "string" ? input : "input"
        }: not an oci-archive or docker-archive (no index.json or manifest.json)`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  });
}

/**
 * A small file of the layout or archive, read whole only after its size is checked: a
 * compressed archive can inflate a JSON file to gigabytes.
 *
 * @throws {ImageError} when it is larger than `max`
 */
function readSmall(path: string, max: number, what: string): Uint8Array {
  const size = Deno.statSync(path).size;
  if (size > max) throw new ImageError(`${what} is too large (${size} bytes, at most ${max})`);
  return Deno.readFileSync(path);
}

function refName(annotation: string | undefined): string | undefined {
  if (!annotation || !/[/:@]/.test(annotation)) return undefined; // a bare tag names nothing
  try {
    return localName(annotation);
  } catch {
    return undefined;
  }
}

async function loadOciLayout(
  ctx: ImageCtx,
  file: (rel: string) => string,
  move: boolean,
  platform: Platform,
): Promise<LoadedImage[]> {
  let bytes;
  try {
    bytes = readSmall(file("index.json"), MAX_MANIFEST_SIZE, "index.json");
  } catch (err) {
    if (err instanceof ImageError) throw err;
    throw new UsageError("not an OCI layout: index.json is missing");
  }
  let index;
  try {
    index = parseManifest(bytes);
  } catch (err) {
    if (err instanceof ImageError) throw new ImageError(`index.json: ${err.message}`);
    throw err;
  }
  if (index.kind !== "index") throw new ImageError("index.json is not an image index");
  const blob = (digest: string) => file(`blobs/sha256/${digest.slice(7)}`);
  const copy = (d: { digest: string; size: number }) =>
    adoptBlobFile(ctx.paths, blob(d.digest), d, move);
  const copyManifest = (d: { digest: string; size: number }) => {
    if (d.size > MAX_MANIFEST_SIZE) {
      throw new ImageError(
        `manifest ${d.digest} is too large (${d.size} bytes, at most ${MAX_MANIFEST_SIZE})`,
      );
    }
    return copy(d);
  };
  const out: LoadedImage[] = [];
  const byId = new Map<string, LoadedImage>();
  for (const top of index.index.manifests) {
    const names = [
      refName(top.annotations?.["org.opencontainers.image.ref.name"]) ??
        refName(top.annotations?.["io.containerd.image.name"]),
    ].filter((n): n is string => n !== undefined);
    let desc = top;
    if (desc.mediaType === MEDIA.ociIndex || desc.mediaType === MEDIA.dockerList) {
      await copyManifest(desc);
      const inner = parseManifest(readBlob(ctx.paths, desc.digest));
      if (inner.kind !== "index") throw new ImageError(`${desc.digest} is not an index`);
      desc = selectPlatform(inner.index, platform);
    }
    await copyManifest(desc);
    const manifestBytes = readBlob(ctx.paths, desc.digest);
    const m = parseManifest(manifestBytes);
    if (m.kind !== "manifest") throw new ImageError(`${desc.digest} is not an image manifest`);
    await copy(m.manifest.config);
    for (const l of m.manifest.layers) await copy(l);
    const row = await commitImage(ctx, manifestBytes, names);
    const seen = byId.get(row.id);
    if (seen) seen.names.push(...names);
    else {
      const li = { row, names };
      byId.set(row.id, li);
      out.push(li);
    }
  }
  return out;
}

interface DockerManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

async function loadDockerArchive(
  ctx: ImageCtx,
  file: (rel: string) => string,
): Promise<LoadedImage[]> {
  let parsed: unknown;
  try {
    const bytes = readSmall(file("manifest.json"), MAX_MANIFEST_SIZE, "manifest.json");
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    if (err instanceof ImageError) throw new ImageError(`docker-archive: ${err.message}`);
    parsed = undefined;
  }
  // Unreadable, not JSON, or not a list: one message for all three.
  if (!Array.isArray(parsed)) throw new ImageError("docker-archive: manifest.json is not valid");
  const entries: DockerManifestEntry[] = parsed;
  const out: LoadedImage[] = [];
  const adopted = new Map<string, { mediaType: string; digest: string; size: number }>();
  for (const e of entries) {
    if (typeof e.Config !== "string" || !Array.isArray(e.Layers)) {
      throw new ImageError("docker-archive: manifest.json entry lacks Config or Layers");
    }
    const configBytes = readSmall(file(e.Config), MAX_CONFIG_SIZE, `config ${e.Config}`);
    const configDigest = await putBlobBytes(ctx.paths, configBytes);
    const layers = [];
    for (const l of e.Layers) {
      const path = file(l);
      const known = adopted.get(path);
      if (known) {
        layers.push(known);
        continue;
      }
      const head = new Uint8Array(4);
      const f = Deno.openSync(path);
      const n = f.readSync(head) ?? 0;
      f.close();
      const kind = sniffCompression(head.subarray(0, n));
      const { digest, size } = await adoptBlobFile(ctx.paths, path, undefined, true);
      const mediaType = kind === "gzip"
        ? MEDIA.ociLayerGzip
        : kind === "zstd"
        ? MEDIA.ociLayerZstd
        : MEDIA.ociLayer;
      adopted.set(path, { mediaType, digest, size });
      layers.push({ mediaType, digest, size });
    }
    const manifest = {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: configBytes.length },
      layers,
    };
    const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest));
    await putBlobBytes(ctx.paths, manifestBytes);
    const names = (e.RepoTags ?? []).map((t) => localName(t));
    out.push({ row: await commitImage(ctx, manifestBytes, names), names });
  }
  return out;
}
