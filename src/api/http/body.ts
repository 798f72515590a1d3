/**
 * A request body as a stream over the connection's reader: exactly Content-Length bytes, or
 * chunked transfer coding decoded; it never reads past its end, so the next pipelined request
 * stays in the buffer.
 *
 * @module
 */
import { ConnReader } from "./conn_reader.ts";
import type { BodyFraming } from "./head.ts";
import { BadRequestError, BodyTooLargeError } from "../../errors.ts";
import { concat } from "../../io.ts";

const CRLF = new Uint8Array([13, 10]);
const dec = new TextDecoder();
/** A chunk-size line (with extensions) longer than this is refused. */
const MAX_CHUNK_LINE = 4096;

/** A body stream and a promise that settles when it has been read to its end. */
export interface BodyReader {
  stream: ReadableStream<Uint8Array>;
  /** True once every byte of the body was taken from the connection. */
  finished(): boolean;
}

/** The body of one request, framed by `framing`, read from `reader`. */
export function bodyReader(reader: ConnReader, framing: BodyFraming): BodyReader {
  let done = framing.kind === "none";
  let remaining = framing.kind === "length" ? framing.length : 0;
  let chunkLeft = 0; // bytes left in the current chunk (chunked)
  const next = async (): Promise<Uint8Array | null> => {
    if (done) return null;
    if (framing.kind === "length") {
      const got = await reader.readSome(Math.min(remaining, 64 * 1024));
      if (got === null) throw new BadRequestError("the body ended early");
      remaining -= got.length;
      if (remaining === 0) done = true;
      return got;
    }
    if (chunkLeft === 0) {
      const line = await reader.readUntil(
        CRLF,
        MAX_CHUNK_LINE,
        () => new BadRequestError("chunk size line too long"),
      );
      if (!line) throw new BadRequestError("the body ended early");
      const sizeText = dec.decode(line).split(";")[0].trim();
      if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new BadRequestError("bad chunk size");
      const size = parseInt(sizeText, 16);
      if (size === 0) {
        // Trailers, up to the blank line.
        for (;;) {
          const t = await reader.readUntil(
            CRLF,
            MAX_CHUNK_LINE,
            () => new BadRequestError("trailer"),
          );
          if (!t) throw new BadRequestError("the body ended early");
          if (t.length === 2) break;
        }
        done = true;
        return null;
      }
      chunkLeft = size;
    }
    const got = await reader.readSome(chunkLeft);
    if (got === null) throw new BadRequestError("the body ended early");
    chunkLeft -= got.length;
    if (chunkLeft === 0) {
      const end = await reader.readUntil(CRLF, 2, () => new BadRequestError("bad chunk end"));
      if (!end || end.length !== 2) throw new BadRequestError("bad chunk end");
    }
    return got;
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const chunk = await next();
          if (chunk === null) {
            controller.close();
            return;
          }
          if (chunk.length) {
            controller.enqueue(chunk);
            return;
          }
        }
      } catch (err) {
        controller.error(err);
      }
    },
  }, { highWaterMark: 0 });
  return { stream, finished: () => done };
}

/**
 * Read all of `stream`, at most `max` bytes.
 *
 * @throws {BadRequestError} (413) when it is longer
 */
export async function readAllBounded(
  stream: ReadableStream<Uint8Array>,
  max: number,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > max) throw new BodyTooLargeError(`request body larger than ${max} bytes`);
    parts.push(chunk);
  }
  return concat(parts);
}
