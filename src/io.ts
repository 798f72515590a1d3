/**
 * Writing to streams and files that may take fewer bytes than offered.
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
