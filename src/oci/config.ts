/**
 * The OCI runtime config (`config.json`) for a container, as a pure function of its spec.
 * Defaults follow podman's: its capability set, masked and read-only paths, a private
 * PID/IPC/UTS/mount/cgroup namespace, a read-only view of the container's own cgroups, and a
 * network namespace only for `--network none`.
 *
 * @module
 */
import type { ContainerSpec, ResourceSpec } from "../spec.ts";
import { cgroupsPath } from "./cgroups.ts";
import type { Rlimit } from "./limits.ts";
import type { EtcFiles } from "../spec.ts";
import { compileSeccomp, type OciSeccomp, type SeccompProfile } from "./seccomp.ts";
import { DEFAULT_SECCOMP_PROFILE } from "./seccomp_default.ts";
import { type OciDevice, withoutTtys } from "./devices.ts";
import {
  SYSTEMD_TMPFS,
  SYSTEMD_TMPFS_OPTIONS,
  type SystemdCgroup,
  withContainerUuid,
} from "./systemd.ts";

/** podman's default capabilities. */
export const DEFAULT_CAPS = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_NET_BIND_SERVICE",
  "CAP_SETFCAP",
  "CAP_SETGID",
  "CAP_SETPCAP",
  "CAP_SETUID",
  "CAP_SYS_CHROOT",
];

/** Every capability Linux knows (for `--cap-add ALL`). */
export const ALL_CAPS = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_DAC_READ_SEARCH",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE",
  "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN",
  "CAP_NET_RAW",
  "CAP_IPC_LOCK",
  "CAP_IPC_OWNER",
  "CAP_SYS_MODULE",
  "CAP_SYS_RAWIO",
  "CAP_SYS_CHROOT",
  "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT",
  "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME",
  "CAP_SYS_TTY_CONFIG",
  "CAP_MKNOD",
  "CAP_LEASE",
  "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL",
  "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN",
  "CAP_SYSLOG",
  "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND",
  "CAP_AUDIT_READ",
  "CAP_PERFMON",
  "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
];

const MASKED = [
  "/proc/acpi",
  "/proc/kcore",
  "/proc/keys",
  "/proc/latency_stats",
  "/proc/timer_list",
  "/proc/timer_stats",
  "/proc/sched_debug",
  "/proc/scsi",
  "/sys/firmware",
  "/sys/fs/selinux",
  "/sys/dev/block",
  "/sys/devices/virtual/powercap",
  "/proc/interrupts",
];

const READONLY = [
  "/proc/asound",
  "/proc/bus",
  "/proc/fs",
  "/proc/irq",
  "/proc/sys",
  "/proc/sysrq-trigger",
];

/** Inputs that are not in the spec: where things are on this host. */
export interface ConfigInputs {
  id: string;
  spec: ContainerSpec;
  /** Absolute path of the root filesystem (a directory or an overlay mount point). */
  rootfsPath: string;
  rlimits: Rlimit[];
  /** Generated `/etc` files to bind over the image's. */
  etcFiles?: Partial<EtcFiles>;
  /** The capabilities berth itself may hand on (its bounding set); all when absent. */
  hostCaps?: string[];
  /** The host kernel's release (`Deno.osRelease()`), for seccomp rules from a kernel version. */
  kernel?: string;
  /** The host's architecture; `Deno.build.arch` when absent. */
  arch?: string;
  /** `--network container:X`: X's network namespace, and whether it is not the host's. */
  joinNetwork?: { path: string; own: boolean };
  /** The host's devices (see devices.ts), which a `--privileged` container is given. */
  hostDevices?: OciDevice[];
  /** The host's systemd cgroup, for a container in systemd mode (see systemd.ts). */
  systemdCgroup?: SystemdCgroup;
}

/**
 * The seccomp profile a container gets: none for `seccomp=unconfined`, or for `--privileged`
 * without a profile of its own; the file's for `seccomp=FILE`; berth's default otherwise.
 */
export function seccompProfileFor(spec: ContainerSpec): SeccompProfile | undefined {
  if (spec.seccomp === "unconfined") return undefined;
  if (spec.seccomp) return spec.seccomp.profile;
  return spec.privileged ? undefined : DEFAULT_SECCOMP_PROFILE;
}

/** The capability names in a `/proc/PID/status` `CapBnd:` mask (bit N = ALL_CAPS[N]). */
export function capsFromMask(hex: string): string[] {
  const mask = BigInt(`0x${hex}`);
  return ALL_CAPS.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

/** berth's bounding set: what a container can be given (`--privileged`, `--cap-add ALL`). */
export function hostBoundingCaps(): string[] | undefined {
  try {
    const m = /^CapBnd:\s*([0-9a-f]+)$/m.exec(Deno.readTextFileSync("/proc/self/status"));
    return m ? capsFromMask(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Where podman's `--read-only` (with its default `--read-only-tmpfs`) keeps writable tmpfs. */
const READ_ONLY_TMPFS: [string, string][] = [["/tmp", "1777"], ["/var/tmp", "1777"], [
  "/run",
  "755",
]];

/** Build the OCI config object for one container. */
export function ociConfig(
  {
    id,
    spec,
    rootfsPath,
    rlimits,
    etcFiles,
    hostCaps,
    kernel,
    arch,
    hostDevices,
    systemdCgroup,
    joinNetwork,
  }: ConfigInputs,
): Record<string, unknown> {
  // As podman: no more than berth's own bounding set, or the runtime cannot apply them.
  const caps = (spec.privileged ? ALL_CAPS : spec.capabilities ?? DEFAULT_CAPS)
    .filter((c) => !hostCaps || hostCaps.includes(c));
  const namespaces: { type: string; path?: string }[] = [
    { type: "pid" },
    { type: "ipc" },
    { type: "uts" },
    { type: "mount" },
    // Its own cgroup is the root of what it sees (/proc/self/cgroup, the cgroup mount).
    { type: "cgroup" },
  ];
  if (spec.network === "none") namespaces.push({ type: "network" });
  // Joining the host's namespace is the host network: nothing to join.
  else if (joinNetwork?.own) namespaces.push({ type: "network", path: joinNetwork.path });
  const ownNetwork = spec.network === "none" || joinNetwork?.own === true;
  const mounts: Record<string, unknown>[] = [
    { destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"] },
    {
      destination: "/dev",
      type: "tmpfs",
      source: "tmpfs",
      options: ["nosuid", "strictatime", "mode=755", "size=65536k"],
    },
    {
      destination: "/dev/pts",
      type: "devpts",
      source: "devpts",
      options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
    },
    {
      destination: "/dev/shm",
      type: "tmpfs",
      source: "shm",
      options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
    },
    {
      destination: "/dev/mqueue",
      type: "mqueue",
      source: "mqueue",
      options: ["nosuid", "noexec", "nodev"],
    },
    ownNetwork
      ? {
        destination: "/sys",
        type: "sysfs",
        source: "sysfs",
        options: ["nosuid", "noexec", "nodev", spec.privileged ? "rw" : "ro"],
      }
      // Without a network namespace of its own, sysfs cannot be mounted fresh: bind it. `ro`
      // on an rbind makes only its top mount read-only; `rro` (mount_setattr, runc >= 1.1,
      // crun) every submount too: the host's cgroup hierarchies, securityfs, debugfs, ...
      : {
        destination: "/sys",
        type: "bind",
        source: "/sys",
        options: [
          "rbind",
          "nosuid",
          "noexec",
          "nodev",
          ...(spec.privileged ? ["rw"] : ["ro", "rro"]),
        ],
      },
    // The container's own cgroups, read-only (as podman): it cannot move itself out of its
    // device, memory or pids cgroup. Over the host's hierarchies that the /sys bind brought.
    {
      destination: "/sys/fs/cgroup",
      type: "cgroup",
      source: "cgroup",
      options: [
        "rprivate",
        "nosuid",
        "noexec",
        "nodev",
        "relatime",
        spec.privileged || (spec.systemd && systemdCgroup?.kind === "unified") ? "rw" : "ro",
      ],
    },
  ];
  // systemd manages its own cgroup: on v1 it needs the host's name=systemd hierarchy.
  if (spec.systemd && systemdCgroup?.kind === "v1") {
    mounts.push({
      destination: "/sys/fs/cgroup/systemd",
      type: "bind",
      source: "/sys/fs/cgroup/systemd",
      options: systemdCgroup.options,
    });
  }
  const etc: [string, string | undefined][] = [
    ["/etc/resolv.conf", etcFiles?.resolvConf],
    ["/etc/hosts", etcFiles?.hosts],
    ["/etc/hostname", etcFiles?.hostname],
    ["/etc/passwd", etcFiles?.passwd],
    ["/etc/group", etcFiles?.group],
    ["/etc/localtime", etcFiles?.localtime],
  ];
  for (const [destination, source] of etc) {
    if (source) mounts.push({ destination, type: "bind", source, options: ["rbind", "rprivate"] });
  }
  for (const t of spec.tmpfs ?? []) {
    mounts.push({ destination: t.destination, type: "tmpfs", source: "tmpfs", options: t.options });
  }
  const userMounted = (destination: string) =>
    spec.tmpfs?.some((t) => t.destination === destination) ||
    spec.volumes.some((v) => v.destination.replace(/\/+$/, "") === destination);
  if (spec.systemd) {
    for (const destination of SYSTEMD_TMPFS) {
      if (userMounted(destination)) continue;
      mounts.push({ destination, type: "tmpfs", source: "tmpfs", options: SYSTEMD_TMPFS_OPTIONS });
    }
  }
  if (spec.readOnly) {
    for (const [destination, mode] of READ_ONLY_TMPFS) {
      if (spec.tmpfs?.some((t) => t.destination === destination)) continue;
      if (spec.systemd && SYSTEMD_TMPFS.includes(destination)) continue;
      mounts.push({
        destination,
        type: "tmpfs",
        source: "tmpfs",
        options: ["rw", "rprivate", "nosuid", "nodev", `mode=${mode}`],
      });
    }
  }
  // Over a /run tmpfs (--read-only, --tmpfs /run), so the marker is there too.
  if (etcFiles?.containerenv) {
    mounts.push({
      destination: "/run/.containerenv",
      type: "bind",
      source: etcFiles.containerenv,
      options: ["rbind", "rprivate", "ro"],
    });
  }
  // Volumes last: a user's bind over /etc or /tmp wins over the defaults above.
  for (const v of spec.volumes) {
    mounts.push({
      destination: v.destination,
      type: "bind",
      source: v.source,
      options: ["rbind", "rprivate", ...(v.readOnly ? ["ro"] : [])],
    });
  }
  const profile = seccompProfileFor(spec);
  const seccomp: OciSeccomp | undefined = profile &&
    compileSeccomp(profile, { arch: arch ?? Deno.build.arch, caps, kernel });
  return {
    ociVersion: "1.0.2",
    process: {
      terminal: spec.tty === true,
      user: {
        uid: spec.user.uid,
        gid: spec.user.gid,
        ...(spec.groupAdd?.length ? { additionalGids: spec.groupAdd } : {}),
      },
      args: spec.command,
      env: processEnv(spec, id),
      cwd: spec.workdir || "/",
      capabilities: {
        bounding: caps,
        effective: caps,
        permitted: caps,
        inheritable: [],
        ambient: [],
      },
      rlimits: withUlimits(rlimits, spec.ulimits ?? []).map((r) => ({
        type: r.type,
        hard: r.hard,
        soft: r.soft,
      })),
      noNewPrivileges: spec.noNewPrivileges === true,
    },
    root: { path: rootfsPath, readonly: spec.readOnly },
    hostname: spec.hostname,
    mounts,
    annotations: { "berth.autoremove": String(spec.autoRemove) },
    linux: {
      cgroupsPath: cgroupsPath(id),
      resources: {
        devices: [
          { allow: spec.privileged === true, access: "rwm" },
          // After the deny-all: the runtime applies entries in order.
          ...(spec.deviceRules ?? []).map((r) => ({
            allow: true,
            type: r.type,
            ...(r.major !== undefined ? { major: r.major } : {}),
            ...(r.minor !== undefined ? { minor: r.minor } : {}),
            access: r.access,
          })),
        ],
        ...cgroupResources(spec.resources),
      },
      namespaces,
      ...(spec.privileged && hostDevices?.length
        ? { devices: spec.systemd ? withoutTtys(hostDevices) : hostDevices }
        : {}),
      maskedPaths: [
        ...(spec.privileged ? [] : MASKED),
        ...(spec.systemd && systemdCgroup?.kind === "v1"
          ? ["/sys/fs/cgroup/systemd/release_agent"]
          : []),
      ],
      readonlyPaths: spec.privileged ? [] : READONLY,
      ...(seccomp ? { seccomp } : {}),
    },
  };
}

/**
 * The process's environment: the spec's, plus `HOSTNAME` (podman tells the process its
 * hostname unless the user or the image did) and systemd mode's `container_uuid`.
 */
function processEnv(spec: ContainerSpec, id: string): string[] {
  const env = !spec.hostname || spec.env.some((e) => e.startsWith("HOSTNAME="))
    ? spec.env
    : [...spec.env, `HOSTNAME=${spec.hostname}`];
  return spec.systemd ? withContainerUuid(env, id) : env;
}

/** The host's default rlimits with the container's `--ulimit`s in place of the same types. */
export function withUlimits(defaults: Rlimit[], ulimits: Rlimit[]): Rlimit[] {
  const byType = new Map(defaults.map((r) => [r.type, r]));
  for (const u of ulimits) byType.set(u.type, u);
  return [...byType.values()];
}

/** OCI `linux.resources` for the resource flags. */
export function cgroupResources(r: ResourceSpec | undefined): Record<string, unknown> {
  if (!r) return {};
  const out: Record<string, unknown> = {};
  if (r.memory !== undefined) {
    out.memory = { limit: r.memory, ...(r.memorySwap !== undefined ? { swap: r.memorySwap } : {}) };
  }
  if (r.cpuQuota !== undefined || r.cpuShares !== undefined) {
    out.cpu = {
      ...(r.cpuShares !== undefined ? { shares: r.cpuShares } : {}),
      ...(r.cpuQuota !== undefined ? { quota: r.cpuQuota, period: r.cpuPeriod } : {}),
    };
  }
  if (r.pidsLimit !== undefined) out.pids = { limit: r.pidsLimit };
  return out;
}
