/**
 * The image store: recording an image whose blobs are stored (extracting its layers),
 * finding images by name or ID, keeping `index.json` in step with the database, and
 * garbage-collecting blobs and layers no image or container needs.
 *
 * @module
 */
import { join } from "../path.ts";
import { immediate, type Store } from "../store/db.ts";
import {
  allImageNames,
  getImage,
  imageIdByName,
  imageIdsByDigest,
  imageIdsWithPrefix,
  type ImageRow,
  type LayerRecord,
  listImages,
  lowerDirsInUse,
  putImage,
  setImageName,
} from "../store/images.ts";
import { ConflictError, InternalError, NoSuchImageError } from "../errors.ts";
import { readBlob } from "./blobs.ts";
import { digestHex, sha256 } from "./digest.ts";
import { ensureLayer } from "./extract.ts";
import { type ImageConfig, MEDIA, parseConfig, parseManifest } from "./manifest.ts";
import { type ImagePaths, layerDiff, layerMarker } from "./paths.ts";
import {
  isShortName,
  LOCAL_REGISTRY,
  localCandidates,
  localName,
  parseReference,
} from "./reference.ts";
import { pathExists } from "../fs.ts";
import { withFileLock } from "../file_lock.ts";

/** What image operations need: the database, the store paths, a clock. */
export interface ImageCtx {
  store: Store;
  paths: ImagePaths;
  now: () => number;
}

/**
 * Run `fn` holding the store's GC lock: shared for writers of new content (pull, load,
 * import), exclusive for garbage collection, so GC never deletes a blob a writer is about
 * to record.
 */
export async function withGcLock<T>(
  ctx: ImageCtx,
  exclusive: boolean,
  fn: () => Promise<T> | T,
): Promise<T> {
  return await withFileLock(join(ctx.paths.locksDir, "gc.lock"), fn, undefined, !exclusive);
}

/** Called before and after each layer is extracted. */
export type LayerHook = (index: number, diffId: string, phase: "start" | "done") => void;

/**
 * Record an image whose manifest, config and layer blobs are in the blob store: check the
 * config digest and diff_ids, extract every layer (once), insert the image and point
 * `names` at it. Returns the image row.
 *
 * @throws {ImageError} on a bad manifest, config or layer
 */
export async function commitImage(
  ctx: ImageCtx,
  manifestBytes: Uint8Array,
  names: string[],
  onLayer?: LayerHook,
): Promise<ImageRow> {
  const parsed = parseManifest(manifestBytes);
  if (parsed.kind !== "manifest") throw new InternalError("commitImage needs an image manifest");
  const m = parsed.manifest;
  const configBytes = readBlob(ctx.paths, m.config.digest);
  const config = parseConfig(configBytes, m.layers.length);
  const layers: LayerRecord[] = m.layers.map((l, i) => ({
    diffId: config.rootfs.diff_ids[i],
    digest: l.digest,
    mediaType: l.mediaType,
    size: l.size,
  }));
  await ensureLayers(ctx, layers, onLayer);
  let size = 0;
  for (const l of layers) size += layerSize(ctx.paths, l.diffId);
  const row: ImageRow = {
    id: digestHex(m.config.digest),
    digest: sha256(manifestBytes),
    manifest: new TextDecoder().decode(manifestBytes),
    config: new TextDecoder().decode(configBytes),
    layers,
    size,
    createdAt: ctx.now(),
  };
  immediate(ctx.store, () => {
    putImage(ctx.store, row);
    for (const n of names) setImageName(ctx.store, n, row.id);
    writeIndexJson(ctx);
  });
  return getImage(ctx.store, row.id)!;
}

/** The uncompressed size of an extracted layer, as its completion marker records it. */
export function layerSize(p: ImagePaths, diffId: string): number {
  try {
    return Number(JSON.parse(Deno.readTextFileSync(layerMarker(p, diffId))).size) || 0;
  } catch {
    return 0;
  }
}

/** The decoded config of a stored image. */
export function imageConfig(row: ImageRow): ImageConfig {
  return JSON.parse(row.config);
}

/** The extracted layer directories of an image, topmost first. */
export function lowerDirs(ctx: ImageCtx, row: ImageRow): string[] {
  return row.layers.map((l) => layerDiff(ctx.paths, l.diffId)).reverse();
}

/**
 * Extract every layer of an image that is not on disk yet (each over the ones below it),
 * telling `onLayer` as each starts and is done.
 */
export async function ensureLayers(
  ctx: ImageCtx,
  layers: { digest: string; diffId: string }[],
  onLayer?: (index: number, diffId: string, phase: "start" | "done") => void,
): Promise<void> {
  for (const [i, l] of layers.entries()) {
    onLayer?.(i, l.diffId, "start");
    const below = layers.slice(0, i).map((b) => layerDiff(ctx.paths, b.diffId)).reverse();
    await ensureLayer(ctx.paths, l.digest, l.diffId, below);
    onLayer?.(i, l.diffId, "done");
  }
}

/**
 * Rewrite `images/index.json` from the database (call inside the transaction that changed
 * names, so the file follows the commit order).
 */
export function writeIndexJson(ctx: ImageCtx): void {
  const manifests = [];
  const named = new Set<string>();
  const rows = new Map(listImages(ctx.store).map((r) => [r.id, r]));
  for (const { name, imageId } of allImageNames(ctx.store)) {
    const r = rows.get(imageId);
    if (!r) continue;
    named.add(imageId);
    manifests.push({
      ...descriptorOf(r),
      annotations: { "org.opencontainers.image.ref.name": name },
    });
  }
  for (const r of rows.values()) if (!named.has(r.id)) manifests.push(descriptorOf(r));
  const index = { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests };
  const tmp = `${ctx.paths.indexJson}.tmp-${Deno.pid}`;
  Deno.writeTextFileSync(tmp, JSON.stringify(index, null, 2) + "\n");
  Deno.renameSync(tmp, ctx.paths.indexJson);
}

function descriptorOf(r: ImageRow) {
  const mediaType = JSON.parse(r.manifest).mediaType ?? MEDIA.ociManifest;
  return { mediaType, digest: r.digest, size: new TextEncoder().encode(r.manifest).length };
}

/** A local image found by {@linkcode lookupImage}, and the stored name it was found by. */
export interface FoundImage {
  row: ImageRow;
  /** The stored name that matched; undefined when found by ID or digest. */
  name?: string;
}

/**
 * Find a local image the way podman does: by name (a short name tries `localhost/NAME`,
 * then `docker.io/[library/]NAME`, then any stored name ending in `/NAME:TAG`),
 * `name@digest`, full or short ID, or `sha256:<id>`. Undefined when none matches.
 *
 * @throws {ConflictError} when a short ID matches several images
 * @throws {UsageError} when `text` is neither a reference nor an ID
 */
export function lookupImage(ctx: ImageCtx, text: string): FoundImage | undefined {
  const s = ctx.store;
  const hex = /^(?:sha256:)?([0-9a-f]{3,64})$/.exec(text);
  let ref;
  try {
    ref = parseReference(text);
  } catch (err) {
    if (!hex) throw err;
  }
  if (ref) {
    const candidates = localCandidates(text);
    if (!ref.digest) {
      for (const name of candidates) {
        const id = imageIdByName(s, name);
        if (id) return { row: getImage(s, id)!, name };
      }
      if (isShortName(text)) {
        // podman's last resort: a stored name whose path ends with the short name.
        const want = "/" + localName(text).slice(LOCAL_REGISTRY.length + 1);
        const hit = allImageNames(s).find((n) => n.name.endsWith(want));
        if (hit) return { row: getImage(s, hit.imageId)!, name: hit.name };
      }
    } else {
      const ids = imageIdsByDigest(s, ref.digest);
      if (ids.length) return { row: getImage(s, ids[0])! };
      for (const name of candidates) {
        const id = imageIdByName(s, name);
        const named = id ? getImage(s, id) : undefined;
        if (named && named.digest === ref.digest) return { row: named, name };
      }
    }
  }
  if (hex) {
    const ids = imageIdsWithPrefix(s, hex[1]);
    if (ids.length > 1) throw new ConflictError(`short ID ${hex[1]} is ambiguous`);
    if (ids.length === 1) return { row: getImage(s, ids[0])! };
  }
  return undefined;
}

/**
 * The image {@linkcode lookupImage} finds, without the name.
 *
 * @throws {ConflictError} when a short ID matches several images
 */
export function findImage(ctx: ImageCtx, text: string): ImageRow | undefined {
  return lookupImage(ctx, text)?.row;
}

/**
 * Like {@linkcode findImage}, but an error when nothing matches.
 *
 * @throws {NoSuchImageError}
 */
export function requireImage(ctx: ImageCtx, text: string): ImageRow {
  const row = findImage(ctx, text);
  if (!row) throw new NoSuchImageError(text);
  return row;
}

/** What garbage collection removed. */
export interface GcResult {
  blobs: number;
  layers: number;
}

/**
 * Delete blobs no image references and layer directories neither an image nor a container
 * uses, plus leftovers of dead processes in the tmp dir. Takes the GC lock exclusively.
 */
export async function collectGarbage(ctx: ImageCtx): Promise<GcResult> {
  return await withGcLock(ctx, true, () => {
    const result: GcResult = { blobs: 0, layers: 0 };
    const blobs = new Set<string>();
    const diffIds = new Set<string>();
    for (const r of listImages(ctx.store)) {
      blobs.add(digestHex(r.digest));
      blobs.add(r.id);
      for (const l of r.layers) {
        blobs.add(digestHex(l.digest));
        diffIds.add(digestHex(l.diffId));
      }
    }
    const usedDirs = lowerDirsInUse(ctx.store);
    for (const e of Deno.readDirSync(ctx.paths.blobsDir)) {
      if (!/^[0-9a-f]{64}$/.test(e.name) || blobs.has(e.name)) continue;
      Deno.removeSync(join(ctx.paths.blobsDir, e.name));
      result.blobs++;
    }
    for (const e of Deno.readDirSync(ctx.paths.layersDir)) {
      if (!/^[0-9a-f]{64}$/.test(e.name) || diffIds.has(e.name)) continue;
      if (usedDirs.has(join(ctx.paths.layersDir, e.name, "diff"))) continue;
      Deno.removeSync(join(ctx.paths.layersDir, e.name), { recursive: true });
      result.layers++;
    }
    for (const e of Deno.readDirSync(ctx.paths.tmpDir)) {
      const pid = Number(/-(\d+)-[0-9a-f]{8}$/.exec(e.name)?.[1]);
      if (pid && pidAlive(pid)) continue;
      Deno.removeSync(join(ctx.paths.tmpDir, e.name), { recursive: true });
    }
    return result;
  });
}

function pidAlive(pid: number): boolean {
  return pathExists(`/proc/${pid}`);
}
