/**
 * A container's network namespace as a file: a persistent namespace bind-mounted on a file
 * under the run directory (what `ip netns add` does under /run/netns), so it exists before
 * the OCI runtime starts the container, outlives a crashed process and can be torn down by
 * whichever berth process cleans up.
 *
 * @module
 */
import { RuntimeError } from "../errors.ts";
import { pathExists, removeIfPresent } from "../fs.ts";

/**
 * Create a new network namespace bound at `path` (`unshare --net=PATH true`).
 *
 * @throws {RuntimeError} when it cannot be made
 */
export async function createNetns(path: string): Promise<void> {
  Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true, mode: 0o700 });
  Deno.writeFileSync(path, new Uint8Array(), { mode: 0o600 });
  const r = await new Deno.Command("unshare", {
    args: [`--net=${path}`, "true"],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!r.success) {
    removeIfPresent(path);
    throw new RuntimeError(
      `creating network namespace ${path}: ${new TextDecoder().decode(r.stderr).trim()}`,
    );
  }
}

/** Whether `path` is a namespace bound there (not a plain file a crash left behind). */
export function isNetns(path: string): boolean {
  try {
    const mounts = Deno.readTextFileSync("/proc/self/mountinfo");
    return mounts.split("\n").some((l) => l.split(" ")[4] === path);
  } catch {
    return false;
  }
}

/** Release the namespace at `path` and remove the file. Absent is success. */
export async function removeNetns(path: string): Promise<void> {
  if (!pathExists(path)) return;
  if (isNetns(path)) {
    await new Deno.Command("umount", { args: ["-l", path], stderr: "null" }).output();
  }
  removeIfPresent(path);
}
