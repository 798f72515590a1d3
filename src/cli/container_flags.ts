/**
 * The flags shared by `create` and `run`, and their validation into a
 * {@linkcode ContainerSpec}. Everything is checked before anything is written, so a rejected
 * command changes no state.
 *
 * @module
 */
import { REGISTRY_FLAGS } from "./image/registry_flags.ts";
import { isAbsolute, resolve } from "node:path";
import { UsageError } from "../errors.ts";
import type { ContainerSpec, RootfsSpec, VolumeSpec } from "../spec.ts";
import type { Engine } from "../engine/context.ts";
import {
  buildContainerSpec,
  type CreateRequest,
  type SystemdMode,
} from "../engine/spec_builder.ts";
import { resolveRoot } from "../engine/resolve_image.ts";
import type { PullOptions } from "../image/pull.ts";
import { bool, type FlagTable, list, type Parsed, parseNonNegativeInt, str } from "./args.ts";
import { parseSignal } from "../signals.ts";
import { parseEntrypointFlag } from "../image/combine.ts";
import { ALL_CAPS, DEFAULT_CAPS } from "../oci/config.ts";
import { pathExists } from "../fs.ts";
import type { PullPolicy } from "../image/types.ts";
import {
  checkTimezone,
  parseAddHost,
  parseDeviceRule,
  parseLabels,
  parseLogOpts,
  parseMount,
  parseResources,
  parseSecurityOpts,
  parseTmpfs,
  parseUlimit,
} from "./run_options.ts";
import { log } from "../log.ts";
import { parseNetworkArg } from "./network_mode.ts";
import { parsePublish } from "../network/ports.ts";
import { parseIp } from "../network/ipv4.ts";
import { errOut } from "./command.ts";
import { which } from "../oci/runtime.ts";
import { mergeEnv } from "../engine/env.ts";
import { parseRestartPolicy } from "../engine/restart_policy.ts";
import { parseSeccompProfile, type SeccompProfile } from "../oci/seccomp.ts";

/** Flags of `create` (and, with `-d`, `run`). */
export const CREATE_FLAGS: FlagTable = {
  name: { type: "string", help: "Assign a name to the container" },
  rm: { type: "boolean", help: "Remove the container when it exits" },
  env: {
    type: "string",
    short: "e",
    multiple: true,
    help:
      "Set an environment variable in the container: KEY=VALUE, or KEY alone to pass berth's own value (left out when berth has none)",
  },
  "env-file": {
    type: "string",
    multiple: true,
    help:
      "Read environment variables from a file: KEY=VALUE lines, KEY alone for berth's own value, blank lines and # comments",
  },
  workdir: {
    type: "string",
    short: "w",
    help: "Working directory inside the container, an absolute path (default: the image's, else /)",
  },
  volume: {
    type: "string",
    short: "v",
    multiple: true,
    help:
      "Bind mount a host directory or file: HOST-PATH:CONTAINER-PATH[:ro|rw]; the host path must be absolute and exist (named volumes are not supported)",
  },
  network: {
    type: "string",
    help:
      "Network mode: host shares the host's network stack (its interfaces, ports, loopback services and abstract unix sockets); none gives the container a loopback interface only; container:NAME joins another container's network namespace; bridge (the default network \"berth\", no DNS) or NAME[,NAME] (networks of berth network create) give it a namespace of its own on those bridges",
    value: "mode",
    defaultText: '"host"',
  },
  net: { type: "string", help: "Same as --network", hidden: true },
  "network-alias": {
    type: "string",
    multiple: true,
    value: "name",
    help: "Another name the bridge network's DNS answers with this container's address",
  },
  ip: {
    type: "string",
    help: "The container's IPv4 address on its bridge network (one network only)",
  },
  "mac-address": {
    type: "string",
    help: "The MAC address of the container's interface on its bridge network (one network only)",
  },
  hostname: { type: "string", short: "h", help: "Set the container's hostname" },
  timeout: {
    type: "string",
    help: "Kill the container after this many seconds (0: no limit)",
    value: "uint",
  },
  cidfile: {
    type: "string",
    help: "Write the container's ID to this file, which must not exist yet",
  },
  "read-only": { type: "boolean", help: "Mount the container's root filesystem read-only" },
  rootfs: {
    type: "string",
    help:
      "Run from this directory as the root filesystem instead of an image (the first argument is then the command); DIR:O puts an overlay over it so the directory itself is not changed",
    value: "DIR[:O]",
  },
  user: {
    type: "string",
    short: "u",
    help:
      "User to run as: NAME or UID, with an optional :GROUP or :GID (default: the image's, else root)",
  },
  "stop-signal": {
    type: "string",
    help: "Signal that stops the container (a name such as TERM or a number)",
    defaultText: '"TERM"',
  },
  "stop-timeout": {
    type: "string",
    help: "Seconds to wait after the stop signal before the container is killed",
    value: "uint",
    defaultText: "10",
  },
  entrypoint: {
    type: "string",
    help:
      'Override the image\'s ENTRYPOINT: an executable, a JSON array of strings, or "" for none',
  },
  pull: {
    type: "string",
    help: "When to pull the image: missing, always or never",
    value: "policy",
    defaultText: '"missing"',
  },
  platform: {
    type: "string",
    help: "Pull the image for this OS/ARCH[/VARIANT] instead of the host's",
  },
  // The registry flags of `pull`, for a missing image; --tls-verify's help says when it applies.
  ...REGISTRY_FLAGS,
  "tls-verify": {
    ...REGISTRY_FLAGS["tls-verify"],
    help:
      "Require HTTPS and verify certificates when pulling (default: true, unless berth.conf lists the registry as insecure)",
  },
  replace: {
    type: "boolean",
    help: "If a container with the same --name exists, remove it (forcibly) first",
  },
  interactive: {
    type: "boolean",
    short: "i",
    help: "Keep the container's stdin open and feed it berth's stdin",
  },
  "log-driver": {
    type: "string",
    help:
      "Logging driver: k8s-file, conmon's log file (json-file is accepted as another name for it)",
    defaultText: '"k8s-file"',
  },
  "conmon-pidfile": {
    type: "string",
    help: "Write the PID of the container's conmon to this file",
  },
  "sig-proxy": {
    type: "boolean",
    default: true,
    help: "Forward the signals berth receives to the container's process while attached",
  },
  "cap-add": {
    type: "string",
    multiple: true,
    help:
      "Add capabilities to the default set: names with or without CAP_, any case, comma-separated; ALL for every capability",
  },
  "cap-drop": {
    type: "string",
    multiple: true,
    help: "Drop capabilities from the default set (as --cap-add; ALL drops them all)",
  },
  tty: { type: "boolean", short: "t", help: "Allocate a pseudo-terminal for the container" },
  ulimit: {
    type: "string",
    multiple: true,
    help:
      "Set a resource limit: NAME=SOFT[:HARD] (e.g. nofile=1024:2048, -1 for unlimited); a hard limit above the host's is refused",
  },
  memory: {
    type: "string",
    short: "m",
    help: "Memory limit: a number with an optional unit b, k, m or g (at least 6m)",
  },
  "memory-swap": {
    type: "string",
    help: "Memory plus swap limit (needs --memory; -1 for unlimited swap)",
  },
  cpus: { type: "string", help: "Number of CPUs the container may use, e.g. 1.5", value: "float" },
  "cpu-shares": {
    type: "string",
    short: "c",
    help: "CPU shares (relative weight, 2 or more)",
    value: "uint",
  },
  "pids-limit": {
    type: "string",
    help: "Limit the number of processes in the container (-1 or 0: no limit)",
    value: "int",
  },
  tmpfs: {
    type: "string",
    multiple: true,
    help:
      "Mount a tmpfs: PATH[:OPTIONS] with the options rw,noexec,nosuid,nodev unless overridden (e.g. exec, size=64m)",
  },
  mount: {
    type: "string",
    multiple: true,
    help:
      "Attach a mount: type=bind with source= and target= (and readonly), or type=tmpfs with target= (and tmpfs-size=, tmpfs-mode=); named volumes are not supported",
  },
  label: {
    type: "string",
    short: "l",
    multiple: true,
    help: "Set a label on the container: KEY=VALUE (or KEY for an empty value)",
  },
  "label-file": {
    type: "string",
    multiple: true,
    help: "Read labels from a file: one KEY=VALUE per line, blank lines and # comments",
  },
  "add-host": {
    type: "string",
    multiple: true,
    help: "Add a HOST:IP line to the container's /etc/hosts",
  },
  dns: {
    type: "string",
    multiple: true,
    help:
      "Set a DNS server in the container's /etc/resolv.conf (none: berth writes no resolv.conf)",
  },
  "dns-search": {
    type: "string",
    multiple: true,
    help: "Set a DNS search domain in the container's /etc/resolv.conf",
  },
  "dns-option": {
    type: "string",
    multiple: true,
    help: "Set a DNS option in the container's /etc/resolv.conf (e.g. ndots:2)",
  },
  "security-opt": {
    type: "string",
    multiple: true,
    help:
      "Security option: seccomp=unconfined or seccomp=FILE (a containers-common profile; berth's default profile applies otherwise), no-new-privileges; label=, apparmor=, mask=, unmask= and proc-opts= are accepted with a warning and not applied",
  },
  privileged: {
    type: "boolean",
    help:
      "Give the container every capability and device, writable /sys and cgroups, no masked paths and no seccomp filter (unless --security-opt seccomp=FILE)",
  },
  "group-add": {
    type: "string",
    multiple: true,
    help: "Add a supplementary group (a numeric GID) to the container's process",
  },
  "env-host": {
    type: "boolean",
    help: "Pass all of berth's environment variables to the container",
  },
  // Ports: published on bridge networks; on the host network (or none) there is nothing to
  // map, so they are accepted with a warning.
  publish: {
    type: "string",
    short: "p",
    multiple: true,
    help:
      "Publish a container port on the host, [IP:][HOSTPORT:]CTRPORT[/tcp|udp] (ranges A-B too; no HOSTPORT: a free one), on bridge networks; with host or none it is ignored with a warning",
  },
  "publish-all": {
    type: "boolean",
    short: "P",
    help:
      "Publish the image's exposed ports and --expose's on free host ports (bridge networks; else ignored with a warning, as --publish)",
  },
  expose: {
    type: "string",
    multiple: true,
    help: "Expose a container port, PORT[/tcp|udp], for -P to publish",
  },
  quiet: { type: "boolean", short: "q", help: "Print no progress while pulling the image" },
  restart: {
    type: "string",
    help:
      "Restart policy: no, on-failure[:MAX-RETRIES], always or unless-stopped; the cleanup after an exit starts the container again (not with --rm, and never after a stop)",
    value: "policy",
    defaultText: '"no"',
  },
  runtime: {
    type: "string",
    value: "NAME|PATH",
    help:
      "The OCI runtime of this container, a name on PATH or a path (default: the global --runtime)",
  },
  tz: {
    type: "string",
    value: "ZONE",
    help:
      "Timezone: a zone under /usr/share/zoneinfo, or local for the host's; bound at /etc/localtime",
  },
  "device-cgroup-rule": {
    type: "string",
    multiple: true,
    value: "RULE",
    help: "Allow one more device in the cgroup: 'c|b|a MAJOR:MINOR rwm' (* for any number)",
  },
  "log-opt": {
    type: "string",
    multiple: true,
    value: "KEY=VALUE",
    help: "Log driver option: max-size=SIZE makes conmon cap the container's log",
  },
  "kernel-memory": {
    type: "string",
    help: "Accepted for podman compatibility and ignored with podman's warning",
  },
  unsetenv: {
    type: "string",
    multiple: true,
    value: "NAME",
    help: "Leave NAME out of the default and image environment",
  },
  "unsetenv-all": {
    type: "boolean",
    help: "Leave out the whole default and image environment (-e and --env-file stay)",
  },
  systemd: {
    type: "string",
    value: "true|false|always",
    help:
      "systemd mode: always, or with true when the command is an init or systemd (tmpfs /run, /tmp, stop signal SIGRTMIN+3)",
    defaultText: '"true"',
  },
  help: { type: "boolean" },
};

/** Flags of `run`: create's plus `--detach` and `--attach`. */
export const RUN_FLAGS: FlagTable = {
  ...CREATE_FLAGS,
  detach: {
    type: "boolean",
    short: "d",
    help: "Run the container in the background and print its ID",
  },
  attach: {
    type: "string",
    short: "a",
    multiple: true,
    value: "STREAM",
    help: "Attach only these streams: stdin, stdout, stderr (repeatable; default: all)",
  },
  "preserve-fds": {
    type: "string",
    value: "N",
    help: "Pass berth's file descriptors 3 … 2+N to the container (at most 6)",
  },
};

/** What `create`/`run` derived from their argv. */
export interface CliCreateRequest {
  spec: ContainerSpec;
  name?: string;

  replace: boolean;
}

/**
 * Validate create/run flags and positionals into a spec: parse the flags into a
 * {@linkcode CreateRequest}, resolve (or pull) its image in the engine, then build the spec.
 *
 * @throws {UsageError} on any bad value
 */
export async function buildSpec(
  engine: Engine,
  p: Parsed,
  runtime: string,
): Promise<CliCreateRequest> {
  const request = parseCreateRequest(p);
  if (request.network !== "bridge" && discardsPorts(p)) {
    // podman's sentence, bare on stderr as podman prints its spec warnings.
    await errOut(
      "Port mappings have been discarded as one of the Host, Container, Pod, and None network modes are in use\n",
    );
  }
  const pullOptions = request.image === undefined
    ? {}
    : await cliPullOptions(engine, p, request.image);
  const root = await resolveRoot(engine, request, pullOptions);
  return {
    name: str(p, "name"),

    replace: bool(p, "replace"),
    spec: buildContainerSpec(request, root, { runtime: containerRuntime(p, runtime) }),
  };
}

/**
 * `--runtime`: a name on PATH (kept as a name) or a path (made absolute, so a later start from
 * another directory finds it), else the global one. inspect shows it.
 *
 * @throws {UsageError} when it cannot be found, before anything is created
 */
function containerRuntime(p: Parsed, global: string): string {
  const given = str(p, "runtime");
  if (given === undefined) return global;
  const path = which(given);
  if (!path) throw new UsageError(`OCI runtime "${given}" not found`);
  return given.includes("/") ? path : given;
}

/** `-p`, `-P` or `--expose` given: berth's networks (host, none) have no ports to map. */
function discardsPorts(p: Parsed): boolean {
  return list(p, "publish").length > 0 || list(p, "expose").length > 0 || bool(p, "publish-all");
}

/** The registry flags of `pull` (and `--platform`, `-q`) for the image a request names. */
async function cliPullOptions(
  engine: Engine,
  p: Parsed,
  ref: string,
): Promise<Partial<PullOptions>> {
  const [{ parseReference }, { parsePlatform }, { registryOptions }, { pullProgress }] =
    await Promise.all([
      import("../image/reference.ts"),
      import("../image/manifest.ts"),
      import("./image/common.ts"),
      import("./image/progress.ts"),
    ]);
  const platform = str(p, "platform");
  // A `docker-archive:PATH` names no registry.
  const registry = ref.startsWith("docker-archive:") ? "" : parseReference(ref).registry;
  return {
    ...registryOptions(engine.opts, p, registry),
    platform: platform ? parsePlatform(platform) : undefined,
    // Progress on a terminal; -q/--quiet: none even there.
    onEvent: pullProgress(Deno.stderr.isTerminal(), bool(p, "quiet")),
  };
}

/**
 * Validate create/run flags and positionals into a front-end-neutral request. Files the flags
 * name (env, label and seccomp files, volume sources, `--rootfs`) are read and checked here.
 *
 * @throws {UsageError} on any bad value
 */
export function parseCreateRequest(p: Parsed): CreateRequest {
  const logDriver = str(p, "log-driver") ?? "k8s-file";
  if (logDriver !== "k8s-file" && logDriver !== "json-file") {
    throw new UsageError(
      `invalid log driver "${logDriver}": berth logs through conmon's k8s-file (json-file is an alias)`,
    );
  }
  const caps = applyCapabilityFlags(list(p, "cap-add"), list(p, "cap-drop"));
  const networkArg = str(p, "network") ?? str(p, "net") ?? "host";
  const { network, networkFrom, networks } = parseNetworkArg(networkArg);
  const timeout = parseNonNegativeInt(str(p, "timeout") ?? "0", "--timeout");
  const stopTimeout = parseNonNegativeInt(str(p, "stop-timeout") ?? "10", "--stop-timeout");
  const stopSignalArg = str(p, "stop-signal");
  const stopSignal = stopSignalArg === undefined ? undefined : parseSignal(stopSignalArg);
  const systemd = str(p, "systemd") ?? "true";
  if (!["true", "false", "always"].includes(systemd)) {
    throw new UsageError(`invalid value "${systemd}" for --systemd: use true, false or always`);
  }
  const volumes = list(p, "volume").map(parseVolume);
  const tmpfs = list(p, "tmpfs").map(parseTmpfs);
  for (const m of list(p, "mount").map(parseMount)) {
    if ("bind" in m) {
      volumes.push(
        parseVolume(`${m.bind.source}:${m.bind.destination}${m.bind.readOnly ? ":ro" : ""}`),
      );
    } else tmpfs.push(m.tmpfs);
  }
  // Above the host's hard limit is refused by the engine's create (decide/create.ts).
  const ulimits = list(p, "ulimit").map(parseUlimit);
  const resources = parseResources({
    memory: str(p, "memory"),
    memorySwap: str(p, "memory-swap"),
    cpus: str(p, "cpus"),
    cpuShares: str(p, "cpu-shares"),
    pidsLimit: str(p, "pids-limit"),
  });
  const labels = parseLabels([
    ...list(p, "label-file").flatMap((f) => readLines(f, "label file")),
    ...list(p, "label"),
  ]);
  const addHosts = list(p, "add-host").map(parseAddHost);
  const dnsServers = list(p, "dns");
  const noDns = dnsServers.includes("none");
  const dns = !noDns && (dnsServers.length || list(p, "dns-search").length ||
      list(p, "dns-option").length)
    ? { servers: dnsServers, search: list(p, "dns-search"), options: list(p, "dns-option") }
    : undefined;
  const security = parseSecurityOpts(list(p, "security-opt"));
  for (const kind of security.notApplied) {
    log("warn", `--security-opt ${kind}=… is not applied: ${NOT_APPLIED_WHY[kind]}`);
  }
  const seccomp = security.seccomp === undefined || security.seccomp === "unconfined"
    ? security.seccomp
    : readSeccompFile(security.seccomp.file);
  const groupAdd = list(p, "group-add").map((g) => {
    if (!/^\d+$/.test(g)) throw new UsageError(`invalid --group-add "${g}": use a numeric GID`);
    return Number(g);
  });
  const ports = network === "bridge" ? list(p, "publish").map(parsePublish) : [];
  const networkAliases = list(p, "network-alias");
  if (networkAliases.length && network !== "bridge") {
    throw new UsageError("--network-alias can only be used with a bridge network");
  }
  const staticIp = str(p, "ip");
  const staticMac = str(p, "mac-address");
  if ((staticIp !== undefined || staticMac !== undefined) && networks.length !== 1) {
    throw new UsageError("--ip and --mac-address need exactly one bridge network");
  }
  if (staticIp !== undefined && parseIp(staticIp) === undefined) {
    throw new UsageError(`${staticIp} is not an IP address`);
  }
  if (staticMac !== undefined && !/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(staticMac)) {
    throw new UsageError(`invalid MAC address ${staticMac}`);
  }
  if (str(p, "kernel-memory") !== undefined) {
    log("warn", "The --kernel-memory flag is no longer supported. This flag is a noop.");
  }
  const tz = str(p, "tz");
  const logOpts = parseLogOpts(list(p, "log-opt"));
  if (str(p, "runtime") === "") throw new UsageError("--runtime must not be empty");
  const fileEnv = list(p, "env-file").flatMap((f) => parseEnvFile(f));
  const flagEnv = list(p, "env").flatMap((e) => parseEnvArg(e));
  const workdir = str(p, "workdir");
  if (workdir !== undefined && !workdir.startsWith("/")) {
    throw new UsageError(`workdir "${workdir}" must be an absolute path`);
  }
  const pull = (str(p, "pull") ?? "missing") as PullPolicy;
  if (!["missing", "always", "never"].includes(pull)) {
    throw new UsageError(`invalid --pull policy "${pull}": use missing, always or never`);
  }

  const rootfsArg = str(p, "rootfs");
  const entrypointArg = str(p, "entrypoint");
  const entrypoint = entrypointArg === undefined ? undefined : parseEntrypointFlag(entrypointArg);
  let image: string | undefined;
  let rootfs: CreateRequest["rootfs"];
  let command: string[];
  if (rootfsArg !== undefined) {
    rootfs = { spec: parseRootfs(rootfsArg), arg: rootfsArg };
    command = p.positionals;
    if ((entrypoint?.length ?? 0) + command.length === 0) {
      throw new UsageError("no command specified for --rootfs");
    }
  } else {
    const [ref, ...args] = p.positionals;
    if (!ref) throw new UsageError("an image name or --rootfs DIR is required");
    image = ref;
    command = args;
  }
  return {
    image,
    rootfs,
    pull,
    entrypoint,
    command,
    env: [...fileEnv, ...flagEnv],
    hostEnv: bool(p, "env-host") ? hostEnv() : [],
    unsetEnv: list(p, "unsetenv"),
    unsetEnvAll: bool(p, "unsetenv-all"),
    workdir,
    workdirMustExist: workdir !== undefined,
    user: str(p, "user"),
    volumes,
    tmpfs,
    network,
    networkFrom,
    ...(networks.length ? { networks } : {}),
    ...(networkAliases.length ? { networkAliases } : {}),
    ...(ports.length ? { ports } : {}),
    publishAll: network === "bridge" && bool(p, "publish-all"),
    expose: list(p, "expose"),
    staticIp,
    staticMac: staticMac?.toLowerCase(),
    hostname: str(p, "hostname"),
    timeout,
    readOnly: bool(p, "read-only"),
    autoRemove: bool(p, "rm"),
    stopSignal,
    stopTimeout,
    interactive: bool(p, "interactive"),
    tty: bool(p, "tty"),
    capabilities: caps,
    sigProxy: bool(p, "sig-proxy"),
    conmonPidFile: str(p, "conmon-pidfile") === undefined
      ? undefined
      : resolve(str(p, "conmon-pidfile")!),
    ulimits,
    resources,
    labels,
    addHosts,
    dns,
    noDns,
    privileged: bool(p, "privileged"),
    noNewPrivileges: !!security.noNewPrivileges,
    seccomp,
    groupAdd,
    restartPolicy: parseRestartPolicy(str(p, "restart") ?? ""),
    timezone: tz === undefined ? undefined : checkTimezone(tz),
    deviceRules: list(p, "device-cgroup-rule").map(parseDeviceRule),
    logSizeMax: logOpts.maxSize,
    systemd: systemd as SystemdMode,
  };
}

/**
 * `--rootfs DIR` or `DIR:O`. The directory must exist; the runtime needs its real path.
 *
 * @throws {UsageError} if it is missing or not a directory
 */
export function parseRootfs(arg: string): RootfsSpec {
  const overlay = arg.endsWith(":O");
  const dir = overlay ? arg.slice(0, -2) : arg;
  let real: string;
  try {
    real = Deno.realPathSync(dir);
  } catch {
    throw new UsageError(`rootfs ${dir} does not exist`);
  }
  if (!Deno.statSync(real).isDirectory) throw new UsageError(`rootfs ${dir} is not a directory`);
  if (overlay && /[:,]/.test(real)) {
    throw new UsageError(`rootfs ${dir}: an overlay lower directory cannot contain ':' or ','`);
  }
  return overlay ? { kind: "overlay", lowers: [real] } : { kind: "dir", path: real };
}

/**
 * `-v HOST:CTR[:ro|rw]`. Only bind mounts of existing absolute host paths.
 *
 * @throws {UsageError} for relative/missing host paths, a relative target, or bad options
 */
export function parseVolume(arg: string): VolumeSpec {
  const parts = arg.split(":");
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) {
    throw new UsageError(`invalid volume "${arg}": expected HOST-DIR:CONTAINER-DIR[:OPTIONS]`);
  }
  const [source, destination, options = ""] = parts;
  if (!isAbsolute(source)) {
    throw new UsageError(
      `invalid volume "${arg}": host path "${source}" must be absolute (named volumes are not supported)`,
    );
  }
  if (!pathExists(source)) {
    throw new UsageError(`invalid volume "${arg}": host path "${source}" does not exist`);
  }
  if (!isAbsolute(destination)) {
    throw new UsageError(
      `invalid volume "${arg}": container path "${destination}" must be absolute`,
    );
  }
  let readOnly = false;
  for (const opt of options.split(",").filter(Boolean)) {
    if (opt === "ro") readOnly = true;
    else if (opt === "rw" || opt === "z" || opt === "Z") continue;
    else throw new UsageError(`invalid volume "${arg}": unknown option "${opt}"`);
  }
  return { source: resolve(source), destination, readOnly };
}

const ENV_NAME = /^[^=\s]+$/;

/** `-e K=V` → [K=V]; `-e K` → K's value from berth's environment, if set. */
export function parseEnvArg(arg: string): string[] {
  const eq = arg.indexOf("=");
  const key = eq === -1 ? arg : arg.slice(0, eq);
  if (!ENV_NAME.test(key)) throw new UsageError(`invalid environment variable "${arg}"`);
  if (eq !== -1) return [arg];
  const v = Deno.env.get(key);
  return v === undefined ? [] : [`${key}=${v}`];
}

/**
 * Read an env file: `K=V` lines, `K` alone (taken from berth's environment), blank lines and
 * `#` comments.
 *
 * @throws {UsageError} naming the file and line of a bad entry
 */
export function parseEnvFile(path: string): string[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (err) {
    throw new UsageError(`cannot read env file ${path}: ${(err as Error).message}`);
  }
  return parseEnvText(text, path);
}

/** The pure part of {@linkcode parseEnvFile}. */
export function parseEnvText(text: string, path: string): string[] {
  const out: string[] = [];
  text.split("\n").forEach((raw, i) => {
    // Leading blanks are dropped, as podman and docker do; the value is kept as written.
    const line = raw.replace(/\r$/, "").trimStart();
    if (line.trim() === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    const key = eq === -1 ? line.trim() : line.slice(0, eq);
    if (!ENV_NAME.test(key)) {
      throw new UsageError(`invalid env file ${path} line ${i + 1}: "${line}"`);
    }
    if (eq !== -1) out.push(line);
    else {
      const v = Deno.env.get(key);
      if (v !== undefined) out.push(`${key}=${v}`);
    }
  });
  return out;
}

export { mergeEnv };

/**
 * The capability set after `--cap-add`/`--cap-drop` (names with or without `CAP_`, any case;
 * `ALL` in either). Undefined when neither flag was given (the default set applies).
 *
 * @throws {UsageError} for an unknown capability
 */
export function applyCapabilityFlags(add: string[], drop: string[]): string[] | undefined {
  if (add.length === 0 && drop.length === 0) return undefined;
  const norm = (c: string) => {
    const up = c.trim().toUpperCase();
    const name = up === "ALL" ? up : up.startsWith("CAP_") ? up : `CAP_${up}`;
    if (name !== "ALL" && !ALL_CAPS.includes(name)) {
      throw new UsageError(`unknown capability "${c}"`);
    }
    return name;
  };
  const adds = add.flatMap((a) => a.split(",")).map(norm);
  const drops = drop.flatMap((d) => d.split(",")).map(norm);
  let caps = drops.includes("ALL") ? [] : [...DEFAULT_CAPS];
  caps = adds.includes("ALL") ? [...ALL_CAPS] : [...new Set([...caps, ...adds])];
  return caps.filter((c) => !drops.includes(c) || adds.includes(c));
}

/** Why each `--security-opt` kind that berth only accepts changes nothing. */
const NOT_APPLIED_WHY: Record<string, string> = {
  label: "berth does no SELinux labelling",
  apparmor: "berth loads no AppArmor profile",
  mask: "berth masks its default paths only",
  unmask: "berth cannot unmask single paths (--privileged unmasks all)",
  "proc-opts": "berth mounts /proc with fixed options",
};

/**
 * `--security-opt seccomp=FILE`: the profile, read now and kept in the spec.
 *
 * @throws {UsageError} if it cannot be read or is not a profile
 */
function readSeccompFile(file: string): { file: string; profile: SeccompProfile } {
  const path = resolve(file);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (err) {
    throw new UsageError(`cannot read seccomp profile ${file}: ${(err as Error).message}`);
  }
  return { file: path, profile: parseSeccompProfile(text, file) };
}

/** berth's own environment as `K=V` entries (`--env-host`). */
function hostEnv(): string[] {
  return Object.entries(Deno.env.toObject()).map(([k, v]) => `${k}=${v}`);
}

/** Non-blank, non-comment lines of a file given to a flag. */
function readLines(path: string, what: string): string[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (err) {
    throw new UsageError(`cannot read ${what} ${path}: ${(err as Error).message}`);
  }
  return text.split("\n").map((l) => l.replace(/\r$/, "").trim()).filter((l) =>
    l && !l.startsWith("#")
  );
}
