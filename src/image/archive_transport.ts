/**
 * The `docker-archive:PATH[:REFERENCE]` transport of `run`/`create` (podman's, from
 * containers/image): the archive is loaded into the store, and the copy is reported in
 * containers/image's words (`Getting image source signatures`, `Copying blob …`).
 *
 * @module
 */
import { ImageError } from "../errors.ts";
import { loadImages } from "./load.ts";
import { localName } from "./reference.ts";
import type { ImageCtx } from "./store.ts";
import type { ImageRow } from "../store/images.ts";

const PREFIX = "docker-archive:";

/** A `docker-archive:` reference, split as containers/image splits it (at the first `:`). */
export interface ArchiveRef {
  path: string;
  /** The image in the archive to use (default: the only, or first, one). */
  reference?: string;
}

/** `ref` as an archive reference, or undefined for any other reference. */
export function parseArchiveRef(ref: string): ArchiveRef | undefined {
  if (!ref.startsWith(PREFIX)) return undefined;
  const rest = ref.slice(PREFIX.length);
  const colon = rest.indexOf(":");
  return colon === -1
    ? { path: rest }
    : { path: rest.slice(0, colon), reference: rest.slice(colon + 1) };
}

/**
 * Load the archive and return the image it names, with the name it got.
 *
 * @param report receives each line of containers/image's copy report
 * @throws {UsageError} / {ImageError} from `load`, or when the reference is not in the archive
 */
export async function loadArchiveRef(
  ctx: ImageCtx,
  ref: ArchiveRef,
  report: (line: string) => void,
): Promise<{ row: ImageRow; name?: string }> {
  report("Getting image source signatures");
  const loaded = await loadImages(ctx, ref.path);
  const want = ref.reference === undefined ? undefined : localName(ref.reference);
  const hit = want === undefined ? loaded[0] : loaded.find((l) => l.names.includes(want));
  if (!hit) {
    throw new ImageError(
      `${ref.path}: ${want === undefined ? "no image in the archive" : `no image ${want} in it`}`,
    );
  }
  for (const l of hit.row.layers) report(`Copying blob ${l.digest}`);
  report(`Copying config sha256:${hit.row.id}`);
  report("Writing manifest to image destination");
  report("Storing signatures");
  return { row: hit.row, name: want ?? hit.names[0] };
}
