/**
 * The upload half of the registry HTTP API v2, on a {@linkcode Session}: does a blob exist
 * (`HEAD`), mount it from another repository of the same registry, upload it in one `PUT`
 * or in `PATCH` chunks closed by a `PUT` with its digest, and put a manifest.
 *
 * @module
 */
import { RegistryError } from "../errors.ts";
import { registryFetch, responseError, type Session } from "./registry.ts";

/** The token scope of a push to `repo` (a mount adds pull on the source repository). */
export function pushScope(repo: string, from?: string): string {
  return `repository:${repo}:pull,push` + (from ? ` repository:${from}:pull` : "");
}

/**
 * Whether blob `digest` is in `repo` (`HEAD`, 200 or 404).
 *
 * @throws {RegistryError} on any other answer
 */
export async function blobExists(s: Session, repo: string, digest: string): Promise<boolean> {
  const r = await registryFetch(s, `/v2/${repo}/blobs/${digest}`, pushScope(repo), {
    method: "HEAD",
  });
  await r.body?.cancel();
  if (r.ok) return true;
  if (r.status === 404) return false;
  throw await responseError(r, `checking blob ${digest} in ${s.registry}/${repo}`);
}

/** An upload session's URL (the registry's `Location`). */
export type UploadUrl = string;

async function uploadLocation(s: Session, r: Response, what: string): Promise<UploadUrl> {
  const location = r.headers.get("location");
  await r.body?.cancel();
  if (!location) throw new RegistryError(`${what}: ${s.registry} sent no upload location`);
  return location;
}

/**
 * Ask the registry to mount blob `digest` from repository `from` into `repo`. Returns
 * `"mounted"`, or the URL of the upload session the registry opened instead (201 or 202).
 *
 * @throws {RegistryError} when it refuses
 */
export async function mountBlob(
  s: Session,
  repo: string,
  from: string,
  digest: string,
): Promise<"mounted" | UploadUrl> {
  const q = new URLSearchParams({ mount: digest, from });
  const what = `mounting blob ${digest} from ${from} into ${s.registry}/${repo}`;
  const r = await registryFetch(s, `/v2/${repo}/blobs/uploads/?${q}`, pushScope(repo, from), {
    method: "POST",
  });
  if (r.status === 201) {
    await r.body?.cancel();
    return "mounted";
  }
  if (r.status === 202) return await uploadLocation(s, r, what);
  throw await responseError(r, what);
}

/**
 * Open an upload session in `repo`.
 *
 * @throws {RegistryError} when the registry refuses
 */
export async function startUpload(s: Session, repo: string): Promise<UploadUrl> {
  const what = `starting an upload to ${s.registry}/${repo}`;
  const r = await registryFetch(s, `/v2/${repo}/blobs/uploads/`, pushScope(repo), {
    method: "POST",
  });
  if (r.status !== 202) throw await responseError(r, what);
  return await uploadLocation(s, r, what);
}

function withDigest(s: Session, url: UploadUrl, digest: string): string {
  // Location may be relative to the registry (and is checked to stay on it when sent).
  const u = new URL(url, s.base);
  u.searchParams.set("digest", digest);
  return u.href;
}

const OCTETS = { "Content-Type": "application/octet-stream" };

/**
 * Send a blob in one `PUT` to an upload session.
 *
 * @throws {RegistryError} when the registry refuses (e.g. a digest mismatch)
 */
export async function putBlob(
  s: Session,
  repo: string,
  url: UploadUrl,
  digest: string,
  data: Uint8Array,
): Promise<void> {
  const r = await registryFetch(s, withDigest(s, url, digest), pushScope(repo), {
    method: "PUT",
    headers: { ...OCTETS, "Content-Length": String(data.length) },
    body: () => data.slice(),
  });
  await r.body?.cancel();
  if (r.status !== 201) throw await responseError(r, `uploading blob ${digest}`);
}

/**
 * Send a blob in `PATCH` chunks (each with its `Content-Range`), then close the session
 * with a `PUT` carrying the digest. `chunks` yields the blob's bytes in order.
 *
 * @throws {RegistryError} when the registry refuses a chunk or the digest
 */
export async function putBlobChunked(
  s: Session,
  repo: string,
  start: UploadUrl,
  digest: string,
  chunks: AsyncIterable<Uint8Array>,
  progress?: (done: number) => void,
): Promise<void> {
  let url = start;
  let offset = 0;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    const end = offset + chunk.length - 1;
    const r = await registryFetch(s, url, pushScope(repo), {
      method: "PATCH",
      headers: {
        ...OCTETS,
        "Content-Length": String(chunk.length),
        "Content-Range": `${offset}-${end}`,
      },
      body: () => chunk.slice(),
    });
    if (r.status !== 202) throw await responseError(r, `uploading blob ${digest} at ${offset}`);
    url = await uploadLocation(s, r, `uploading blob ${digest}`);
    offset = end + 1;
    progress?.(offset);
  }
  const r = await registryFetch(s, withDigest(s, url, digest), pushScope(repo), {
    method: "PUT",
    headers: { "Content-Length": "0" },
  });
  await r.body?.cancel();
  if (r.status !== 201) throw await responseError(r, `closing the upload of blob ${digest}`);
}

/**
 * Put a manifest (or index) under `reference` (a tag or its digest). Returns the digest the
 * registry reports.
 *
 * @throws {RegistryError} when the registry refuses it
 */
export async function putManifest(
  s: Session,
  repo: string,
  reference: string,
  bytes: Uint8Array,
  mediaType: string,
): Promise<string | undefined> {
  const r = await registryFetch(s, `/v2/${repo}/manifests/${reference}`, pushScope(repo), {
    method: "PUT",
    headers: { "Content-Type": mediaType },
    body: () => bytes.slice(),
  });
  if (r.status !== 201 && r.status !== 200) {
    throw await responseError(r, `writing manifest ${reference} to ${s.registry}/${repo}`);
  }
  await r.body?.cancel();
  return r.headers.get("docker-content-digest") ?? undefined;
}
