/**
 * `save`: images as a docker-archive (podman's default: `manifest.json` with Config,
 * RepoTags and Layers, the config blob, uncompressed layer tars) or an oci-archive (a tar of
 * an OCI image layout whose `index.json` names each image with
 * `org.opencontainers.image.ref.name`), streamed from the blob store.
 *
 * @module
 */
import { ImageError, NoSuchImageError } from "../errors.ts";
import { imageNames, type ImageRow } from "../store/images.ts";
import { blobPath } from "./paths.ts";
import { MEDIA } from "./manifest.ts";
import { type ImageCtx, lookupImage } from "./store.ts";
import { tarEnd, tarHeader, tarPadding } from "../archive/tar_writer.ts";
import { fileChunks } from "../archive/file_chunks.ts";
import { decompress } from "../archive/decompress.ts";
import { digestHex, hasher, hashing } from "./digest.ts";
import { writeAll, type Writer } from "../io.ts";

const enc = new TextEncoder();

/** Where an archive is written. */
export type ArchiveSink = Writer;

/** The archive formats `save` writes. */
export type SaveFormat = "docker-archive" | "oci-archive";

/** Write the images `refs` to `out` in `format`. */
export async function saveImages(
  ctx: ImageCtx,
  refs: string[],
  format: SaveFormat,
  out: ArchiveSink,
): Promise<void> {
  if (format === "docker-archive") await saveDockerArchive(ctx, refs, out);
  else await saveOciArchive(ctx, refs, out);
}

/** Each reference's image and the name to record for it (the one it was found by). */
function resolveImages(ctx: ImageCtx, refs: string[]): { row: ImageRow; name?: string }[] {
  return refs.map((ref) => {
    const found = lookupImage(ctx, ref);
    if (!found) throw new NoSuchImageError(ref);
    const { row, name } = found;
    return { row, name: name ?? imageNames(ctx.store, row.id)[0] };
  });
}

/** Tar entry writers on `out`, all with one mtime. */
function tarOut(out: ArchiveSink) {
  const mtime = Math.floor(Date.now() / 1000);
  return {
    mtime,
    dir: async (name: string) =>
      await writeAll(out, tarHeader({ name, type: "dir", mode: 0o755, mtime })),
    file: async (name: string, data: Uint8Array) => {
      await writeAll(
        out,
        tarHeader({ name, type: "file", size: data.length, mode: 0o644, mtime }),
      );
      await writeAll(out, data);
      await writeAll(out, tarPadding(data.length));
    },
  };
}

/**
 * Write the images `refs` as a docker-archive to `out`: per image its config as
 * `<id>.json`, each layer uncompressed as `<diff_id>.tar` (as docker and podman write them),
 * and `manifest.json`. Each layer is decompressed twice (once to learn its size and check
 * it against its diff_id, once to write it), so nothing is staged on disk.
 *
 * @throws {NoSuchImageError} for an unknown reference
 * @throws {ImageError} when a stored layer no longer matches its diff_id
 */
export async function saveDockerArchive(
  ctx: ImageCtx,
  refs: string[],
  out: ArchiveSink,
): Promise<void> {
  const images = resolveImages(ctx, refs);
  const { mtime, file } = tarOut(out);
  const written = new Set<string>();
  const manifest = [];
  for (const { row, name } of images) {
    const config = `${row.id}.json`;
    if (!written.has(config)) {
      written.add(config);
      await file(config, enc.encode(row.config));
    }
    const layers: string[] = [];
    for (const l of row.layers) {
      const entry = `${digestHex(l.diffId)}.tar`;
      layers.push(entry);
      if (written.has(entry)) continue;
      written.add(entry);
      const path = blobPath(ctx.paths, l.digest);
      const h = hasher();
      for await (const _ of hashing(decompress(fileChunks(path)), h)) { /* size and digest */ }
      if (h.digest() !== l.diffId) {
        throw new ImageError(`layer ${l.diffId} of image ${row.id} does not match its content`);
      }
      const size = h.bytes;
      await writeAll(out, tarHeader({ name: entry, type: "file", size, mode: 0o644, mtime }));
      let copied = 0;
      for await (const chunk of decompress(fileChunks(path))) {
        await writeAll(out, chunk);
        copied += chunk.length;
      }
      if (copied !== size) throw new ImageError(`layer ${l.diffId} changed while saving`);
      await writeAll(out, tarPadding(size));
    }
    manifest.push({
      Config: config,
      RepoTags: name && !name.includes("@") ? [name] : [],
      Layers: layers,
    });
  }
  await file("manifest.json", enc.encode(JSON.stringify(manifest)));
  await writeAll(out, tarEnd());
}

/**
 * Write the images `refs` as an oci-archive to `out`.
 *
 * @throws {NoSuchImageError} for an unknown reference
 */
export async function saveOciArchive(
  ctx: ImageCtx,
  refs: string[],
  out: ArchiveSink,
): Promise<void> {
  const images = resolveImages(ctx, refs);
  const { mtime, dir, file } = tarOut(out);
  await file("oci-layout", enc.encode('{"imageLayoutVersion":"1.0.0"}'));
  const manifests = images.map(({ row, name }) => ({
    mediaType: JSON.parse(row.manifest).mediaType ?? MEDIA.ociManifest,
    digest: row.digest,
    size: enc.encode(row.manifest).length,
    ...(name ? { annotations: { "org.opencontainers.image.ref.name": name } } : {}),
  }));
  await file("index.json", enc.encode(JSON.stringify({ schemaVersion: 2, manifests })));
  await dir("blobs/");
  await dir("blobs/sha256/");
  const written = new Set<string>();
  for (const { row } of images) {
    const m = JSON.parse(row.manifest);
    for (
      const d of [
        row.digest,
        m.config.digest,
        ...m.layers.map((l: { digest: string }) => l.digest),
      ]
    ) {
      if (written.has(d)) continue;
      written.add(d);
      const path = blobPath(ctx.paths, d);
      const size = Deno.statSync(path).size;
      await writeAll(
        out,
        tarHeader({ name: `blobs/sha256/${d.slice(7)}`, type: "file", size, mode: 0o644, mtime }),
      );
      let copied = 0;
      for await (const chunk of fileChunks(path)) {
        await writeAll(out, chunk);
        copied += chunk.length;
      }
      if (copied !== size) throw new ImageError(`blob ${d} changed size while saving`);
      await writeAll(out, tarPadding(size));
    }
  }
  await writeAll(out, tarEnd());
}
