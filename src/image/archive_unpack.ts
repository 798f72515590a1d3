/**
 * Unpacking an image archive (oci-archive, docker-archive, possibly compressed) into a
 * private temporary directory: regular files and directories only, names cleaned;
 * symlinks inside the archive (docker-archive's legacy `<id>/layer.tar`) are remembered,
 * not created, and resolved within the archive on request.
 *
 * @module
 */
import { ImageError } from "../errors.ts";
import { dirname, join } from "../path.ts";
import { decompress } from "../archive/decompress.ts";
import { cleanEntryPath } from "../archive/entry_path.ts";
import { readTar } from "../archive/tar_reader.ts";
import { writeAll } from "../io.ts";

/**
 * Entries an image archive may have: it holds a few files per image (blobs, manifests),
 * and each entry costs memory here, so a stream of tiny entries must end.
 */
export const MAX_ARCHIVE_ENTRIES = 100_000;

/** An unpacked archive. */
export interface UnpackedArchive {
  dir: string;
  /** Resolve an archive path (following in-archive symlinks) to a file in `dir`. */
  file(path: string): string;
  /** True if the archive holds this path (file or symlink). */
  has(path: string): boolean;
}

/**
 * Unpack `source` into the empty directory `dir`.
 *
 * @throws {ImageError} on a corrupt archive
 */
export async function unpackArchive(
  source: AsyncIterable<Uint8Array>,
  dir: string,
): Promise<UnpackedArchive> {
  const links = new Map<string, string>();
  const files = new Set<string>();
  let count = 0;
  for await (const e of readTar(decompress(source))) {
    if (++count > MAX_ARCHIVE_ENTRIES) {
      throw new ImageError(`image archive has more than ${MAX_ARCHIVE_ENTRIES} entries`);
    }
    const parts = cleanEntryPath(e.header.name);
    if (parts.length === 0) continue;
    const rel = parts.join("/");
    const abs = join(dir, ...parts);
    if (e.header.type === "dir") {
      Deno.mkdirSync(abs, { recursive: true });
    } else if (e.header.type === "file") {
      Deno.mkdirSync(dirname(abs), { recursive: true });
      await Deno.remove(abs).catch(() => {});
      const f = await Deno.open(abs, { createNew: true, write: true, mode: 0o600 });
      try {
        for await (const chunk of e.body()) {
          await writeAll(f, chunk);
        }
      } finally {
        f.close();
      }
      files.add(rel);
      links.delete(rel);
    } else if (e.header.type === "symlink" || e.header.type === "hardlink") {
      const target = e.header.type === "hardlink"
        ? e.header.linkname
        : join(dirname(rel), e.header.linkname);
      links.set(rel, cleanEntryPath(target).join("/"));
    }
  }
  const resolve = (path: string): string | undefined => {
    let rel = cleanEntryPath(path).join("/");
    for (let hops = 0; hops < 16; hops++) {
      if (files.has(rel)) return rel;
      const next = links.get(rel);
      if (next === undefined) return undefined;
      rel = next;
    }
    return undefined;
  };
  return {
    dir,
    has: (path) => resolve(path) !== undefined,
    file: (path) => {
      const rel = resolve(path);
      if (rel === undefined) throw new ImageError(`archive has no file ${path}`);
      return join(dir, rel);
    },
  };
}
