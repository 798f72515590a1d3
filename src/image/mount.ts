/**
 * `image mount`: a read-only view of an image's filesystem, for tools that read it from the
 * host (and for `run --rootfs MOUNT:O`). Several layers are stacked as an overlay of lower
 * directories only (which overlayfs makes read-only); a single layer is bound read-only. The
 * view lives at `<root>/image-mounts/<image id>` and lasts until `image unmount`; mounting a
 * mounted image again returns the same view (there is no count).
 *
 * @module
 */
import { join } from "node:path";
import { ImageError } from "../errors.ts";
import { isMountPoint } from "../mounts.ts";
import { ensureLayers, type ImageCtx, lowerDirs, withGcLock } from "./store.ts";
import type { ImageRow } from "../store/images.ts";

/** Where the view of image `id` is mounted. */
export function imageMountPoint(ctx: ImageCtx, id: string): string {
  return join(ctx.paths.layersDir, "..", "image-mounts", id);
}

/** Whether image `id` is mounted. */
export function isImageMounted(ctx: ImageCtx, id: string): boolean {
  return isMountPoint(imageMountPoint(ctx, id));
}

/** The mount argv for a read-only view of `lowers` (topmost first) at `target`. */
export function imageMountArgs(lowers: string[], target: string): string[] {
  if (lowers.length === 1) return ["--bind", "-o", "ro", lowers[0], target];
  for (const dir of lowers) {
    if (/[:,]/.test(dir)) {
      throw new ImageError(`layer directory ${dir}: an overlay lower cannot contain ':' or ','`);
    }
  }
  return ["-t", "overlay", "overlay", "-o", `lowerdir=${lowers.join(":")}`, target];
}

/**
 * Mount image `row` read-only (its layers extracted first, if they were removed) and return
 * the mount point.
 *
 * @throws {ImageError} when it has no layers or the mount fails
 */
export async function mountImage(ctx: ImageCtx, row: ImageRow): Promise<string> {
  const target = imageMountPoint(ctx, row.id);
  // Shared GC lock: no garbage collection removes the layers while they are being mounted.
  return await withGcLock(ctx, false, async () => {
    if (isMountPoint(target)) return target;
    if (row.layers.length === 0) throw new ImageError(`image ${row.id} has no layers to mount`);
    await ensureLayers(ctx, row.layers);
    Deno.mkdirSync(target, { recursive: true, mode: 0o700 });
    const r = await run("mount", imageMountArgs(lowerDirs(ctx, row), target));
    if (r.code !== 0 && !isMountPoint(target)) {
      throw new ImageError(`mounting image ${row.id}: ${r.stderr}`);
    }
    return target;
  });
}

/**
 * Unmount image `id`'s view, if it is mounted, and remove its mount point.
 *
 * @throws {ImageError} when it stays mounted
 */
export async function unmountImage(ctx: ImageCtx, id: string): Promise<void> {
  const target = imageMountPoint(ctx, id);
  if (isMountPoint(target)) {
    const r = await run("umount", [target]);
    if (r.code !== 0 && isMountPoint(target)) {
      throw new ImageError(`unmounting image ${id}: ${r.stderr}`);
    }
  }
  try {
    Deno.removeSync(target);
  } catch { /* never mounted, or already gone */ }
}

/** The IDs of the images that are mounted now. */
export function mountedImageIds(ctx: ImageCtx): string[] {
  const dir = join(ctx.paths.layersDir, "..", "image-mounts");
  let names: string[] = [];
  try {
    names = [...Deno.readDirSync(dir)].map((e) => e.name);
  } catch { /* nothing was ever mounted */ }
  return names.filter((id) => /^[0-9a-f]{64}$/.test(id) && isImageMounted(ctx, id)).sort();
}

async function run(cmd: string, args: string[]): Promise<{ code: number; stderr: string }> {
  const r = await new Deno.Command(cmd, { args, stdin: "null", stdout: "null", stderr: "piped" })
    .output();
  return { code: r.code, stderr: new TextDecoder().decode(r.stderr).trim() };
}
