/**
 * Exact-size reads over a stream of chunks, without copying when a read fits in one chunk.
 *
 * @module
 */

/** Reads fixed amounts from an async stream of byte chunks. */
export interface ByteReader {
  /** Exactly `n` bytes, or null at a clean end of stream (no bytes left). Throws on a short read. */
  readExact(n: number): Promise<Uint8Array | null>;
  /** Up to `max` (≥ 1) bytes from what is buffered or the next chunk; null at end of stream. */
  readSome(max: number): Promise<Uint8Array | null>;
  /** Discard `n` bytes. Throws if the stream ends first. */
  skip(n: number): Promise<void>;
}

/** Wrap `source` in a {@linkcode ByteReader}. */
export function byteReader(source: AsyncIterable<Uint8Array>): ByteReader {
  const it = source[Symbol.asyncIterator]();
  let buf: Uint8Array = new Uint8Array(0);
  let off = 0;
  let done = false;

  async function fill(): Promise<boolean> {
    while (off >= buf.length) {
      if (done) return false;
      const r = await it.next();
      if (r.done) {
        done = true;
        return false;
      }
      buf = r.value;
      off = 0;
    }
    return true;
  }

  async function readSome(max: number): Promise<Uint8Array | null> {
    if (!(await fill())) return null;
    const n = Math.min(max, buf.length - off);
    const out = buf.subarray(off, off + n);
    off += n;
    return out;
  }

  async function readExact(n: number): Promise<Uint8Array | null> {
    if (!(await fill())) return null;
    if (buf.length - off >= n) {
      const out = buf.subarray(off, off + n);
      off += n;
      return out;
    }
    const out = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const part = await readSome(n - got);
      if (part === null) throw new RangeError(`unexpected end of stream (${got} of ${n} bytes)`);
      out.set(part, got);
      got += part.length;
    }
    return out;
  }

  async function skip(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      const part = await readSome(left);
      if (part === null) throw new RangeError(`unexpected end of stream (${left} bytes missing)`);
      left -= part.length;
    }
  }

  return { readExact, readSome, skip };
}
