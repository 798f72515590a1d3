/**
 * `save`: images as an oci-archive (a tar of an OCI image layout whose `index.json` names
 * each image with `org.opencontainers.image.ref.name`), streamed from the blob store.
 *
 * @module
 */
import { imageNames, type ImageRow } from "../store/images.ts";
import { blobPath } from "./paths.ts";
import { NoSuchImageError } from "./errors.ts";
import { MEDIA } from "./manifest.ts";
import { type ImageCtx, lookupImage } from "./store.ts";
import { tarEnd, tarHeader, tarPadding } from "./tar_writer.ts";
import { fileChunks } from "./file_chunks.ts";

const enc = new TextEncoder();

/** Where an archive is written. */
export interface ArchiveSink {
  write(p: Uint8Array): Promise<number>;
}

async function writeAll(w: ArchiveSink, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await w.write(data.subarray(off));
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
  const images: { row: ImageRow; name?: string }[] = [];
  for (const ref of refs) {
    const found = lookupImage(ctx, ref);
    if (!found) throw new NoSuchImageError(ref);
    const { row, name } = found;
    images.push({ row, name: name ?? imageNames(ctx.store, row.id)[0] });
  }
  const mtime = Math.floor(Date.now() / 1000);
  const dir = async (name: string) =>
    await writeAll(out, tarHeader({ name, type: "dir", mode: 0o755, mtime }));
  const file = async (name: string, data: Uint8Array) => {
    await writeAll(out, tarHeader({ name, type: "file", size: data.length, mode: 0o644, mtime }));
    await writeAll(out, data);
    await writeAll(out, tarPadding(data.length));
  };
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
      if (copied !== size) throw new Error(`blob ${d} changed size while saving`);
      await writeAll(out, tarPadding(size));
    }
  }
  await writeAll(out, tarEnd());
}
