/**
 * The Docker `POST /containers/create` body (the `Config` fields at the top level, plus
 * `HostConfig` and `NetworkingConfig`) → the engine's {@linkcode CreateRequest}. Pure. Every
 * field a client may send is accepted; `null`, absent and empty mean the same; the fields
 * berth has no equivalent for are ignored when they hold their zero value and refused (400)
 * only where ignoring them would change what runs.
 *
 * @module
 */
import { UsageError } from "../../errors.ts";
import { anonymousVolumeName, isVolumeName } from "../../engine/volumes.ts";
import type { CreateRequest } from "../../engine/spec_builder.ts";
import type { TmpfsSpec, VolumeSpec } from "../../spec.ts";
import { parseSignal } from "../../signals.ts";
import { applyCapabilityFlags } from "../../engine/capabilities.ts";
import { parseUlimit, withDefaultUlimits } from "../../engine/ulimits.ts";
import {
  type DockerEndpoint,
  dockerNetworking,
  type DockerPortBindings,
} from "./containers_network.ts";

/** The part of Docker's create body berth reads. */
export interface DockerCreateBody {
  Image?: string | null;
  Cmd?: string[] | string | null;
  Entrypoint?: string[] | string | null;
  Env?: string[] | null;
  WorkingDir?: string | null;
  User?: string | null;
  Labels?: Record<string, string> | null;
  Hostname?: string | null;
  Tty?: boolean | null;
  OpenStdin?: boolean | null;
  StdinOnce?: boolean | null;
  StopSignal?: string | null;
  StopTimeout?: number | null;
  MacAddress?: string | null;
  ExposedPorts?: Record<string, unknown> | null;
  NetworkingConfig?: { EndpointsConfig?: Record<string, DockerEndpoint | null> | null } | null;
  /** Anonymous volumes by destination (`docker run -v /data`): `{"/data": {}}`. */
  Volumes?: Record<string, unknown> | null;
  HostConfig?: DockerHostConfig | null;
}

/** The part of Docker's HostConfig berth reads. */
export interface DockerHostConfig {
  AutoRemove?: boolean | null;
  Binds?: string[] | null;
  NetworkMode?: string | null;
  PortBindings?: DockerPortBindings | null;
  PublishAllPorts?: boolean | null;
  Privileged?: boolean | null;
  ReadonlyRootfs?: boolean | null;
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  Dns?: string[] | null;
  DnsSearch?: string[] | null;
  DnsOptions?: string[] | null;
  ExtraHosts?: string[] | null;
  Memory?: number | null;
  MemorySwap?: number | null;
  NanoCpus?: number | null;
  CpuShares?: number | null;
  PidsLimit?: number | null;
  Tmpfs?: Record<string, string> | null;
  Ulimits?: { Name: string; Soft: number; Hard: number }[] | null;
  SecurityOpt?: string[] | null;
  Mounts?: DockerMount[] | null;
}

/** One `HostConfig.Mounts` entry (Testcontainers, the SDKs). */
export interface DockerMount {
  Type?: string;
  Source?: string;
  Target?: string;
  ReadOnly?: boolean;
  TmpfsOptions?: { SizeBytes?: number; Mode?: number } | null;
}

/** A list field as an array: `null`/absent → [], a string → [it] (Docker accepts both). */
function list(v: string[] | string | null | undefined): string[] {
  if (v === null || v === undefined) return [];
  return typeof v === "string" ? [v] : v;
}

/**
 * A `Binds` entry: `/host:/ctr[:ro|rw|…]`, or `name:/ctr[:…]` for a named volume (the
 * engine creates it on first use).
 *
 * @throws {UsageError} for a relative source
 */
export function parseBind(bind: string): VolumeSpec {
  const parts = bind.split(":");
  if (parts.length < 2 || parts.length > 3) throw new UsageError(`invalid bind "${bind}"`);
  const [source, destination, opts = ""] = parts;
  if (!source.startsWith("/") && !isVolumeName(source)) {
    throw new UsageError(`bind "${bind}": the source must be an absolute path or a volume name`);
  }
  if (!destination.startsWith("/")) {
    throw new UsageError(`bind "${bind}": destination must be absolute`);
  }
  return { source, destination, readOnly: opts.split(",").includes("ro") };
}

/** `Tmpfs: {"/path": "size=64m,mode=1777"}` → tmpfs specs. */
function tmpfsMounts(t: Record<string, string> | null | undefined): TmpfsSpec[] {
  return Object.entries(t ?? {}).map(([destination, opts]) => ({
    destination,
    options: opts ? opts.split(",") : [],
  }));
}

/**
 * `HostConfig.Mounts`: binds of absolute host paths, named volumes (a fresh anonymous one
 * without a `Source`; the engine creates them on first use) and tmpfs mounts.
 *
 * @throws {UsageError} for any other type
 */
export function parseMounts(
  mounts: DockerMount[] | null | undefined,
): { volumes: VolumeSpec[]; tmpfs: TmpfsSpec[] } {
  const volumes: VolumeSpec[] = [];
  const tmpfs: TmpfsSpec[] = [];
  for (const m of mounts ?? []) {
    if (!m.Target?.startsWith("/")) {
      throw new UsageError(`mount target must be absolute: ${m.Target}`);
    }
    if (m.Type === "bind") {
      if (!m.Source?.startsWith("/")) {
        throw new UsageError(`bind source must be absolute: ${m.Source}`);
      }
      volumes.push({ source: m.Source, destination: m.Target, readOnly: m.ReadOnly === true });
    } else if (m.Type === "volume") {
      const source = m.Source || anonymousVolumeName();
      if (!isVolumeName(source)) throw new UsageError(`invalid volume name: ${source}`);
      volumes.push({
        source,
        destination: m.Target,
        readOnly: m.ReadOnly === true,
        ...(m.Source ? {} : { anonymous: true }),
      });
    } else if (m.Type === "tmpfs") {
      const o = m.TmpfsOptions ?? {};
      tmpfs.push({
        destination: m.Target,
        options: [
          ...(o.SizeBytes ? [`size=${o.SizeBytes}`] : []),
          ...(o.Mode ? [`mode=${o.Mode.toString(8)}`] : []),
          ...(m.ReadOnly ? ["ro"] : []),
        ],
      });
    } else {
      throw new UsageError(`mount type "${m.Type}" is not supported: use bind, volume or tmpfs`);
    }
  }
  return { volumes, tmpfs };
}

/**
 * `Config.Volumes`: a fresh anonymous volume at each destination no bind or mount covers
 * (Docker's `-v /data`).
 */
export function anonymousVolumes(
  destinations: Record<string, unknown> | null | undefined,
  taken: VolumeSpec[],
): VolumeSpec[] {
  return Object.keys(destinations ?? {})
    .filter((d) => !taken.some((v) => v.destination === d))
    .map((destination) => {
      if (!destination.startsWith("/")) {
        throw new UsageError(`volume destination must be absolute: ${destination}`);
      }
      return { source: anonymousVolumeName(), destination, readOnly: false, anonymous: true };
    });
}

/**
 * Translate a create body. `Entrypoint: [""]` (GitLab's default) clears the image's
 * entrypoint, as in Docker; a `null` one keeps it. `defaults` are berth.conf's `[containers]`
 * keys: `network` is the mode Docker's default one stands for (else the default bridge), and `ulimits`
 * apply to the limits the body's `Ulimits` do not set, as on the CLI.
 *
 * @throws {UsageError} (400) when the image is missing or a field cannot be honoured
 */
export function dockerCreateRequest(
  body: DockerCreateBody,
  defaults: { network?: string; ulimits?: string[] } = {},
): CreateRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new UsageError("the create body must be a JSON object");
  }
  if (!body.Image) throw new UsageError("config.Image must be set: no image given");
  const hc = body.HostConfig ?? {};
  const given = list(body.Entrypoint);
  const entry = body.Entrypoint === null || body.Entrypoint === undefined
    ? undefined
    : given.length === 1 && given[0] === ""
    ? [] // Docker's "clear the image's entrypoint"
    : given;
  const caps = applyCapabilityFlags(list(hc.CapAdd), list(hc.CapDrop));
  const dns = hc.Dns?.length || hc.DnsSearch?.length || hc.DnsOptions?.length
    ? { servers: list(hc.Dns), search: list(hc.DnsSearch), options: list(hc.DnsOptions) }
    : undefined;
  const resources = {
    ...(hc.Memory ? { memory: hc.Memory } : {}),
    ...(hc.MemorySwap ? { memorySwap: hc.MemorySwap } : {}),
    ...(hc.NanoCpus ? { cpuQuota: Math.round(hc.NanoCpus / 1e4), cpuPeriod: 100_000 } : {}),
    ...(hc.CpuShares ? { cpuShares: hc.CpuShares } : {}),
    ...(hc.PidsLimit && hc.PidsLimit > 0 ? { pidsLimit: hc.PidsLimit } : {}),
  };
  const security = list(hc.SecurityOpt);
  const mounts = parseMounts(hc.Mounts);
  const volumes = [...list(hc.Binds).map(parseBind), ...mounts.volumes];
  return {
    image: body.Image,
    pull: "never",
    entrypoint: entry,
    command: list(body.Cmd),
    env: list(body.Env),
    hostEnv: [],
    workdir: body.WorkingDir || undefined,
    user: body.User || undefined,
    volumes: [...volumes, ...anonymousVolumes(body.Volumes, volumes)],
    tmpfs: [...tmpfsMounts(hc.Tmpfs), ...mounts.tmpfs],
    ...dockerNetworking({
      NetworkMode: hc.NetworkMode,
      EndpointsConfig: body.NetworkingConfig?.EndpointsConfig,
      MacAddress: body.MacAddress,
      PortBindings: hc.PortBindings,
      PublishAllPorts: hc.PublishAllPorts,
      ExposedPorts: body.ExposedPorts,
    }, defaults.network),
    hostname: body.Hostname || undefined,
    timeout: 0,
    readOnly: hc.ReadonlyRootfs === true,
    autoRemove: hc.AutoRemove === true,
    stopSignal: body.StopSignal ? parseSignal(body.StopSignal) : 15,
    stopTimeout: typeof body.StopTimeout === "number" && body.StopTimeout >= 0
      ? body.StopTimeout
      : 10,
    interactive: body.OpenStdin === true,
    tty: body.Tty === true,
    capabilities: caps,
    sigProxy: false,
    ulimits: withDefaultUlimits(
      (hc.Ulimits ?? []).map((u) => parseUlimit(`${u.Name}=${u.Soft}:${u.Hard}`)),
      defaults.ulimits ?? [],
    ),
    resources: Object.keys(resources).length ? resources : undefined,
    labels: body.Labels ?? {},
    addHosts: list(hc.ExtraHosts),
    dns,
    noDns: false,
    privileged: hc.Privileged === true,
    noNewPrivileges: security.includes("no-new-privileges") ||
      security.includes("no-new-privileges:true"),
    groupAdd: [],
  };
}
