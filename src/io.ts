/**
 * Writing to streams and files that may take fewer bytes than offered, and joining bytes.
 *
 * @module
 */

/** Anything with Deno's `write` (files, stdout, stderr, archive sinks). */
export interface Writer {
  write(p: Uint8Array): Promise<number>;
}

/** Write every byte of `data` to `w`. */
export async function writeAll(w: Writer, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await w.write(data.subarray(off));
}

/** The bytes of `parts`, one after another, in one new array. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
