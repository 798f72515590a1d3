/**
 * Docker's multiplexed stream framing (attach, exec and logs without a TTY): each frame is an
 * 8-byte header (the stream id, three zero bytes, the payload length as a big-endian u32)
 * followed by the payload.
 *
 * @module
 */

/** Docker's stream ids: 0 stdin, 1 stdout, 2 stderr, 3 a system error (the client stops). */
export type StreamId = 0 | 1 | 2 | 3;

/** Docker's id of a log stream name. */
export function streamId(stream: "stdin" | "stdout" | "stderr"): StreamId {
  return stream === "stdin" ? 0 : stream === "stdout" ? 1 : 2;
}

/** One frame: the 8-byte header and `payload`, in one buffer (written with one write). */
export function frame(stream: StreamId, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  out[0] = stream;
  new DataView(out.buffer).setUint32(4, payload.length, false);
  out.set(payload, 8);
  return out;
}

/** Split a multiplexed byte stream back into frames (for tests and clients); pure. */
export function parseFrames(
  buf: Uint8Array,
): { frames: { stream: number; payload: Uint8Array }[]; rest: Uint8Array } {
  const frames: { stream: number; payload: Uint8Array }[] = [];
  let pos = 0;
  while (buf.length - pos >= 8) {
    const len = new DataView(buf.buffer, buf.byteOffset + pos + 4, 4).getUint32(0, false);
    if (buf.length - pos - 8 < len) break;
    frames.push({ stream: buf[pos], payload: buf.slice(pos + 8, pos + 8 + len) });
    pos += 8 + len;
  }
  return { frames, rest: buf.slice(pos) };
}
