/**
 * Where berth has seen each blob in a registry (`<root>/blob-locations.json`: digest →
 * `registry/repository` list), so that a push to another repository of the same registry
 * can ask for a cross-repository mount instead of uploading the blob again, as
 * containers/image's blob-info cache does.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { withFileLock } from "../file_lock.ts";
import type { ImagePaths } from "./paths.ts";

/** Repositories remembered per blob (the most recent last). */
const MAX_PER_BLOB = 8;

type Locations = Record<string, string[]>;

function file(p: ImagePaths): string {
  return join(dirname(p.imagesDir), "blob-locations.json");
}

function read(p: ImagePaths): Locations {
  try {
    const doc = JSON.parse(Deno.readTextFileSync(file(p)));
    return doc && typeof doc === "object" && !Array.isArray(doc) ? doc : {};
  } catch {
    return {}; // none yet, or unreadable: it is only a hint
  }
}

/** The repositories (`registry/repo`) blob `digest` was seen in. */
export function blobLocations(p: ImagePaths, digest: string): string[] {
  const l = read(p)[digest];
  return Array.isArray(l) ? l.filter((x) => typeof x === "string") : [];
}

/** Remember that the blobs `digests` are in `registry/repo`. */
export async function recordBlobLocations(
  p: ImagePaths,
  location: string,
  digests: string[],
): Promise<void> {
  await withFileLock(join(p.locksDir, "blob-locations.lock"), () => {
    const all = read(p);
    for (const d of digests) {
      const list = (all[d] ?? []).filter((x) => x !== location);
      list.push(location);
      all[d] = list.slice(-MAX_PER_BLOB);
    }
    const tmp = `${file(p)}.tmp-${Deno.pid}`;
    Deno.writeTextFileSync(tmp, JSON.stringify(all));
    Deno.renameSync(tmp, file(p));
  });
}
