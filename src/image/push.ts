/**
 * `push`: copy a stored image to a registry (HTTP API v2), an OCI layout directory, or an
 * archive. To a registry, each blob is first looked for (`HEAD`), then mounted from another
 * repository of the same registry that has it, else uploaded (in one `PUT`, or in `PATCH`
 * chunks when larger than the chunk size); the manifest goes last, so a failed push never
 * leaves a tag pointing at missing blobs.
 *
 * @module
 */
import { join } from "node:path";
import { ImageError, NoSuchImageError, RegistryError, UsageError } from "../errors.ts";
import { blobLocations, recordBlobLocations } from "./blob_locations.ts";
import { sha256 } from "./digest.ts";
import { type Descriptor, type ImageManifest, MEDIA, parseManifest } from "./manifest.ts";
import { convertManifest, formatOf, type ManifestFormat } from "./manifest_convert.ts";
import { blobPath } from "./paths.ts";
import { parseDestination, type PushDestination } from "./push_dest.ts";
import { formatReference, parseReference, type Reference } from "./reference.ts";
import { closeSession, openSession, type RegistryOptions, type Session } from "./registry.ts";
import { saveDockerArchive, saveOciArchive } from "./save.ts";
import { type ImageCtx, lookupImage } from "./store.ts";
import { imageNames, type ImageRow } from "../store/images.ts";
import {
  blobExists,
  mountBlob,
  putBlob,
  putBlobChunked,
  putManifest,
  startUpload,
} from "./upload.ts";

/** Progress of a push: containers/image's report lines, and bytes sent per blob. */
export type PushEvent =
  | { kind: "report"; line: string }
  | {
    kind: "blob";
    digest: string;
    size: number;
    done: number;
    /** How a finished blob got there without an upload. */
    outcome?: "exists" | "mounted";
  };

/** Blobs larger than this go in chunks of this size (PATCH), smaller ones in one PUT. */
export const DEFAULT_CHUNK_SIZE = 32 << 20;

/** Options of {@linkcode pushImage}. */
export interface PushOptions extends RegistryOptions {
  /** The manifest format to write; by default the stored one (so its digest is kept). */
  format?: ManifestFormat;
  /** See {@linkcode DEFAULT_CHUNK_SIZE}. */
  chunkSize?: number;
  onEvent?: (e: PushEvent) => void;
}

/** What a push wrote. */
export interface PushResult {
  /** The digest of the manifest written. */
  digest: string;
  destination: string;
}

/**
 * Where `push IMAGE [DEST]` goes: `dest` parsed, or without it the name `source` was found
 * by (so `push app` pushes to `localhost/app:latest`, its stored name).
 *
 * @throws {NoSuchImageError} when `source` is not stored
 * @throws {UsageError} on a malformed destination, or none for an image given by ID
 */
export function pushDestination(ctx: ImageCtx, source: string, dest?: string): PushDestination {
  const found = lookupImage(ctx, source);
  if (!found) throw new NoSuchImageError(source);
  if (dest === undefined && found.name === undefined) {
    // Found by ID: the ID names no registry, and must not become docker.io/library/<ID>.
    throw new UsageError(`${source} is an image ID: push it to a DESTINATION`);
  }
  return parseDestination(dest ?? found.name!);
}

/**
 * Push stored image `source` to `target` (see {@linkcode pushDestination}).
 *
 * @throws {NoSuchImageError} when `source` is not stored
 * @throws {UsageError} on a malformed destination
 * @throws {RegistryError} when the registry cannot be reached or refuses
 */
export async function pushImage(
  ctx: ImageCtx,
  source: string,
  target: PushDestination,
  opts: PushOptions,
): Promise<PushResult> {
  const found = lookupImage(ctx, source);
  if (!found) throw new NoSuchImageError(source);
  const bytes = new TextEncoder().encode(found.row.manifest);
  const parsed = parseManifest(bytes);
  if (parsed.kind !== "manifest") throw new ImageError(`${source}: not an image manifest`);
  const emit = opts.onEvent ?? (() => {});
  const format = opts.format ??
    (target.kind === "oci" || target.kind === "oci-archive" ? "oci" : formatOf(parsed.manifest));
  const out = convertManifest(bytes, parsed.manifest, format);
  if (target.kind === "registry") {
    return await pushToRegistry(ctx, found.row, parsed.manifest, out, target.ref, opts, emit);
  }
  if (opts.format && target.kind !== "oci") {
    throw new UsageError("--format applies only to a registry or oci: destination");
  }
  emit({ kind: "report", line: "Getting image source signatures" });
  if (target.kind === "oci") {
    writeOciLayout(ctx, parsed.manifest, out, target, emit);
    emit({ kind: "report", line: "Writing manifest to image destination" });
    emit({ kind: "report", line: "Storing signatures" });
    return { digest: sha256(out.bytes), destination: `oci:${target.dir}` };
  }
  for (const { line } of blobsOf(parsed.manifest)) emit({ kind: "report", line });
  await writeArchive(ctx, source, target);
  emit({ kind: "report", line: "Writing manifest to image destination" });
  emit({ kind: "report", line: "Storing signatures" });
  return { digest: found.row.digest, destination: `${target.kind}:${target.file}` };
}

/** The blobs of `m` in the order containers/image copies them: layers, then the config. */
function blobsOf(m: ImageManifest): { d: Descriptor; line: string }[] {
  return [
    ...m.layers.map((d) => ({ d, line: `Copying blob ${d.digest}` })),
    { d: m.config, line: `Copying config ${m.config.digest}` },
  ];
}

async function pushToRegistry(
  ctx: ImageCtx,
  row: ImageRow,
  m: ImageManifest,
  out: { bytes: Uint8Array; mediaType: string },
  ref: Reference,
  opts: PushOptions,
  emit: (e: PushEvent) => void,
): Promise<PushResult> {
  const s = await openSession(ref.registry, opts);
  const repo = ref.repository;
  const here = `${ref.registry}/${repo}`;
  try {
    emit({ kind: "report", line: "Getting image source signatures" });
    const sources = mountSources(ctx, row, ref);
    for (const { d, line } of blobsOf(m)) {
      emit({ kind: "report", line });
      await pushBlob(
        ctx,
        s,
        repo,
        d,
        sources(d.digest),
        opts.chunkSize ?? DEFAULT_CHUNK_SIZE,
        emit,
      );
    }
    await recordBlobLocations(ctx.paths, here, blobsOf(m).map(({ d }) => d.digest));
    emit({ kind: "report", line: "Writing manifest to image destination" });
    const digest = sha256(out.bytes);
    if (ref.digest && ref.digest !== digest) {
      throw new UsageError(
        `cannot push to ${formatReference(ref)}: the manifest's digest is ${digest}`,
      );
    }
    const said = await putManifest(
      s,
      repo,
      ref.digest ?? ref.tag ?? "latest",
      out.bytes,
      out.mediaType,
    );
    if (said && said !== digest) {
      throw new RegistryError(
        `registry ${ref.registry} stored the manifest as ${said}, not ${digest}`,
      );
    }
    emit({ kind: "report", line: "Storing signatures" });
    return { digest, destination: formatReference(ref) };
  } catch (err) {
    if (err instanceof TypeError) {
      throw new RegistryError(`pushing to ${formatReference(ref)}: ${err.message}`);
    }
    throw err;
  } finally {
    closeSession(s);
  }
}

/**
 * The other repositories of the destination registry that may have a blob: where berth
 * pushed it before, and the image's own names on that registry.
 */
function mountSources(ctx: ImageCtx, row: ImageRow, dest: Reference): (digest: string) => string[] {
  const named = imageNames(ctx.store, row.id).flatMap((n) => {
    try {
      const r = parseReference(n);
      return r.registry === dest.registry ? [r.repository] : [];
    } catch {
      return [];
    }
  });
  const prefix = `${dest.registry}/`;
  return (digest) => {
    const seen = blobLocations(ctx.paths, digest)
      .filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length)).reverse();
    return [...new Set([...seen, ...named])].filter((r) => r !== dest.repository);
  };
}

async function pushBlob(
  ctx: ImageCtx,
  s: Session,
  repo: string,
  d: Descriptor,
  from: string[],
  chunkSize: number,
  emit: (e: PushEvent) => void,
): Promise<void> {
  const done = (outcome?: "exists" | "mounted") =>
    emit({ kind: "blob", digest: d.digest, size: d.size, done: d.size, outcome });
  if (await blobExists(s, repo, d.digest)) return done("exists");
  let url: string | undefined;
  if (from.length) {
    const mounted = await mountBlob(s, repo, from[0], d.digest);
    if (mounted === "mounted") return done("mounted");
    url = mounted;
  }
  url ??= await startUpload(s, repo);
  const path = blobPath(ctx.paths, d.digest);
  let size: number;
  try {
    size = Deno.statSync(path).size;
  } catch {
    throw new ImageError(`blob ${d.digest} is missing from the image store`);
  }
  if (size !== d.size) {
    throw new ImageError(`blob ${d.digest} has ${size} bytes, expected ${d.size}`);
  }
  const progress = (n: number) => emit({ kind: "blob", digest: d.digest, size: d.size, done: n });
  if (size <= chunkSize) {
    await putBlob(s, repo, url, d.digest, Deno.readFileSync(path));
    progress(size);
  } else {
    await putBlobChunked(s, repo, url, d.digest, fileSlices(path, chunkSize), progress);
  }
}

/** The file at `path` in slices of `size` bytes (the last one shorter). */
async function* fileSlices(path: string, size: number): AsyncGenerator<Uint8Array> {
  const f = await Deno.open(path);
  try {
    for (;;) {
      const buf = new Uint8Array(size);
      let filled = 0;
      while (filled < size) {
        const n = await f.read(buf.subarray(filled));
        if (n === null) break;
        filled += n;
      }
      if (filled === 0) return;
      yield buf.subarray(0, filled);
      if (filled < size) return;
    }
  } finally {
    f.close();
  }
}

/**
 * Write the image into the OCI layout at `target.dir` (made if missing), adding it to
 * `index.json` under its tag (replacing an image of that tag).
 */
function writeOciLayout(
  ctx: ImageCtx,
  m: ImageManifest,
  out: { bytes: Uint8Array; mediaType: string },
  target: Extract<PushDestination, { kind: "oci" }>,
  emit: (e: PushEvent) => void,
): void {
  const blobs = join(target.dir, "blobs", "sha256");
  Deno.mkdirSync(blobs, { recursive: true });
  Deno.writeTextFileSync(join(target.dir, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
  const copy = (d: Descriptor) => {
    const to = join(blobs, d.digest.slice(7));
    try {
      if (Deno.statSync(to).size === d.size) return;
    } catch { /* not there yet */ }
    const tmp = `${to}.tmp-${Deno.pid}`;
    Deno.copyFileSync(blobPath(ctx.paths, d.digest), tmp);
    Deno.renameSync(tmp, to);
  };
  for (const { d, line } of blobsOf(m)) {
    emit({ kind: "report", line });
    copy(d);
  }
  const digest = sha256(out.bytes);
  const mtmp = join(blobs, `${digest.slice(7)}.tmp-${Deno.pid}`);
  Deno.writeFileSync(mtmp, out.bytes);
  Deno.renameSync(mtmp, join(blobs, digest.slice(7)));
  const indexPath = join(target.dir, "index.json");
  let manifests: Descriptor[] = [];
  try {
    manifests = JSON.parse(Deno.readTextFileSync(indexPath)).manifests ?? [];
  } catch { /* a new layout */ }
  const REF = "org.opencontainers.image.ref.name";
  manifests = manifests.filter((d) => !target.tag || d.annotations?.[REF] !== target.tag);
  manifests.push({
    mediaType: out.mediaType,
    digest,
    size: out.bytes.length,
    ...(target.tag ? { annotations: { [REF]: target.tag } } : {}),
  });
  const tmp = `${indexPath}.tmp-${Deno.pid}`;
  Deno.writeTextFileSync(
    tmp,
    JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests }),
  );
  Deno.renameSync(tmp, indexPath);
}

/** Write the image as an archive file, through `save` (a temporary file renamed into place). */
async function writeArchive(
  ctx: ImageCtx,
  source: string,
  target: Extract<PushDestination, { kind: "docker-archive" | "oci-archive" }>,
): Promise<void> {
  const tmp = `${target.file}.tmp-${Deno.pid}`;
  const f = await Deno.open(tmp, { create: true, truncate: true, write: true });
  try {
    if (target.kind === "docker-archive") await saveDockerArchive(ctx, [source], f);
    else await saveOciArchive(ctx, [source], f);
    f.close();
    await Deno.rename(tmp, target.file);
  } catch (err) {
    try {
      f.close();
    } catch { /* closed */ }
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
}
