/**
 * The gzip form of an uncompressed layer blob, made for a push (podman compresses such
 * layers too): written to a temporary file while both sides are hashed, so that a stored
 * blob that no longer matches its digest is caught here rather than sent.
 *
 * @module
 */
import { ImageError } from "../errors.ts";
import { fileChunks } from "../archive/file_chunks.ts";
import { writeAll } from "../io.ts";
import { hasher, hashing } from "./digest.ts";
import { blobPath, type ImagePaths, tmpPath } from "./paths.ts";

/** A compressed copy of a blob in the store's tmp dir; the caller removes `path`. */
export interface GzipBlob {
  path: string;
  digest: string;
  size: number;
}

/**
 * Compress stored blob `digest` with gzip into a temporary file.
 *
 * @throws {ImageError} when the stored blob does not match its digest
 */
export async function gzipBlob(p: ImagePaths, digest: string): Promise<GzipBlob> {
  const tmp = tmpPath(p, "push-gzip");
  const input = hasher();
  const output = hasher();
  const f = await Deno.open(tmp, { createNew: true, write: true, mode: 0o600 });
  try {
    const plain = ReadableStream.from(hashing(fileChunks(blobPath(p, digest)), input));
    // (CompressionStream takes any BufferSource; the stream here carries Uint8Arrays.)
    const gzip = new CompressionStream("gzip") as unknown as TransformStream<
      Uint8Array,
      Uint8Array
    >;
    for await (const chunk of hashing(plain.pipeThrough(gzip), output)) {
      await writeAll(f, chunk);
    }
    const got = input.digest();
    if (got !== digest) {
      throw new ImageError(`blob ${digest} is corrupt in the store (content is ${got})`);
    }
  } catch (err) {
    f.close();
    await Deno.remove(tmp).catch(() => {});
    if (err instanceof Deno.errors.NotFound) {
      throw new ImageError(`blob ${digest} is missing from the image store`);
    }
    throw err;
  }
  f.close();
  return { path: tmp, digest: output.digest(), size: output.bytes };
}
