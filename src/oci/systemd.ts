/**
 * podman's systemd mode (`--systemd=true|always`): what a container needs to run systemd as
 * its init. tmpfs on `/run`, `/run/lock`, `/tmp` and `/var/log/journal`; a writable systemd
 * cgroup (the host's `name=systemd` hierarchy on cgroup v1, the container's own cgroup2
 * mount on a unified host); `container_uuid` in the environment; no host virtual consoles.
 * The stop signal (SIGRTMIN+3) is settled at create (spec_builder.ts).
 *
 * @module
 */

/** The host's side of the systemd cgroup, found at start (see {@linkcode hostSystemdCgroup}). */
export type SystemdCgroup =
  /** cgroup2 only: the container's cgroup mount is made writable. */
  | { kind: "unified" }
  /** cgroup v1: the host's `/sys/fs/cgroup/systemd`, bound with these options. */
  | { kind: "v1"; options: string[] }
  /** cgroup v1 without a systemd hierarchy: nothing to bind. */
  | { kind: "none" };

/** Where systemd wants a tmpfs of its own, in podman's order. */
export const SYSTEMD_TMPFS = ["/run", "/run/lock", "/tmp", "/var/log/journal"];

/** podman's options of those tmpfs (`tmpcopyup`: the image's files there are copied in). */
export const SYSTEMD_TMPFS_OPTIONS = ["rw", "rprivate", "nosuid", "nodev", "tmpcopyup"];

/**
 * The host's systemd cgroup from `/proc/self/mountinfo` text and whether
 * `/sys/fs/cgroup/cgroup.controllers` exists (a unified host). On v1 the bind carries the
 * host mount's own `nodev`/`noexec`/`nosuid`/`ro`, as podman copies them from statfs.
 */
export function hostSystemdCgroup(mountinfo: string, unified: boolean): SystemdCgroup {
  if (unified) return { kind: "unified" };
  for (const line of mountinfo.split("\n")) {
    const fields = line.split(" ");
    if (fields[4] !== "/sys/fs/cgroup/systemd") continue;
    const flags = (fields[5] ?? "").split(",");
    return {
      kind: "v1",
      options: [
        "bind",
        "rprivate",
        ...["nodev", "noexec", "nosuid", "ro"].filter((f) => flags.includes(f)),
      ],
    };
  }
  return { kind: "none" };
}

/** {@linkcode hostSystemdCgroup} of this host. */
export function readHostSystemdCgroup(): SystemdCgroup {
  let mountinfo = "";
  try {
    mountinfo = Deno.readTextFileSync("/proc/self/mountinfo");
  } catch { /* none: nothing to bind */ }
  let unified = false;
  try {
    unified = Deno.statSync("/sys/fs/cgroup/cgroup.controllers").isFile;
  } catch { /* v1 or hybrid */ }
  return hostSystemdCgroup(mountinfo, unified);
}

/** systemd's `container_uuid` (podman: the first 32 hex digits of the ID), unless set. */
export function withContainerUuid(env: string[], id: string): string[] {
  return env.some((e) => e.startsWith("container_uuid="))
    ? env
    : [...env, `container_uuid=${id.slice(0, 32)}`];
}
