/**
 * `import`: a root filesystem tarball (plain, gzip or zstd) becomes a one-layer image. The
 * tarball is stored as its layer blob unchanged.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { adoptBlobFile, putBlobBytes } from "./blobs.ts";
import { applyChange } from "./changes.ts";
import { decompress, sniffCompression } from "../archive/decompress.ts";
import { hasher, hashing } from "./digest.ts";
import { hostPlatform, type ImageConfig, MEDIA } from "./manifest.ts";
import { tmpPath } from "./paths.ts";
import { fileChunks } from "../archive/file_chunks.ts";
import { localName } from "./reference.ts";
import { commitImage, type ImageCtx, withGcLock } from "./store.ts";
import type { ImageRow } from "../store/images.ts";
import { writeAll } from "../io.ts";

/**
 * `src` as it can be stored as a layer blob: xz (which layers cannot use) decompressed,
 * gzip, zstd and plain tarballs unchanged.
 */
async function storable(src: AsyncIterable<Uint8Array>): Promise<AsyncIterable<Uint8Array>> {
  const it = src[Symbol.asyncIterator]();
  const first = await it.next();
  const all = async function* () {
    if (first.done) return;
    yield first.value;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  };
  const head = first.done ? new Uint8Array(0) : first.value;
  return sniffCompression(head) === "xz" ? decompress(all()) : all();
}

/**
 * Import `input` (a file, or a stream: the CLI's stdin for `-`, an API request's body) as an image named `ref` (if given), with the
 * `--change` instructions applied to its config.
 *
 * @throws {UsageError} on a bad reference, change or unreadable input
 * @throws {ImageError} when the tarball is not a valid tar
 */
export async function importTarball(
  ctx: ImageCtx,
  input: string | ReadableStream<Uint8Array>,
  ref: string | undefined,
  changes: string[] = [],
  message = "",
): Promise<ImageRow> {
  const runConfig: NonNullable<ImageConfig["config"]> = {};
  for (const c of changes) applyChange(runConfig, c);
  const names = ref ? [localName(ref)] : [];
  const source = typeof input === "string" ? input : "-";
  return await withGcLock(ctx, false, async () => {
    const tmp = tmpPath(ctx.paths, "import");
    try {
      let src: AsyncIterable<Uint8Array>;
      try {
        if (typeof input === "string") Deno.statSync(input);
        src = typeof input === "string" ? fileChunks(input) : input;
        src = await storable(src);
      } catch (err) {
        throw new UsageError(`${source}: ${err instanceof Error ? err.message : err}`);
      }
      // One pass: copy to a temp file while hashing the uncompressed stream for the diff_id.
      const inner = hasher();
      const f = await Deno.open(tmp, { createNew: true, write: true, mode: 0o600 });
      const head: Uint8Array[] = [];
      try {
        const tee = async function* () {
          for await (const chunk of src) {
            if (head.length === 0) head.push(chunk.slice(0, 4));
            await writeAll(f, chunk);
            yield chunk;
          }
        };
        for await (const _ of hashing(decompress(tee()), inner)) { /* hashed */ }
      } finally {
        f.close();
      }
      const kind = sniffCompression(head[0] ?? new Uint8Array(0));
      const layer = await adoptBlobFile(ctx.paths, tmp, undefined, true);
      const platform = hostPlatform();
      const config: ImageConfig = {
        created: new Date(ctx.now()).toISOString(),
        architecture: platform.architecture,
        os: platform.os,
        ...(platform.variant ? { variant: platform.variant } : {}),
        config: runConfig,
        rootfs: { type: "layers", diff_ids: [inner.digest()] },
        history: [{
          created: new Date(ctx.now()).toISOString(),
          created_by: `berth import ${source}`,
          comment: message || undefined,
        }],
      };
      const configBytes = new TextEncoder().encode(JSON.stringify(config));
      const configDigest = await putBlobBytes(ctx.paths, configBytes);
      const manifest = {
        schemaVersion: 2,
        mediaType: MEDIA.ociManifest,
        config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: configBytes.length },
        layers: [{
          mediaType: kind === "gzip"
            ? MEDIA.ociLayerGzip
            : kind === "zstd"
            ? MEDIA.ociLayerZstd
            : MEDIA.ociLayer,
          digest: layer.digest,
          size: layer.size,
        }],
      };
      const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest));
      await putBlobBytes(ctx.paths, manifestBytes);
      return await commitImage(ctx, manifestBytes, names);
    } finally {
      await Deno.remove(tmp).catch(() => {});
    }
  });
}
