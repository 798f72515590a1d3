/**
 * What the Docker API shows of a container: `GET /containers/{id}/json` (inspect) and one
 * entry of `GET /containers/json` (list), with Docker's field names, Docker's state words,
 * a `Name` with its leading `/`, and never `null` where a client expects an object or a
 * list. Pure functions of a row.
 *
 * @module
 */
import type { ContainerRow } from "../../store/containers.ts";
import { dockerState, hasExited, isRunning, isUp } from "../../engine/states.ts";
import { humanDuration } from "../../format/table.ts";
import { CommandNotFoundError, CommandNotInvokableError, runtimeStartError } from "../../errors.ts";
import type { NetnsRow } from "../../store/networks.ts";
import type { PortMapping } from "../../spec.ts";
import { networkSettingsView } from "../../engine/network_views.ts";
import { portsView } from "../../network/ports.ts";
import { dockerNetworkName } from "./containers_network.ts";

const ZERO_TIME = "0001-01-01T00:00:00Z";

function iso(ms: number): string {
  return ms > 0 ? new Date(ms).toISOString() : ZERO_TIME;
}

/** The image ID as Docker writes it (`sha256:` prefixed), or "" for a `--rootfs` container. */
function imageId(row: ContainerRow): string {
  const id = row.spec.imageId ?? "";
  return id && !id.startsWith("sha256:") ? `sha256:${id}` : id;
}

/** The `Mounts` entries (bind mounts). */
function mounts(row: ContainerRow) {
  return row.spec.volumes.map((v) => ({
    Type: "bind",
    Source: v.source,
    Destination: v.destination,
    Mode: v.readOnly ? "ro" : "",
    RW: !v.readOnly,
    Propagation: "rprivate",
  }));
}

/**
 * `HostConfig.NetworkMode` as Docker shows it: `host`, `none`, `container:ID`, or the
 * container's first bridge network (berth's default bridge is Docker's `bridge`).
 */
function networkMode(row: ContainerRow): string {
  const s = row.spec;
  if (s.network === "container") return `container:${s.networkFrom}`;
  if (s.network === "bridge") return dockerNetworkName(s.networks?.[0] ?? "bridge");
  return s.network;
}

/** An endpoint with nothing in it (a container on host or none, as Docker shows one). */
function emptyEndpoint(networkId: string) {
  return {
    IPAMConfig: null,
    Links: null,
    Aliases: null,
    NetworkID: networkId,
    EndpointID: "",
    Gateway: "",
    IPAddress: "",
    IPPrefixLen: 0,
    IPv6Gateway: "",
    GlobalIPv6Address: "",
    GlobalIPv6PrefixLen: 0,
    MacAddress: "",
    DriverOpts: null,
  };
}

/**
 * `NetworkSettings.Networks`, keyed by Docker's network names: each bridge network's
 * address, gateway, MAC and aliases from netavark's answer at setup (`net`, while it runs);
 * `host` or `none` for those modes.
 */
function dockerNetworks(row: ContainerRow, net: NetnsRow | undefined) {
  const s = row.spec;
  if (s.network !== "bridge") {
    return s.network === "container" ? {} : { [s.network]: emptyEndpoint(s.network) };
  }
  const view = networkSettingsView(row.id, s, net);
  return Object.fromEntries(
    Object.entries(view.Networks as Record<string, unknown>).map((
      [name, e],
    ) => [dockerNetworkName(name), e]),
  );
}

/** The list's `Ports`: one entry per published port. */
function listPorts(ports: PortMapping[]) {
  return ports.flatMap((m) =>
    Array.from({ length: m.range }, (_, i) => ({
      IP: m.host_ip || "0.0.0.0",
      PrivatePort: m.container_port + i,
      PublicPort: m.host_port + i,
      Type: m.protocol,
    }))
  );
}

/**
 * The exit code inspect shows: the last run's; for a start that failed before the command
 * ran, Docker's 127 (not found), 126 (not invokable) or 128 (anything else).
 */
export function dockerExitCode(row: ContainerRow): number {
  if (row.exitCode !== null) return row.exitCode;
  if (!row.error || dockerState(row.state) !== "created") return 0;
  const err = runtimeStartError(row.error);
  if (err instanceof CommandNotFoundError) return 127;
  if (err instanceof CommandNotInvokableError) return 126;
  return 128;
}

/** `docker ps`'s status text: `Up 3 seconds`, `Exited (3) 2 minutes ago`, `Created`. */
export function dockerStatusText(row: ContainerRow, now: number): string {
  if (isUp(row.state)) return `Up ${humanDuration(now - row.startedAt)}`;
  if (hasExited(row.state)) {
    return `Exited (${row.exitCode ?? 0}) ${humanDuration(now - row.finishedAt)} ago`;
  }
  return dockerState(row.state) === "removing" ? "Removal In Progress" : "Created";
}

/** The inspect body. */
export function dockerInspect(
  row: ContainerRow,
  logPath: string,
  net?: NetnsRow,
): Record<string, unknown> {
  const s = row.spec;
  const state = dockerState(row.state);
  const networks = dockerNetworks(row, net);
  const first = Object.values(networks)[0] as ReturnType<typeof emptyEndpoint> | undefined;
  const ports = portsView(s.ports ?? []);
  return {
    Id: row.id,
    Created: iso(row.createdAt),
    Path: s.command[0] ?? "",
    Args: s.command.slice(1),
    State: {
      Status: state,
      Running: isUp(row.state),
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: isUp(row.state) ? row.pid : 0,
      ExitCode: dockerExitCode(row),
      Error: row.error,
      StartedAt: iso(row.startedAt),
      FinishedAt: iso(row.finishedAt),
    },
    Image: imageId(row),
    ResolvConfPath: "",
    HostnamePath: "",
    HostsPath: "",
    LogPath: logPath,
    Name: `/${row.name}`,
    RestartCount: 0,
    Driver: s.rootfs.kind === "overlay" ? "overlay" : "vfs",
    Platform: "linux",
    MountLabel: "",
    ProcessLabel: "",
    AppArmorProfile: "",
    ExecIDs: null,
    HostConfig: {
      Binds: s.volumes.map((v) => `${v.source}:${v.destination}${v.readOnly ? ":ro" : ""}`),
      NetworkMode: networkMode(row),
      PortBindings: ports,
      PublishAllPorts: false,
      RestartPolicy: { Name: "no", MaximumRetryCount: 0 },
      AutoRemove: s.autoRemove,
      Privileged: s.privileged === true,
      ReadonlyRootfs: s.readOnly,
      CapAdd: [],
      CapDrop: [],
      Dns: s.dns?.servers ?? [],
      DnsOptions: s.dns?.options ?? [],
      DnsSearch: s.dns?.search ?? [],
      ExtraHosts: (s.addHosts ?? []).map((l) => l.split("\t").reverse().join(":")),
      LogConfig: { Type: "k8s-file", Config: {} },
      Tmpfs: Object.fromEntries((s.tmpfs ?? []).map((t) => [t.destination, t.options.join(",")])),
      Memory: s.resources?.memory ?? 0,
      MemorySwap: s.resources?.memorySwap ?? 0,
      CpuShares: s.resources?.cpuShares ?? 0,
      PidsLimit: s.resources?.pidsLimit ?? 0,
      ConsoleSize: [0, 0],
    },
    GraphDriver: { Name: s.rootfs.kind === "overlay" ? "overlay" : "vfs", Data: {} },
    Mounts: mounts(row),
    Config: {
      Hostname: s.hostname,
      Domainname: "",
      User: `${s.user.uid}:${s.user.gid}`,
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      ExposedPorts: Object.fromEntries(Object.keys(ports).map((p) => [p, {}])),
      Tty: s.tty === true,
      OpenStdin: s.interactive === true,
      StdinOnce: s.interactive === true,
      Env: s.env,
      Cmd: s.command,
      Image: s.imageName,
      Volumes: {},
      WorkingDir: s.workdir,
      Entrypoint: [],
      OnBuild: null,
      Labels: s.labels ?? {},
      StopSignal: String(s.stopSignal),
      StopTimeout: s.stopTimeout,
    },
    NetworkSettings: {
      Bridge: "",
      SandboxID: "",
      Ports: ports,
      SandboxKey: net?.netns ?? "",
      // The top-level fields (clients below API 1.52 read them): the first network's.
      IPAddress: first?.IPAddress ?? "",
      IPPrefixLen: first?.IPPrefixLen ?? 0,
      Gateway: first?.Gateway ?? "",
      MacAddress: first?.MacAddress ?? "",
      Networks: networks,
    },
  };
}

/** One entry of the container list. */
export function dockerListEntry(
  row: ContainerRow,
  now: number,
  net?: NetnsRow,
): Record<string, unknown> {
  const s = row.spec;
  return {
    Id: row.id,
    Names: [`/${row.name}`],
    Image: s.imageName,
    ImageID: imageId(row),
    Command: s.command.join(" "),
    Created: Math.floor(row.createdAt / 1000),
    Ports: listPorts(s.ports ?? []),
    Labels: s.labels ?? {},
    State: dockerState(row.state),
    Status: dockerStatusText(row, now),
    HostConfig: { NetworkMode: networkMode(row) },
    NetworkSettings: { Networks: dockerNetworks(row, net) },
    Mounts: mounts(row),
  };
}

/** Whether the list shows this row without `all=1`: running containers only. */
export function listedByDefault(row: ContainerRow): boolean {
  return isRunning(row.state) || isUp(row.state);
}
