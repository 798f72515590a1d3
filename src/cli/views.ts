/**
 * What `inspect` and `ps` show of a container, with podman's field names. Pure functions of
 * a row and its paths.
 *
 * @module
 */
import type { ContainerRow } from "../store/containers.ts";
import type { ContainerPaths } from "../engine/paths.ts";
import { hasExited, isRunning, isUp, psStatusWord } from "../engine/states.ts";
import { restartPolicyName } from "../engine/restart_policy.ts";
import { humanDuration } from "../format/table.ts";
import { networkSettingsView } from "./network_views.ts";
import { portsText } from "../network/ports.ts";
import type { NetnsRow } from "../store/networks.ts";
import { humanSizeDecimal } from "./run_options.ts";

const ZERO_TIME = "0001-01-01T00:00:00Z";

function iso(ms: number): string {
  return ms > 0 ? new Date(ms).toISOString() : ZERO_TIME;
}

/** Go's `time.Time.String()` of a UTC instant, which podman's templates print. */
export function goTime(ms: number): string {
  if (ms <= 0) return "0001-01-01 00:00:00 +0000 UTC";
  const [date, rest] = new Date(ms).toISOString().split("T");
  const [clock, frac] = rest.replace("Z", "").split(".");
  const fraction = (frac ?? "").replace(/0+$/, "");
  return `${date} ${clock}${fraction ? "." + fraction : ""} +0000 UTC`;
}

/** Go's zero time as Unix seconds, podman's value for "never" in `ps --format json`. */
const GO_ZERO_UNIX = -62135596800;

/** `inspect` data for one container. */
export function inspectView(
  row: ContainerRow,
  p: ContainerPaths,
  net?: NetnsRow,
): Record<string, unknown> {
  const s = row.spec;
  const running = isUp(row.state);
  return {
    Id: row.id,
    Created: iso(row.createdAt),
    Path: s.command[0],
    Args: s.command.slice(1),
    State: {
      OciVersion: "1.0.2",
      Status: row.state,
      Running: running,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: row.pid,
      ConmonPid: row.conmonPid,
      ExitCode: row.exitCode ?? 0,
      Error: row.error,
      StartedAt: iso(row.startedAt),
      FinishedAt: iso(row.finishedAt),
      Health: { Status: "", FailingStreak: 0, Log: null },
    },
    Image: s.imageId ?? "",
    ImageDigest: s.imageDigest ?? "",
    ImageName: s.imageName,
    Rootfs: s.rootfs.kind === "dir" ? s.rootfs.path : "",
    Name: row.name,
    RestartCount: row.restartCount,
    Driver: s.rootfs.kind === "overlay" ? "overlay" : "",
    OCIRuntime: s.runtime,
    ResolvConfPath: s.network === "none" ? "" : `${p.dir}/resolv.conf`,
    HostnamePath: `${p.dir}/hostname`,
    HostsPath: `${p.dir}/hosts`,
    ConmonPidFile: p.conmonPidFile,
    PidFile: p.pidFile,
    LogPath: p.log,
    StaticDir: p.dir,
    BundlePath: p.bundle,
    OCIConfigPath: p.configJson,
    ExitCommand: undefined,
    Mounts: s.volumes.map((v) => ({
      Type: "bind",
      Source: v.source,
      Destination: v.destination,
      RW: !v.readOnly,
      Options: ["rbind"],
    })),
    Config: {
      Hostname: s.hostname,
      User: `${s.user.uid}:${s.user.gid}`,
      Env: s.env,
      Cmd: s.command,
      Entrypoint: "",
      Labels: s.labels ?? {},
      Tty: s.tty === true,
      OpenStdin: s.interactive === true,
      Image: s.imageName,
      WorkingDir: s.workdir,
      StopSignal: s.stopSignal,
      StopTimeout: s.stopTimeout,
      Timeout: s.timeout,
      Timezone: s.timezone ?? "",
      SystemdMode: s.systemd === true,
      Annotations: { "io.podman.annotations.autoremove": s.autoRemove ? "TRUE" : "FALSE" },
    },
    NetworkSettings: networkSettingsView(row.id, s, net),
    HostConfig: {
      AutoRemove: s.autoRemove,
      RestartPolicy: {
        Name: restartPolicyName(s.restartPolicy),
        MaximumRetryCount: s.restartPolicy?.maxRetries ?? 0,
      },
      NetworkMode: s.network === "container" ? `container:${s.networkFrom}` : s.network,
      ReadonlyRootfs: s.readOnly,
      Binds: s.volumes.map((v) => `${v.source}:${v.destination}${v.readOnly ? ":ro" : ""}`),
      LogConfig: { Type: "k8s-file", Path: p.log, Size: humanSizeDecimal(s.logSizeMax ?? 0) },
      Privileged: s.privileged === true,
      SecurityOpt: [
        ...(s.seccomp === "unconfined" ? ["seccomp=unconfined"] : []),
        ...(s.seccomp && s.seccomp !== "unconfined" ? [`seccomp=${s.seccomp.file}`] : []),
        ...(s.noNewPrivileges ? ["no-new-privileges"] : []),
      ],
      Memory: s.resources?.memory ?? 0,
      MemorySwap: s.resources?.memorySwap ?? 0,
      NanoCpus: s.resources?.cpuQuota ? s.resources.cpuQuota * 10_000 : 0,
      CpuShares: s.resources?.cpuShares ?? 0,
      PidsLimit: s.resources?.pidsLimit ?? 0,
      Ulimits: (s.ulimits ?? []).map((u) => ({ Name: u.type, Soft: u.soft, Hard: u.hard })),
      ExtraHosts: (s.addHosts ?? []).map((l) => l.split("\t").reverse().join(":")),
      Dns: s.dns?.servers ?? [],
      Tmpfs: Object.fromEntries((s.tmpfs ?? []).map((t) => [t.destination, t.options.join(",")])),
      GroupAdd: (s.groupAdd ?? []).map(String),
    },
  };
}

function psStatus(row: ContainerRow, now: number): string {
  if (isRunning(row.state)) return `Up ${humanDuration(now - row.startedAt)}`;
  if (hasExited(row.state)) {
    return `Exited (${row.exitCode ?? 0}) ${humanDuration(now - row.finishedAt)} ago`;
  }
  return psStatusWord(row.state);
}

/**
 * `ps` data for one container as `--format` templates see it: podman's template fields
 * (`.Names` and `.Command` as text, `.CreatedAt` as Go prints a time).
 */
export function psView(row: ContainerRow, now: number): Record<string, unknown> {
  const created = humanDuration(now - row.createdAt) + " ago";
  return {
    ID: row.id.slice(0, 12),
    FullID: row.id,
    Id: row.id,
    Image: row.spec.imageName,
    ImageID: row.spec.imageId ?? "",
    Command: row.spec.command.join(" "),
    CreatedAt: goTime(row.createdAt),
    CreatedHuman: created,
    Created: goTime(row.createdAt),
    RunningFor: created,
    Status: psStatus(row, now),
    State: row.state,
    ExitCode: row.exitCode ?? 0,
    Exited: hasExited(row.state),
    ExitedAt: Math.floor(row.finishedAt / 1000),
    StartedAt: Math.floor(row.startedAt / 1000),
    Pid: row.pid,
    Names: row.name,
    Ports: portsText(row.spec.ports ?? []),
    Mounts: row.spec.volumes.map((v) => v.destination),
    Labels: row.spec.labels ?? {},
    Networks: (row.spec.networks ?? []).join(","),
    AutoRemove: row.spec.autoRemove,
  };
}

/** `ps --format json` for one container: podman's JSON (`Names` and `Command` are arrays). */
export function psJson(row: ContainerRow, now: number): Record<string, unknown> {
  const unix = (ms: number) => ms > 0 ? Math.floor(ms / 1000) : GO_ZERO_UNIX;
  return {
    AutoRemove: row.spec.autoRemove,
    Command: row.spec.command,
    CreatedAt: humanDuration(now - row.createdAt) + " ago",
    Exited: hasExited(row.state),
    ExitedAt: unix(row.finishedAt),
    ExitCode: row.exitCode ?? 0,
    Id: row.id,
    Image: row.spec.imageName,
    ImageID: row.spec.imageId ?? "",
    IsInfra: false,
    Labels: row.spec.labels ?? null,
    Mounts: row.spec.volumes.map((v) => v.destination),
    Names: [row.name],
    Namespaces: {},
    Networks: row.spec.networks ?? [],
    Pid: row.pid,
    Pod: "",
    PodName: "",
    Ports: row.spec.ports ?? null,
    Size: null,
    StartedAt: unix(row.startedAt),
    State: row.state,
    Status: psStatus(row, now),
    Created: Math.floor(row.createdAt / 1000),
  };
}
