/**
 * What berth learnt about blobs while pushing (`<root>/blob-info.json`), as containers/image's
 * blob-info cache records it: the registry repositories (`registry/repository`) each blob
 * was seen in, so that a push to another repository of the same registry can ask for a
 * cross-repository mount instead of uploading the blob again; and the gzip form an
 * uncompressed layer was pushed as, so that a second push finds it with one `HEAD` instead
 * of compressing the layer again. It is only a hint: a wrong or lost entry costs an upload.
 *
 * @module
 */
import { dirname, join } from "../path.ts";
import { withFileLock } from "../file_lock.ts";
import type { ImagePaths } from "./paths.ts";

/** Repositories remembered per blob (the most recent last). */
const MAX_PER_BLOB = 8;

/** A blob's digest and size. */
export interface BlobRef {
  digest: string;
  size: number;
}

interface BlobInfo {
  locations: Record<string, string[]>;
  gzip: Record<string, BlobRef>;
}

function file(p: ImagePaths): string {
  return join(dirname(p.imagesDir), "blob-info.json");
}

function read(p: ImagePaths): BlobInfo {
  try {
    const doc = JSON.parse(Deno.readTextFileSync(file(p)));
    return {
      locations: typeof doc?.locations === "object" && doc.locations ? doc.locations : {},
      gzip: typeof doc?.gzip === "object" && doc.gzip ? doc.gzip : {},
    };
  } catch {
    return { locations: {}, gzip: {} }; // none yet, or unreadable
  }
}

async function update(p: ImagePaths, change: (info: BlobInfo) => void): Promise<void> {
  await withFileLock(join(p.locksDir, "blob-info.lock"), () => {
    const info = read(p);
    change(info);
    const tmp = `${file(p)}.tmp-${Deno.pid}`;
    Deno.writeTextFileSync(tmp, JSON.stringify(info));
    Deno.renameSync(tmp, file(p));
  });
}

/** The repositories (`registry/repo`) blob `digest` was seen in, oldest first. */
export function blobLocations(p: ImagePaths, digest: string): string[] {
  const l = read(p).locations[digest];
  return Array.isArray(l) ? l.filter((x) => typeof x === "string") : [];
}

/** Remember that the blobs `digests` are in `registry/repo`. */
export async function recordBlobLocations(
  p: ImagePaths,
  location: string,
  digests: string[],
): Promise<void> {
  await update(p, (info) => {
    for (const d of digests) {
      const list = (info.locations[d] ?? []).filter((x) => x !== location);
      list.push(location);
      info.locations[d] = list.slice(-MAX_PER_BLOB);
    }
  });
}

/** The gzip form uncompressed blob `digest` was pushed as, if berth made one. */
export function gzipForm(p: ImagePaths, digest: string): BlobRef | undefined {
  const g = read(p).gzip[digest];
  return typeof g?.digest === "string" && Number.isSafeInteger(g.size) ? g : undefined;
}

/** Remember `gzip` as the gzip form of uncompressed blob `digest`. */
export async function recordGzipForm(p: ImagePaths, digest: string, gzip: BlobRef): Promise<void> {
  await update(p, (info) => {
    info.gzip[digest] = { digest: gzip.digest, size: gzip.size };
  });
}
