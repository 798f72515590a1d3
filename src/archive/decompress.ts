/**
 * Streaming decompression of a layer blob or an archive, choosing gzip, zstd, xz or none by
 * its magic bytes. xz (GitLab Runner's prebuilt helper tarballs) has no decoder in Deno or
 * node:zlib, so it goes through the `xz` tool.
 *
 * @module
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createZstdDecompress } from "node:zlib";
import { errorMessage, ImageError } from "../errors.ts";

/** The compressions a layer or archive may use. */
export type Compression = "gzip" | "zstd" | "xz" | "none";

/** Which compression the first bytes of a blob announce. */
export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (
    head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f &&
    head[3] === 0xfd
  ) return "zstd";
  if (
    head.length >= 4 && head[0] === 0xfd && head[1] === 0x37 && head[2] === 0x7a &&
    head[3] === 0x58
  ) return "xz";
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
  if (kind === "xz") {
    yield* unxz(rest());
    return;
  }
  const opts = { chunkSize: 256 << 10 };
  const z = kind === "gzip" ? createGunzip(opts) : createZstdDecompress(opts);
  const done = pipeline(Readable.from(rest(), { objectMode: false }), z);
  done.catch(() => {}); // surfaced through the iteration below
  for await (const chunk of z as AsyncIterable<Uint8Array>) yield chunk;
  await done;
}

/**
 * Decompress xz through `xz -dc`.
 *
 * @throws {ImageError} when the tool is missing or the data is corrupt
 */
async function* unxz(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("xz", {
      args: ["-dc"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (err) {
    throw new ImageError(`xz-compressed data needs the xz tool: ${errorMessage(err)}`);
  }
  const feeding = (async () => {
    const w = child.stdin.getWriter();
    try {
      for await (const chunk of source) await w.write(chunk);
      await w.close();
    } catch (err) {
      await w.abort().catch(() => {});
      throw err;
    }
  })();
  feeding.catch(() => {}); // surfaced below
  const stderr = new Response(child.stderr).text();
  let finished = false;
  try {
    for await (const chunk of child.stdout) yield chunk;
    finished = true;
  } finally {
    // An early stop by the consumer must not leave xz running.
    if (!finished) {
      try {
        child.kill("SIGKILL");
      } catch { /* exited */ }
    }
  }
  const status = await child.status;
  await feeding;
  if (!status.success) throw new ImageError(`xz: ${(await stderr).trim()}`);
}
