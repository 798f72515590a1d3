/**
 * `pull`: fetch an image from a registry (HTTP API v2) into the store. The manifest (after
 * choosing a platform from an index) and every blob are checked against their digests;
 * blobs already stored are not downloaded again, and concurrent pulls of the same blob wait
 * for each other instead of downloading twice.
 *
 * @module
 */
import { ImageError, RegistryError } from "../errors.ts";
import type { ImageRow } from "../store/images.ts";
import { ensureBlob, putBlobBytes } from "./blobs.ts";
import { isDigest, sha256 } from "./digest.ts";
import {
  type Descriptor,
  hostPlatform,
  MANIFEST_ACCEPT,
  MAX_MANIFEST_SIZE,
  parseManifest,
  type Platform,
  selectPlatform,
} from "./manifest.ts";
import { formatReference, parseReference, storedName } from "./reference.ts";
import {
  closeSession,
  openSession,
  readLimited,
  registryFetch,
  type RegistryOptions,
  responseError,
  type Session,
} from "./registry.ts";
import { commitImage, type ImageCtx, withGcLock } from "./store.ts";

/** Progress events of a pull (for a terminal display). */
export type PullEvent =
  | { kind: "resolved"; ref: string; digest: string }
  | { kind: "blob"; digest: string; size: number; done: number; skipped?: boolean }
  | { kind: "extract"; diffId: string; phase: "start" | "done" }
  /** A line of containers/image's copy report (`docker-archive:`), shown even off a terminal. */
  | { kind: "report"; line: string };

/** Options of {@linkcode pullImage}. */
export interface PullOptions extends RegistryOptions {
  platform?: Platform;
  onEvent?: (e: PullEvent) => void;
}

async function getManifest(
  s: Session,
  repo: string,
  reference: string,
  scope: string,
): Promise<{ bytes: Uint8Array; contentType: string; digest: string }> {
  const r = await registryFetch(s, `/v2/${repo}/manifests/${reference}`, scope, {
    accept: MANIFEST_ACCEPT,
  });
  if (!r.ok) {
    throw await responseError(r, `reading manifest ${reference} in ${s.registry}/${repo}`);
  }
  const bytes = await readLimited(
    r,
    MAX_MANIFEST_SIZE,
    `reading manifest ${reference} in ${s.registry}/${repo}`,
  );
  const digest = sha256(bytes);
  const expected = isDigest(reference) ? reference : r.headers.get("docker-content-digest");
  if (expected && expected !== digest) {
    throw new ImageError(
      `manifest ${reference}: content has digest ${digest}, expected ${expected}`,
    );
  }
  return { bytes, contentType: r.headers.get("content-type") ?? "", digest };
}

async function fetchBlob(
  s: Session,
  repo: string,
  scope: string,
  d: Descriptor,
): Promise<AsyncIterable<Uint8Array>> {
  const r = await registryFetch(s, `/v2/${repo}/blobs/${d.digest}`, scope);
  if (!r.ok || !r.body) throw await responseError(r, `fetching blob ${d.digest}`);
  return r.body;
}

/**
 * Pull `refText` into the store and return the stored image.
 *
 * @throws {UsageError} on a malformed reference
 * @throws {RegistryError} when the registry cannot be reached or refuses
 * @throws {ImageError} on a digest mismatch or an invalid image
 */
export async function pullImage(
  ctx: ImageCtx,
  refText: string,
  opts: PullOptions,
): Promise<ImageRow> {
  const ref = parseReference(refText);
  const emit = opts.onEvent ?? (() => {});
  const s = await openSession(ref.registry, opts);
  try {
    return await withGcLock(ctx, false, async () => {
      const repo = ref.repository;
      const scope = `repository:${repo}:pull`;
      const top = await getManifest(s, repo, ref.digest ?? ref.tag!, scope);
      let parsed = parseManifest(top.bytes, top.contentType);
      let manifestBytes = top.bytes;
      if (parsed.kind === "index") {
        const pick = selectPlatform(parsed.index, opts.platform ?? hostPlatform());
        const m = await getManifest(s, repo, pick.digest, scope);
        parsed = parseManifest(m.bytes, m.contentType);
        if (parsed.kind !== "manifest") {
          throw new ImageError(`${pick.digest}: an index inside an index is not supported`);
        }
        manifestBytes = m.bytes;
      }
      emit({ kind: "resolved", ref: formatReference(ref), digest: sha256(manifestBytes) });
      const m = parsed.manifest;
      await putBlobBytes(ctx.paths, manifestBytes);
      const blobs = [m.config, ...m.layers];
      let next = 0;
      const worker = async () => {
        while (next < blobs.length) {
          const d = blobs[next++];
          // ensureBlob checks for the blob first (and again under its lock).
          const wrote = await ensureBlob(
            ctx.paths,
            d.digest,
            d.size,
            () => fetchBlob(s, repo, scope, d),
            (done) => emit({ kind: "blob", digest: d.digest, size: d.size, done }),
          );
          if (!wrote) {
            emit({ kind: "blob", digest: d.digest, size: d.size, done: d.size, skipped: true });
          }
        }
      };
      await Promise.all([worker(), worker(), worker()]);
      return await commitImage(
        ctx,
        manifestBytes,
        [storedName(ref)],
        (_i, diffId, phase) => emit({ kind: "extract", diffId, phase }),
      );
    });
  } catch (err) {
    if (err instanceof TypeError) throw new RegistryError(`pulling ${refText}: ${err.message}`);
    throw err;
  } finally {
    closeSession(s);
  }
}
