/**
 * Extracting one layer blob into the layer store, once: the pipeline is blob file →
 * compressed digest → gunzip/zstd → diff_id digest → tar reader → overlay writer. The layer
 * is written under a per-layer lock into `layers/<hex>/diff`, and counts as present only
 * when its `complete` marker exists; a leftover without the marker is wiped and redone.
 *
 * @module
 */
import { ImageError } from "../errors.ts";
import { decompress } from "../archive/decompress.ts";
import { digestHex, hasher, hashing } from "./digest.ts";
import { type LayerStats, writeLayer } from "./layer_writer.ts";
import { withLock } from "./lock.ts";
import { syncFilesystem } from "../archive/libc.ts";
import { blobPath, type ImagePaths, layerDiff, layerDir, layerMarker } from "./paths.ts";
import { readTar } from "../archive/tar_reader.ts";
import { fileChunks } from "../archive/file_chunks.ts";

/** The digests seen while extracting a stream. */
export interface ExtractResult extends LayerStats {
  compressedDigest: string;
  compressedSize: number;
  diffId: string;
  diffSize: number;
}

/**
 * Extract a (possibly compressed) tar stream into `dest`, hashing both the compressed and
 * the uncompressed bytes. The whole stream is read, including what follows the tar's end
 * marker, so the digests cover every byte.
 */
export async function extractStream(
  source: AsyncIterable<Uint8Array>,
  dest: string,
  lowerDirs: string[] = [],
): Promise<ExtractResult> {
  const outer = hasher();
  const inner = hasher();
  const tarBytes = hashing(decompress(hashing(source, outer)), inner);
  const it = tarBytes[Symbol.asyncIterator]();
  // Share one iterator between the tar reader and the final drain.
  const shared: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({ next: () => it.next() }),
  };
  const stats = await writeLayer(readTar(shared), dest, lowerDirs);
  for (;;) if ((await it.next()).done) break;
  return {
    ...stats,
    compressedDigest: outer.digest(),
    compressedSize: outer.bytes,
    diffId: inner.digest(),
    diffSize: inner.bytes,
  };
}

/** True if the layer with this diff_id is fully extracted. */
export function layerPresent(p: ImagePaths, diffId: string): boolean {
  try {
    Deno.statSync(layerMarker(p, diffId));
    return true;
  } catch {
    return false;
  }
}

/**
 * Make sure the layer `diffId` is extracted, extracting `blob` (a file in the blob store)
 * if not. Concurrent callers wait for each other; only one extracts. `lowerDirs` (the
 * image's layers below this one, topmost first) give implicit directories their attributes.
 *
 * @throws {ImageError} when the blob's digest or uncompressed digest does not match, or
 * the tar is bad; nothing of the layer is kept then
 */
export async function ensureLayer(
  p: ImagePaths,
  blobDigest: string,
  diffId: string,
  lowerDirs: string[] = [],
): Promise<void> {
  if (layerPresent(p, diffId)) return;
  await withLock(p.locksDir, `layer-${digestHex(diffId)}`, async () => {
    if (layerPresent(p, diffId)) return;
    const dir = layerDir(p, diffId);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    Deno.mkdirSync(layerDiff(p, diffId), { recursive: true });
    let result: ExtractResult;
    try {
      result = await extractStream(
        fileChunks(blobPath(p, blobDigest)),
        layerDiff(p, diffId),
        lowerDirs,
      );
    } catch (err) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      throw err;
    }
    const bad = result.compressedDigest !== blobDigest
      ? `blob digest ${result.compressedDigest}, expected ${blobDigest}`
      : result.diffId !== diffId
      ? `uncompressed digest ${result.diffId}, expected diff_id ${diffId}`
      : "";
    if (bad) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      throw new ImageError(`layer ${blobDigest}: ${bad}`);
    }
    syncFilesystem(dir); // the files must be on disk before the marker says so
    const marker = layerMarker(p, diffId);
    Deno.writeTextFileSync(`${marker}.tmp`, JSON.stringify({ size: result.diffSize }));
    Deno.renameSync(`${marker}.tmp`, marker);
  });
}
