/**
 * The host's device nodes, for a `--privileged` container: podman (through runc's
 * `HostDevices`) gives it every char and block device under the host's `/dev`, not only the
 * default few, so that `--privileged` can reach disks, loop devices, ttys and so on.
 *
 * @module
 */
import { join } from "node:path";
import { splitDev } from "../archive/libc.ts";

/** An entry of the OCI config's `linux.devices`. */
export interface OciDevice {
  path: string;
  type: "c" | "b";
  major: number;
  minor: number;
  fileMode: number;
  uid: number;
  gid: number;
}

/** Directories of `/dev` that hold no devices of the host's own (as podman's `getDevices`). */
const SKIPPED_DIRS = new Set(["pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts"]);

/**
 * Every char and block device under `dir` (recursively; symlinks are not followed), except
 * the console, which the runtime sets up itself.
 */
export function hostDevices(dir = "/dev"): OciDevice[] {
  const out: OciDevice[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    return out; // vanished, or not readable: nothing to give
  }
  for (const e of entries.sort((a, b) => a.name < b.name ? -1 : 1)) {
    const path = join(dir, e.name);
    if (e.isDirectory) {
      if (!SKIPPED_DIRS.has(e.name)) out.push(...hostDevices(path));
      continue;
    }
    if (e.name === "console") continue;
    let info: Deno.FileInfo;
    try {
      info = Deno.lstatSync(path);
    } catch {
      continue;
    }
    const type = info.isCharDevice ? "c" : info.isBlockDevice ? "b" : undefined;
    if (!type || info.rdev === null) continue;
    out.push({
      path,
      type,
      ...splitDev(info.rdev),
      fileMode: (info.mode ?? 0o600) & 0o7777,
      uid: info.uid ?? 0,
      gid: info.gid ?? 0,
    });
  }
  return out;
}

/**
 * systemd in a container must not get the host's terminals (podman #15895: it would start
 * gettys on the host's virtual consoles): podman drops every `/dev/tty*` node of the host.
 */
export function withoutTtys(devices: OciDevice[]): OciDevice[] {
  return devices.filter((d) => !d.path.startsWith("/dev/tty"));
}
