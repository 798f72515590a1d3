/**
 * What `inspect` and `ps` show of a container, with podman's field names. Pure functions of
 * a row and its paths.
 *
 * @module
 */
import type { ContainerRow } from "../store/containers.ts";
import type { ContainerPaths } from "../engine/paths.ts";
import { psStatusWord } from "../engine/states.ts";
import { humanDuration } from "../format/table.ts";

const ZERO_TIME = "0001-01-01T00:00:00Z";

function iso(ms: number): string {
  return ms > 0 ? new Date(ms).toISOString() : ZERO_TIME;
}

/** `inspect` data for one container. */
export function inspectView(row: ContainerRow, p: ContainerPaths): Record<string, unknown> {
  const s = row.spec;
  const running = row.state === "running" || row.state === "stopping";
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
    },
    Image: s.imageId ?? "",
    ImageName: s.imageName,
    Rootfs: s.rootfs.kind === "dir" ? s.rootfs.path : "",
    Name: row.name,
    RestartCount: 0,
    Driver: s.rootfs.kind === "overlay" ? "overlay" : "",
    OCIRuntime: s.runtime,
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
      Image: s.imageName,
      WorkingDir: s.workdir,
      StopSignal: s.stopSignal,
      StopTimeout: s.stopTimeout,
      Timeout: s.timeout,
      Annotations: { "io.podman.annotations.autoremove": s.autoRemove ? "TRUE" : "FALSE" },
    },
    HostConfig: {
      AutoRemove: s.autoRemove,
      NetworkMode: s.network,
      ReadonlyRootfs: s.readOnly,
      Binds: s.volumes.map((v) => `${v.source}:${v.destination}${v.readOnly ? ":ro" : ""}`),
      LogConfig: { Type: "k8s-file", Path: p.log },
    },
  };
}

/** `ps` data for one container (the fields `--format` templates use). */
export function psView(row: ContainerRow, now: number): Record<string, unknown> {
  const created = humanDuration(now - row.createdAt) + " ago";
  let status = psStatusWord(row.state);
  if (row.state === "running") status = `Up ${humanDuration(now - row.startedAt)}`;
  else if (row.state === "stopped" || row.state === "exited") {
    status = `Exited (${row.exitCode ?? 0}) ${humanDuration(now - row.finishedAt)} ago`;
  }
  const command = row.spec.command.join(" ");
  return {
    ID: row.id.slice(0, 12),
    FullID: row.id,
    Id: row.id,
    Image: row.spec.imageName,
    ImageID: row.spec.imageId ?? "",
    Command: command,
    CreatedAt: new Date(row.createdAt).toISOString(),
    CreatedHuman: created,
    Created: Math.floor(row.createdAt / 1000),
    RunningFor: created,
    Status: status,
    State: row.state,
    ExitCode: row.exitCode ?? 0,
    Exited: row.state === "exited" || row.state === "stopped",
    ExitedAt: Math.floor(row.finishedAt / 1000),
    StartedAt: Math.floor(row.startedAt / 1000),
    Pid: row.pid,
    Names: row.name,
    Ports: "",
    Mounts: row.spec.volumes.map((v) => v.destination),
    AutoRemove: row.spec.autoRemove,
  };
}
