/**
 * A container's root filesystem: a directory used in place, or an overlay mount (lowers =
 * the `--rootfs DIR:O` directory or an image's layers; upper and work in the container's
 * own directory) mounted at start and released at cleanup.
 *
 * @module
 */
import { RuntimeError, UsageError } from "../errors.ts";
import type { ContainerRow } from "../store/containers.ts";
import type { Engine } from "./engine.ts";
import { containerPaths } from "./paths.ts";
import { log } from "../log.ts";
import { isMountPoint, parseMountPoints } from "../mounts.ts";
import { lstatOrNull } from "../fs.ts";
import { lchownSync } from "node:fs";

/**
 * Overlay mount options for `lowers` (topmost first). `,` separates mount options and `:`
 * lower directories, and neither can be escaped: a path holding one (a `--root` of
 * `/x,lowerdir=/etc`, say) would mount something else than asked, so it is refused.
 *
 * @throws {UsageError} if a path contains `,` or `:`
 */
export function overlayOptions(lowers: string[], upper: string, work: string): string {
  for (const dir of [...lowers, upper, work]) {
    if (/[:,]/.test(dir)) {
      throw new UsageError(
        `overlay directory ${dir}: a path used in overlay mount options cannot contain ':' or ','`,
      );
    }
  }
  return `lowerdir=${lowers.join(":")},upperdir=${upper},workdir=${work}`;
}

export { isMountPoint, parseMountPoints };

/**
 * Give a new upper directory the owner and mode of the topmost lower's root: overlayfs shows
 * the upper's as `/`, and containers/storage creates a container's layer so (an image's `/`
 * is 0555, a `--rootfs DIR:O` shows DIR's own mode).
 */
function takeRootOf(upper: string, lower: string): void {
  const st = Deno.statSync(lower);
  lchownSync(upper, st.uid ?? 0, st.gid ?? 0);
  Deno.chmodSync(upper, (st.mode ?? 0o755) & 0o7777);
}

/**
 * Make the root filesystem ready and return the path for `root.path`.
 *
 * @throws {RuntimeError} when the overlay cannot be mounted
 */
export async function mountRootfs(engine: Engine, row: ContainerRow): Promise<string> {
  const rootfs = row.spec.rootfs;
  if (rootfs.kind === "dir") return rootfs.path;
  const p = containerPaths(engine.paths, row.id);
  if (lstatOrNull(p.upper) === null) {
    Deno.mkdirSync(p.upper, { recursive: true });
    takeRootOf(p.upper, rootfs.lowers[0]);
  }
  for (const d of [p.work, p.merged]) Deno.mkdirSync(d, { recursive: true });
  if (isMountPoint(p.merged)) return p.merged;
  const opts = overlayOptions(rootfs.lowers, p.upper, p.work);
  const r = await new Deno.Command("mount", {
    args: ["-t", "overlay", "overlay", "-o", opts, p.merged],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  if (r.code !== 0) {
    throw new RuntimeError(
      `mounting overlay root filesystem for ${row.id}: ${
        new TextDecoder().decode(r.stderr).trim()
      }`,
    );
  }
  log("debug", `mounted overlay at ${p.merged}`);
  return p.merged;
}

/** Release the root filesystem (idempotent). */
export async function unmountRootfs(engine: Engine, row: ContainerRow): Promise<void> {
  if (row.spec.rootfs.kind === "dir") return;
  const merged = containerPaths(engine.paths, row.id).merged;
  if (!isMountPoint(merged)) return;
  const r = await new Deno.Command("umount", {
    args: [merged],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  if (r.code !== 0 && isMountPoint(merged)) {
    // Busy (a process still holds it): detach it lazily rather than leak it.
    await new Deno.Command("umount", { args: ["-l", merged], stderr: "null" }).output();
  }
}
