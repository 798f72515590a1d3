/**
 * Reading a file as a stream of large chunks. Synchronous 1 MiB reads are several times
 * faster than `FsFile.readable` in Deno 2.9 (measured: 117 ms vs 722 ms for 150 MB).
 *
 * @module
 */

const CHUNK = 1 << 20;

/** The content of `path` in chunks of up to 1 MiB (each a fresh buffer). */
export async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const f = Deno.openSync(path);
  try {
    for (;;) {
      const buf = new Uint8Array(CHUNK);
      const n = f.readSync(buf);
      if (n === null || n === 0) return;
      yield n === CHUNK ? buf : buf.subarray(0, n);
      await Promise.resolve();
    }
  } finally {
    f.close();
  }
}
