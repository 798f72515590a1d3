/**
 * Where the image store lives under `--root`: an OCI image layout in `images/` (blobs by
 * digest, `index.json` naming the tagged manifests), extracted layers in
 * `layers/<diff_id hex>/diff` with a `complete` marker, and lock files in `image-locks/`.
 *
 * @module
 */
import { join } from "../path.ts";
import { digestHex } from "./digest.ts";

/** Absolute paths of one image store. */
export interface ImagePaths {
  imagesDir: string;
  blobsDir: string;
  indexJson: string;
  ociLayout: string;
  /** Downloads and unpacked archives in progress (same filesystem as the blobs). */
  tmpDir: string;
  layersDir: string;
  locksDir: string;
}

/** The image store paths under `root`, creating its directories. */
export function imagePaths(root: string): ImagePaths {
  const imagesDir = join(root, "images");
  const p: ImagePaths = {
    imagesDir,
    blobsDir: join(imagesDir, "blobs", "sha256"),
    indexJson: join(imagesDir, "index.json"),
    ociLayout: join(imagesDir, "oci-layout"),
    tmpDir: join(root, "image-tmp"),
    layersDir: join(root, "layers"),
    locksDir: join(root, "image-locks"),
  };
  for (const d of [p.blobsDir, p.tmpDir, p.layersDir, p.locksDir]) {
    Deno.mkdirSync(d, { recursive: true, mode: 0o700 });
  }
  try {
    Deno.writeTextFileSync(p.ociLayout, '{"imageLayoutVersion":"1.0.0"}', { createNew: true });
  } catch (err) {
    if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
  }
  return p;
}

/** The file of a blob. */
export function blobPath(p: ImagePaths, digest: string): string {
  return join(p.blobsDir, digestHex(digest));
}

/** The directory of one extracted layer (holds `diff/` and the `complete` marker). */
export function layerDir(p: ImagePaths, diffId: string): string {
  return join(p.layersDir, digestHex(diffId));
}

/** The overlay lower directory of one layer. */
export function layerDiff(p: ImagePaths, diffId: string): string {
  return join(layerDir(p, diffId), "diff");
}

/** The marker written once a layer is fully extracted and synced. */
export function layerMarker(p: ImagePaths, diffId: string): string {
  return join(layerDir(p, diffId), "complete");
}

/** A fresh temporary path in the store's tmp dir. */
export function tmpPath(p: ImagePaths, tag: string): string {
  return join(p.tmpDir, `${tag}-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`);
}
