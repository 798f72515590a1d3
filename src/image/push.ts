/**
 * `push`: copy a stored image to a registry (HTTP API v2), an OCI layout directory, or an
 * archive. To a registry, each blob is first looked for (`HEAD`), then mounted from another
 * repository of the same registry that has it, else uploaded (in one `PUT`, or in `PATCH`
 * chunks when larger than the chunk size). An uncompressed layer (from import, commit or a
 * docker-archive) goes as gzip, as podman sends it, and the gzip form is remembered so that
 * the next push finds it without compressing again. The manifest goes last, so a failed push
 * never leaves a tag pointing at missing blobs; it is the stored one byte for byte unless a
 * layer was compressed or `--format` converts it.
 *
 * @module
 */
import { join } from "../path.ts";
import { writeFileAtomically } from "../fs.ts";
import { ImageError, NoSuchImageError, RegistryError, UsageError } from "../errors.ts";
import { blobLocations, gzipForm, recordBlobLocations, recordGzipForm } from "./blob_info.ts";
import { gzipBlob } from "./gzip_blob.ts";
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
  // Converted before anything is sent, so that a format that cannot hold the image fails
  // first.
  const out = convertManifest(bytes, parsed.manifest, format);
  if (target.kind === "registry") {
    return await pushToRegistry(
      ctx,
      found.row,
      parsed.manifest,
      bytes,
      format,
      target.ref,
      opts,
      emit,
    );
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

const GZIP_OF: Record<string, string> = {
  [MEDIA.ociLayer]: MEDIA.ociLayerGzip,
  "application/vnd.docker.image.rootfs.diff.tar": MEDIA.dockerLayerGzip,
};

async function pushToRegistry(
  ctx: ImageCtx,
  row: ImageRow,
  m: ImageManifest,
  bytes: Uint8Array,
  format: ManifestFormat,
  ref: Reference,
  opts: PushOptions,
  emit: (e: PushEvent) => void,
): Promise<PushResult> {
  const s = await openSession(ref.registry, opts);
  const repo = ref.repository;
  const here = `${ref.registry}/${repo}`;
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  try {
    emit({ kind: "report", line: "Getting image source signatures" });
    const sources = mountSources(ctx, row, ref);
    const sent: Descriptor[] = [];
    for (const { d, line } of blobsOf(m)) {
      emit({ kind: "report", line });
      const gz = d !== m.config ? GZIP_OF[d.mediaType] : undefined;
      sent.push(
        gz
          ? await pushGzipped(ctx, s, repo, d, gz, sources, chunkSize, emit)
          : await pushBlob(s, repo, d, blobPath(ctx.paths, d.digest), sources, chunkSize, emit),
      );
    }
    await recordBlobLocations(ctx.paths, here, sent.map((d) => d.digest));
    // The stored manifest as it is, unless layers were compressed on the way.
    const layers = sent.slice(0, -1);
    const same = layers.every((l, i) => l.digest === m.layers[i].digest);
    const final = same ? m : { ...m, layers };
    const out = convertManifest(
      same ? bytes : new TextEncoder().encode(JSON.stringify(final)),
      final,
      format,
    );
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
 * Push uncompressed layer `d` as gzip (`mediaType`): the form pushed before is looked for
 * and mounted first; only when neither works is the layer compressed (again) and uploaded.
 * Returns the descriptor pushed.
 */
async function pushGzipped(
  ctx: ImageCtx,
  s: Session,
  repo: string,
  d: Descriptor,
  mediaType: string,
  sources: (digest: string) => string[],
  chunkSize: number,
  emit: (e: PushEvent) => void,
): Promise<Descriptor> {
  const known = gzipForm(ctx.paths, d.digest);
  let url: string | undefined;
  if (known) {
    const reused = await reuseBlob(s, repo, known.digest, sources(known.digest));
    if (reused === "exists" || reused === "mounted") {
      emit({ kind: "blob", digest: d.digest, size: d.size, done: d.size, outcome: reused });
      return { mediaType, ...known };
    }
    url = reused;
  }
  const gz = await gzipBlob(ctx.paths, d.digest);
  try {
    await recordGzipForm(ctx.paths, d.digest, gz);
    const desc = { mediaType, digest: gz.digest, size: gz.size };
    return await pushBlob(s, repo, desc, gz.path, sources, chunkSize, emit, url);
  } finally {
    await Deno.remove(gz.path).catch(() => {});
  }
}

/**
 * Whether the registry has blob `digest` in `repo` already, or mounts it from one of
 * `from`; else the upload session a refused mount opened (usable for any blob), if any.
 */
async function reuseBlob(
  s: Session,
  repo: string,
  digest: string,
  from: string[],
): Promise<"exists" | "mounted" | string | undefined> {
  if (await blobExists(s, repo, digest)) return "exists";
  if (!from.length) return undefined;
  return await mountBlob(s, repo, from[0], digest);
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

/**
 * Push blob `d` (its bytes in `path`) unless the registry has it or mounts it; `url` is an
 * upload session already open. Returns `d`.
 */
async function pushBlob(
  s: Session,
  repo: string,
  d: Descriptor,
  path: string,
  sources: (digest: string) => string[],
  chunkSize: number,
  emit: (e: PushEvent) => void,
  url?: string,
): Promise<Descriptor> {
  if (url === undefined) {
    const reused = await reuseBlob(s, repo, d.digest, sources(d.digest));
    if (reused === "exists" || reused === "mounted") {
      emit({ kind: "blob", digest: d.digest, size: d.size, done: d.size, outcome: reused });
      return d;
    }
    url = reused;
  }
  url ??= await startUpload(s, repo);
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
  return d;
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
  await writeFileAtomically(
    target.file,
    (f) =>
      target.kind === "docker-archive"
        ? saveDockerArchive(ctx, [source], f)
        : saveOciArchive(ctx, [source], f),
  );
}
