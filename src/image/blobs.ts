/**
 * The content-addressed blob store (`images/blobs/sha256/<hex>`). A blob is written to a
 * temporary file while hashed, checked against its expected digest and size, and renamed
 * into place under a per-blob lock, so concurrent writers never store it twice and a reader
 * never sees a partial blob.
 *
 * @module
 */
import { ImageError } from "../errors.ts";
import { digestHex, type Hasher, hasher, sha256 } from "./digest.ts";
import { withLock } from "./lock.ts";
import { fileChunks } from "../archive/file_chunks.ts";
import { blobPath, type ImagePaths, tmpPath } from "./paths.ts";
import { writeAll } from "../io.ts";

/** True if the blob is stored. */
export function hasBlob(p: ImagePaths, digest: string): boolean {
  try {
    return Deno.statSync(blobPath(p, digest)).isFile;
  } catch {
    return false;
  }
}

/**
 * Read a (small) blob and check its digest.
 *
 * @throws {ImageError} when it is missing or does not match
 */
export function readBlob(p: ImagePaths, digest: string): Uint8Array {
  let data: Uint8Array;
  try {
    data = Deno.readFileSync(blobPath(p, digest));
  } catch {
    throw new ImageError(`blob ${digest} is missing from the image store`);
  }
  if (sha256(data) !== digest) throw new ImageError(`blob ${digest} is corrupt in the store`);
  return data;
}

/** Store bytes as a blob; returns its digest. */
export async function putBlobBytes(p: ImagePaths, data: Uint8Array): Promise<string> {
  const digest = sha256(data);
  await ensureBlob(p, digest, data.length, async function* () {
    yield data;
  });
  return digest;
}

/** Progress callback: bytes written so far for this blob. */
export type BlobProgress = (written: number) => void;

/**
 * Make sure blob `digest` is stored, producing it with `produce` only if it is not. The
 * bytes are hashed as they are written; a wrong digest or size is an error and nothing is
 * kept. Returns true if this call wrote the blob, false if it was already there.
 *
 * @param size the expected size, or -1 if unknown
 * @throws {ImageError} on a digest or size mismatch
 */
export async function ensureBlob(
  p: ImagePaths,
  digest: string,
  size: number,
  produce: () => AsyncIterable<Uint8Array> | Promise<AsyncIterable<Uint8Array>>,
  progress?: BlobProgress,
): Promise<boolean> {
  if (hasBlob(p, digest)) return false;
  return await withLock(p.locksDir, `blob-${digestHex(digest)}`, async () => {
    if (hasBlob(p, digest)) return false;
    const tmp = tmpPath(p, `blob-${digestHex(digest).slice(0, 12)}`);
    const h = hasher();
    try {
      await writeHashed(tmp, await produce(), h, size, progress);
      const got = h.digest();
      if (got !== digest) {
        throw new ImageError(`blob ${digest}: content has digest ${got} (corrupt or tampered)`);
      }
      if (size >= 0 && h.bytes !== size) {
        throw new ImageError(`blob ${digest}: got ${h.bytes} bytes, expected ${size}`);
      }
      Deno.renameSync(tmp, blobPath(p, digest));
      return true;
    } catch (err) {
      await Deno.remove(tmp).catch(() => {});
      throw err;
    }
  });
}

async function writeHashed(
  path: string,
  source: AsyncIterable<Uint8Array>,
  h: Hasher,
  size: number,
  progress?: BlobProgress,
): Promise<void> {
  const f = await Deno.open(path, { createNew: true, write: true, mode: 0o644 });
  try {
    for await (const chunk of source) {
      h.hash.update(chunk);
      h.bytes += chunk.length;
      if (size >= 0 && h.bytes > size) {
        throw new ImageError(`blob is larger than its declared ${size} bytes`);
      }
      await writeAll(f, chunk);
      progress?.(h.bytes);
    }
    await f.sync();
  } finally {
    f.close();
  }
}

/** sha256 and size of a file, streamed. */
export async function hashFile(path: string): Promise<{ digest: string; size: number }> {
  const h = hasher();
  for await (const chunk of fileChunks(path)) {
    h.hash.update(chunk);
    h.bytes += chunk.length;
  }
  return { digest: h.digest(), size: h.bytes };
}

/**
 * Store the file at `path` as a blob: hashed, checked against `expected` if given, then
 * moved (same filesystem) or copied into the store. Returns its digest and size.
 *
 * @throws {ImageError} when the content does not match `expected`
 */
export async function adoptBlobFile(
  p: ImagePaths,
  path: string,
  expected?: { digest: string; size: number },
  move = false,
): Promise<{ digest: string; size: number }> {
  if (expected && hasBlob(p, expected.digest)) {
    const size = Deno.statSync(blobPath(p, expected.digest)).size;
    if (size === expected.size) return expected;
  }
  const got = await hashFile(path);
  if (expected && (got.digest !== expected.digest || got.size !== expected.size)) {
    throw new ImageError(
      `blob ${expected.digest}: file has digest ${got.digest} and ${got.size} bytes (expected ${expected.size})`,
    );
  }
  if (move) {
    await withLock(p.locksDir, `blob-${digestHex(got.digest)}`, () => {
      if (!hasBlob(p, got.digest)) Deno.renameSync(path, blobPath(p, got.digest));
    });
  } else {
    await ensureBlob(p, got.digest, got.size, () => fileChunks(path));
  }
  return got;
}
