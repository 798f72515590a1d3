/**
 * The flags shared by `create` and `run`, and their validation into a
 * {@linkcode ContainerSpec}. Everything is checked before anything is written, so a rejected
 * command changes no state.
 *
 * @module
 */
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
  name: { type: "string" },
  rm: { type: "boolean" },
  env: { type: "string", short: "e", multiple: true },
  "env-file": { type: "string", multiple: true },
  workdir: { type: "string", short: "w" },
  volume: { type: "string", short: "v", multiple: true },
  network: { type: "string" },
  net: { type: "string" },
  "network-alias": { type: "string", multiple: true },
  ip: { type: "string" },
  "mac-address": { type: "string" },
  hostname: { type: "string", short: "h" },
  timeout: { type: "string" },
  cidfile: { type: "string" },
  "read-only": { type: "boolean" },
  rootfs: { type: "string" },
  user: { type: "string", short: "u" },
  "stop-signal": { type: "string" },
  "stop-timeout": { type: "string" },
  entrypoint: { type: "string" },
  pull: { type: "string" },
  platform: { type: "string" },
  // The registry flags of `pull` (src/cli/image/common.ts), for a missing image.
  "tls-verify": { type: "boolean" },
  "cert-dir": { type: "string" },
  creds: { type: "string" },
  authfile: { type: "string" },
  replace: { type: "boolean" },
  interactive: { type: "boolean", short: "i" },
  "log-driver": { type: "string" },
  "conmon-pidfile": { type: "string" },
  "sig-proxy": { type: "boolean", default: true },
  "cap-add": { type: "string", multiple: true },
  "cap-drop": { type: "string", multiple: true },
  tty: { type: "boolean", short: "t" },
  ulimit: { type: "string", multiple: true },
  memory: { type: "string", short: "m" },
  "memory-swap": { type: "string" },
  cpus: { type: "string" },
  "cpu-shares": { type: "string", short: "c" },
  "pids-limit": { type: "string" },
  tmpfs: { type: "string", multiple: true },
  mount: { type: "string", multiple: true },
  label: { type: "string", short: "l", multiple: true },
  "label-file": { type: "string", multiple: true },
  "add-host": { type: "string", multiple: true },
  dns: { type: "string", multiple: true },
  "dns-search": { type: "string", multiple: true },
  "dns-option": { type: "string", multiple: true },
  "security-opt": { type: "string", multiple: true },
  privileged: { type: "boolean" },
  "group-add": { type: "string", multiple: true },
  "env-host": { type: "boolean" },
  // Ports: on the host network (or none) there is nothing to map; accepted with a warning.
  publish: { type: "string", short: "p", multiple: true },
  "publish-all": { type: "boolean", short: "P" },
  expose: { type: "string", multiple: true },
  quiet: { type: "boolean", short: "q" },
  restart: { type: "string" },
  // The OCI runtime of this container (name or path); the global --runtime when absent.
  runtime: { type: "string" },
  tz: { type: "string" },
  "device-cgroup-rule": { type: "string", multiple: true },
  "log-opt": { type: "string", multiple: true },
  // podman: "no longer supported … a noop"; accepted with its warning.
  "kernel-memory": { type: "string" },
  unsetenv: { type: "string", multiple: true },
  "unsetenv-all": { type: "boolean" },
  // true (systemd mode when the command is an init), false, always.
  systemd: { type: "string" },
  help: { type: "boolean" },
};

/** Flags of `run`: create's plus `--detach` and `--attach`. */
export const RUN_FLAGS: FlagTable = {
  ...CREATE_FLAGS,
  detach: { type: "boolean", short: "d" },
  attach: { type: "string", short: "a", multiple: true },
};

/** The isolation flags' notes in `create --help` and `run --help`. */
export const ISOLATION_HELP = `Isolation:
  --network host|none|bridge|container:CTR|NETWORK[,NETWORK]
                            host is the default: the container shares the host's network
                            stack (its interfaces, ports, loopback services and abstract
                            unix sockets); none gives it a loopback interface only; bridge
                            (the default network "berth", no DNS) or a network made by
                            berth network create give it its own namespace on that bridge
                            (-p publishes ports, --network-alias adds names; --ip and
                            --mac-address pick its address)
  --security-opt seccomp=unconfined|FILE
                            berth's default seccomp profile applies unless unconfined or
                            another profile (containers-common format) is given
  --security-opt no-new-privileges
  --privileged              every capability, every device, writable /sys and cgroups, no
                            masked paths, no seccomp filter (unless seccomp=FILE)
`;

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
  return {
    ...registryOptions(engine.opts, p, parseReference(ref).registry),
    platform: platform ? parsePlatform(platform) : undefined,
    // Progress on a terminal; -q/--quiet: none even there.
    onEvent: pullProgress(!bool(p, "quiet") && Deno.stderr.isTerminal()),
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
