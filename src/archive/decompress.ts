/**
 * Streaming decompression of a layer blob, choosing gzip, zstd or none by its magic bytes.
 *
 * @module
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createZstdDecompress } from "node:zlib";

/** The compressions a layer may use. */
export type Compression = "gzip" | "zstd" | "none";

/** Which compression the first bytes of a blob announce. */
export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (
    head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f &&
    head[3] === 0xfd
  ) return "zstd";
  return "none";
}

/**
 * Decompress `source` (gzip, zstd or plain, sniffed from its first bytes) as a stream.
 * Errors of the source or the decompressor end the iteration with that error.
 */
export async function* decompress(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let seen = 0;
  let ended = false;
  while (seen < 4) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    seen += r.value.length;
  }
  const first = new Uint8Array(seen);
  let off = 0;
  for (const h of head) {
    first.set(h, off);
    off += h.length;
  }
  const kind = sniffCompression(first);
  async function* rest(): AsyncGenerator<Uint8Array> {
    for (const h of head) yield h;
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  if (kind === "none") {
    yield* rest();
    return;
  }
  const opts = { chunkSize: 256 << 10 };
  const z = kind === "gzip" ? createGunzip(opts) : createZstdDecompress(opts);
  const done = pipeline(Readable.from(rest(), { objectMode: false }), z);
  done.catch(() => {}); // surfaced through the iteration below
  for await (const chunk of z as AsyncIterable<Uint8Array>) yield chunk;
  await done;
}
