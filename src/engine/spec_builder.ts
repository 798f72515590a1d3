/**
 * The pure half of creating a container: a front-end-neutral {@linkcode CreateRequest} (what
 * `create`/`run` flags, or a Docker `POST /containers/create` body, ask for) plus the
 * resolved root (image config and layers, or a `--rootfs` directory) → the
 * {@linkcode ContainerSpec} that is stored. No I/O: files of the root are read through the
 * reader the caller passes.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import type {
  ContainerSpec,
  DeviceRule,
  DnsSpec,
  PortMapping,
  ResourceSpec,
  RestartPolicy,
  RootfsSpec,
  TmpfsSpec,
  VolumeSpec,
} from "../spec.ts";
import type { SeccompProfile } from "../oci/seccomp.ts";
import type { ImageRunConfig, PullPolicy } from "../image/types.ts";
import { resolveUser } from "../image/user.ts";
import { imageArgv } from "../image/combine.ts";
import { mergeEnv } from "./env.ts";
import { checkAutoRemove } from "./restart_policy.ts";
import { parsePublish } from "../network/ports.ts";
import { parseSignal } from "../signals.ts";

const SIGTERM = parseSignal("TERM");
/** systemd's signal to shut down (podman's stop signal in systemd mode). */
const SIGRTMIN_3 = parseSignal("RTMIN+3");

/** What a front end asks a new container to be, validated but not yet combined with an image. */
export interface CreateRequest {
  /** The image reference; absent when `rootfs` is given. */
  image?: string;
  /** `--rootfs DIR[:O]`: the directory (already resolved) and the argument as given. */
  rootfs?: { spec: RootfsSpec; arg: string };
  pull: PullPolicy;
  /** Replaces the image's Entrypoint (and drops its Cmd); `[]` clears it. */
  entrypoint?: string[];
  /** Arguments after the image: they replace the image's Cmd. */
  command: string[];
  /** The caller's `K=V` entries, in order (env files, then `-e`); they win over the image's. */
  env: string[];
  /** Entries below the image's (`--env-host`: berth's own environment). */
  hostEnv: string[];
  /** `--unsetenv NAME`: names dropped from the defaults, the host's and the image's entries. */
  unsetEnv?: string[];
  /** `--unsetenv-all`: only the caller's `env` entries remain. */
  unsetEnvAll?: boolean;
  workdir?: string;
  /** `workdir` must exist in the container (podman's `--workdir`); docker creates it. */
  workdirMustExist?: boolean;
  /** `UID[:GID]` or `NAME[:GROUP]`; the image's User when absent. */
  user?: string;
  volumes: VolumeSpec[];
  tmpfs: TmpfsSpec[];
  network: "host" | "none" | "container" | "bridge";
  /** `--network container:X`: X as given (create resolves it to an ID). */
  networkFrom?: string;
  /** `--network NAME[,NAME]`: the bridge networks, by name. */
  networks?: string[];
  /** `--network-alias` */
  networkAliases?: string[];
  /** `--ip`, `--mac-address` (one network only). */
  staticIp?: string;
  staticMac?: string;
  /** `-p/--publish` (a host port 0: create picks a free one). */
  ports?: PortMapping[];
  /** `-P`: publish the image's exposed ports and {@linkcode expose}'s on free host ports. */
  publishAll?: boolean;
  /** `--expose PORT[/PROTO]` */
  expose?: string[];
  hostname?: string;
  timeout: number;
  readOnly: boolean;
  autoRemove: boolean;
  /** The caller's stop signal; SIGTERM (SIGRTMIN+3 in systemd mode) when absent. */
  stopSignal?: number;
  stopTimeout: number;
  interactive: boolean;
  tty: boolean;
  capabilities?: string[];
  sigProxy: boolean;
  conmonPidFile?: string;
  ulimits: { type: string; soft: number; hard: number }[];
  resources?: ResourceSpec;
  labels: Record<string, string>;
  addHosts: string[];
  dns?: DnsSpec;
  noDns: boolean;
  privileged: boolean;
  noNewPrivileges: boolean;
  seccomp?: "unconfined" | { file: string; profile: SeccompProfile };
  groupAdd: number[];
  /** `--restart`; absent when none was given. */
  restartPolicy?: RestartPolicy;
  /** `--tz` */
  timezone?: string;
  /** `--device-cgroup-rule` */
  deviceRules?: DeviceRule[];
  /** `--log-opt max-size`, in bytes */
  logSizeMax?: number;
  /** `--systemd`: `true` (the default: when the command is an init), `false`, `always`. */
  systemd?: SystemdMode;
}

/** The values of `--systemd`. */
export type SystemdMode = "true" | "false" | "always";

/** The init programs for which `--systemd=true` means systemd mode (podman's list). */
const INITS = new Set(["/sbin/init", "/usr/sbin/init", "/usr/local/sbin/init"]);

/**
 * Whether a container runs in systemd mode, by podman's rule: `always`, or with `true` when
 * the command (or the one `/bin/sh -c` runs) is an init or a program named `systemd`.
 */
export function usesSystemd(mode: SystemdMode | undefined, command: string[]): boolean {
  if (mode === "always") return true;
  if (mode === "false" || command.length === 0) return false;
  const cmd = command.length > 2 && command[0] === "/bin/sh" && command[1] === "-c"
    ? command.slice(2)
    : command;
  return INITS.has(cmd[0]) || cmd[0].split("/").pop() === "systemd";
}

/** The container's root as the engine resolved it (see resolve_image.ts). */
export interface ResolvedRoot {
  rootfs: RootfsSpec;
  /** `--rootfs` as given, or the image's normalised name. */
  imageName: string;
  imageId?: string;
  /** The digest of the image's manifest. */
  imageDigest?: string;
  /** The image's run config; empty for `--rootfs`. */
  config: ImageRunConfig;
  /** Reads a file of the root (`etc/passwd`), undefined if absent. */
  readFile: (rel: string) => string | undefined;
}

/** Facts of the host the spec depends on. */
export interface HostFacts {
  /** The OCI runtime (name or path). */
  runtime: string;
}

/**
 * podman's default environment (containers.conf `env`, plus `container=`). The value of
 * `container` is `podman`, not `berth`: systemd (`systemd-detect-virt`) and other tools
 * recognise a fixed list of values there, and podman's is the one that means "an OCI container
 * run by a podman-like engine".
 */
const DEFAULT_ENV = [
  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  "TERM=xterm",
  "container=podman",
];

/**
 * The container's argv, by docker's rules: an entrypoint given replaces the image's and drops
 * its Cmd; arguments replace the image's Cmd; argv is Entrypoint followed by Cmd.
 *
 * @throws {UsageError} when that leaves nothing to run
 */
export function containerCommand(req: CreateRequest, config: ImageRunConfig): string[] {
  if (req.rootfs) {
    const argv = [...(req.entrypoint ?? []), ...req.command];
    if (argv.length === 0) throw new UsageError("no command specified for --rootfs");
    return argv;
  }
  return imageArgv(config, req.entrypoint, req.command);
}

/**
 * The environment: podman's defaults (PATH, `TERM=xterm`, `container=podman`), the host's
 * (`--env-host`), the image's Env, then the request's; a later entry of a name wins.
 * `--unsetenv`/`--unsetenv-all` drop names from all but the request's entries (as podman).
 */
export function containerEnv(req: CreateRequest, config: ImageRunConfig): string[] {
  const unset = new Set(req.unsetEnv ?? []);
  const defaults = req.unsetEnvAll
    ? []
    : mergeEnv([...DEFAULT_ENV, ...req.hostEnv, ...(config.Env ?? [])]).filter((e) =>
      !unset.has(e.split("=", 1)[0])
    );
  return mergeEnv([...defaults, ...req.env]);
}

/** `-P`: each exposed `PORT[/PROTO]` (the image's, `--expose`'s) on a host port create picks. */
export function exposedPorts(exposed: string[]): PortMapping[] {
  return [...new Set(exposed)].map((e) => parsePublish(e));
}

/**
 * Combine a request with its resolved root into the spec to store.
 *
 * @throws {UsageError} when there is nothing to run, the user is not in the image, or `--rm`
 * meets a restart policy
 */
export function buildContainerSpec(
  req: CreateRequest,
  root: ResolvedRoot,
  host: HostFacts,
): ContainerSpec {
  checkAutoRemove(req.restartPolicy, req.autoRemove);
  const command = containerCommand(req, root.config);
  const env = containerEnv(req, root.config);
  const user = resolveUser(req.user ?? root.config.User ?? "", root.readFile);
  const ports = [
    ...(req.ports ?? []),
    ...(req.publishAll
      ? exposedPorts([...Object.keys(root.config.ExposedPorts ?? {}), ...(req.expose ?? [])])
      : []),
  ];
  const systemd = usesSystemd(req.systemd, command);
  return {
    command,
    rootfs: root.rootfs,
    imageName: root.imageName,
    imageId: root.imageId,
    imageDigest: root.imageDigest,
    env,
    workdir: req.workdir ?? (root.config.WorkingDir || "/"),
    ...(req.workdir !== undefined && req.workdirMustExist ? { workdirMustExist: true } : {}),
    user,
    volumes: req.volumes,
    network: req.network,
    ...(req.networkFrom ? { networkFrom: req.networkFrom } : {}),
    ...(req.networks?.length ? { networks: req.networks } : {}),
    ...(req.networkAliases?.length ? { networkAliases: req.networkAliases } : {}),
    ...(ports.length ? { ports } : {}),
    ...(req.staticIp ? { staticIp: req.staticIp } : {}),
    ...(req.staticMac ? { staticMac: req.staticMac } : {}),
    hostname: req.hostname ?? "",
    timeout: req.timeout,
    readOnly: req.readOnly,
    autoRemove: req.autoRemove,
    stopSignal: req.stopSignal ?? (systemd ? SIGRTMIN_3 : SIGTERM),
    stopTimeout: req.stopTimeout,
    runtime: host.runtime,
    interactive: req.interactive,
    tty: req.tty,
    capabilities: req.capabilities,
    sigProxy: req.sigProxy,
    conmonPidFile: req.conmonPidFile,
    ...(req.ulimits.length ? { ulimits: req.ulimits } : {}),
    ...(req.resources ? { resources: req.resources } : {}),
    ...(req.tmpfs.length ? { tmpfs: req.tmpfs } : {}),
    ...(Object.keys(req.labels).length ? { labels: req.labels } : {}),
    ...(req.addHosts.length ? { addHosts: req.addHosts } : {}),
    ...(req.dns ? { dns: req.dns } : {}),
    ...(req.noDns ? { noDns: true } : {}),
    ...(req.privileged ? { privileged: true } : {}),
    ...(req.noNewPrivileges ? { noNewPrivileges: true } : {}),
    ...(req.seccomp ? { seccomp: req.seccomp } : {}),
    ...(req.groupAdd.length ? { groupAdd: req.groupAdd } : {}),
    ...(req.restartPolicy ? { restartPolicy: req.restartPolicy } : {}),
    ...(req.timezone ? { timezone: req.timezone } : {}),
    ...(req.deviceRules?.length ? { deviceRules: req.deviceRules } : {}),
    ...(req.logSizeMax ? { logSizeMax: req.logSizeMax } : {}),
    ...(systemd ? { systemd: true } : {}),
  };
}
