/**
 * A buffered reader over one connection, shared by the request parser, the body readers, the
 * disconnect watch and a hijacked stream: one read in flight at a time, bytes read ahead kept
 * for the next request (pipelining).
 *
 * @module
 */

/** Something with Deno.Conn's `read`. */
export interface Readable {
  read(p: Uint8Array): Promise<number | null>;
}

const CHUNK = 64 * 1024;

/** The reader; see the module doc. */
export class ConnReader {
  #conn: Readable;
  #buf: Uint8Array = new Uint8Array();
  #inflight?: Promise<void>;
  /** The peer closed its sending side (or the read failed). */
  eof = false;
  /** The read failed (ECONNRESET, …): the peer is gone, not just half-closed. */
  failed = false;

  constructor(conn: Readable) {
    this.#conn = conn;
  }

  /** Bytes read ahead and not yet taken. */
  get buffered(): number {
    return this.#buf.length;
  }

  /** Read once more from the connection into the buffer (shared by concurrent callers). */
  fill(): Promise<void> {
    if (this.eof) return Promise.resolve();
    this.#inflight ??= (async () => {
      const chunk = new Uint8Array(CHUNK);
      try {
        const n = await this.#conn.read(chunk);
        if (n === null) this.eof = true;
        else this.#append(chunk.subarray(0, n));
      } catch {
        this.eof = true;
        this.failed = true;
      } finally {
        this.#inflight = undefined;
      }
    })();
    return this.#inflight;
  }

  #append(bytes: Uint8Array) {
    const joined = new Uint8Array(this.#buf.length + bytes.length);
    joined.set(this.#buf);
    joined.set(bytes, this.#buf.length);
    this.#buf = joined;
  }

  /**
   * The bytes up to and including the first `delim`, or undefined at EOF without one.
   * `max` bounds how much may be buffered while looking (then `tooLong` is thrown).
   */
  async readUntil(
    delim: Uint8Array,
    max: number,
    tooLong: () => Error,
  ): Promise<Uint8Array | undefined> {
    let from = 0;
    for (;;) {
      const at = indexOf(this.#buf, delim, from);
      if (at !== -1 && at + delim.length <= max) return this.take(at + delim.length);
      if (this.#buf.length > max) throw tooLong();
      from = Math.max(0, this.#buf.length - delim.length + 1);
      if (this.eof) return undefined;
      await this.fill();
    }
  }

  /** Up to `max` bytes: what is buffered, else one read's worth; null at EOF. */
  async readSome(max = Infinity): Promise<Uint8Array | null> {
    while (this.#buf.length === 0) {
      if (this.eof) return null;
      await this.fill();
    }
    return this.take(Math.min(max, this.#buf.length));
  }

  /** Take `n` buffered bytes (n ≤ buffered). */
  take(n: number): Uint8Array {
    const out = this.#buf.slice(0, n);
    this.#buf = this.#buf.subarray(n);
    return out;
  }
}

/** The first index of `needle` in `hay` at or after `from`, or -1. */
export function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
