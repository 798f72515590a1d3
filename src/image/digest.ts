/**
 * Content digests (`sha256:<hex>`): validation, hashing of bytes and of streams in passing.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";

/** A validated `sha256:<64 hex>` digest. */
export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/** True if `s` is a well-formed sha256 digest. */
export function isDigest(s: string): s is Digest {
  return DIGEST_RE.test(s);
}

/** The hex part of a digest. */
export function digestHex(d: string): string {
  return d.slice(d.indexOf(":") + 1);
}

/** sha256 of bytes (or UTF-8 text), as a digest. */
export function sha256(data: Uint8Array | string): Digest {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** A running sha256 that also counts bytes. */
export interface Hasher {
  hash: Hash;
  bytes: number;
  /** The digest of everything seen (call once, at the end). */
  digest(): Digest;
}

/** A new {@linkcode Hasher}. */
export function hasher(): Hasher {
  const hash = createHash("sha256");
  const h: Hasher = {
    hash,
    bytes: 0,
    digest: () => `sha256:${hash.digest("hex")}`,
  };
  return h;
}

/** Pass `source` through unchanged, feeding every chunk to `h`. */
export async function* hashing(
  source: AsyncIterable<Uint8Array>,
  h: Hasher,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    h.hash.update(chunk);
    h.bytes += chunk.length;
    yield chunk;
  }
}
