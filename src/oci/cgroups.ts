/**
 * The container's cgroup directories (`cgroupsPath` `/berth/ID`, cgroupfs driver): one per
 * cgroup v1 hierarchy plus the v2 one, and their removal when the runtime left them.
 *
 * @module
 */
import { join } from "../path.ts";

/** The cgroup root of this host. */
const CGROUP_ROOT = "/sys/fs/cgroup";

/** The `cgroupsPath` of container `id` in its OCI config. */
export function cgroupsPath(id: string): string {
  return `/berth/${id}`;
}

/**
 * The directories container `id`'s cgroup may have under `root`: `root/H/berth/ID` for every
 * hierarchy H mounted there (cgroup v1, hybrid), and `root/berth/ID` (cgroup v2 alone).
 */
export function cgroupDirs(id: string, root = CGROUP_ROOT): string[] {
  const rel = cgroupsPath(id).slice(1);
  const dirs = [join(root, rel)];
  try {
    for (const e of Deno.readDirSync(root)) {
      // cpu → cpu,cpuacct and the like are links to a hierarchy listed under its own name.
      if (e.isDirectory) dirs.push(join(root, e.name, rel));
    }
  } catch { /* no cgroup file system */ }
  return dirs;
}

/** How long {@linkcode removeCgroupDirs} tries again while a cgroup still has processes, ms. */
const BUSY_RETRY_MS = 5000;

/**
 * Remove those of `dirs` that still exist (`rmdir`: a cgroup with processes refuses, and is
 * tried again every 50 ms for up to `ms`: killed processes take a while to be gone on a
 * loaded machine). Returns what is still there.
 */
export async function removeCgroupDirs(dirs: string[], ms = BUSY_RETRY_MS): Promise<string[]> {
  const deadline = Date.now() + ms;
  let left = dirs;
  for (;;) {
    left = left.filter((d) => {
      try {
        Deno.removeSync(d);
        return false;
      } catch (err) {
        return !(err instanceof Deno.errors.NotFound);
      }
    });
    if (left.length === 0 || Date.now() >= deadline) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}
