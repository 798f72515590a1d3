/**
 * Parsers for the `create`/`run` flags that shape a container's limits, mounts, labels and
 * name resolution (`--ulimit`, `-m`, `--cpus`, `--tmpfs`, `--mount`, `--label`, `--add-host`,
 * `--dns`, `--security-opt`, `-p`). Pure functions: each turns flag text into spec data or
 * throws a one-line {@linkcode UsageError}.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import type { DeviceRule, ResourceSpec, TmpfsSpec, VolumeSpec } from "../spec.ts";
import { RLIM_INFINITY, type Rlimit } from "../oci/limits.ts";

export { RLIM_INFINITY };

const ULIMITS: Record<string, string> = {
  as: "RLIMIT_AS",
  core: "RLIMIT_CORE",
  cpu: "RLIMIT_CPU",
  data: "RLIMIT_DATA",
  fsize: "RLIMIT_FSIZE",
  locks: "RLIMIT_LOCKS",
  memlock: "RLIMIT_MEMLOCK",
  msgqueue: "RLIMIT_MSGQUEUE",
  nice: "RLIMIT_NICE",
  nofile: "RLIMIT_NOFILE",
  nproc: "RLIMIT_NPROC",
  rss: "RLIMIT_RSS",
  rtprio: "RLIMIT_RTPRIO",
  rttime: "RLIMIT_RTTIME",
  sigpending: "RLIMIT_SIGPENDING",
  stack: "RLIMIT_STACK",
};

/**
 * `--ulimit NAME=SOFT[:HARD]` (`-1` is unlimited; HARD defaults to SOFT).
 *
 * @throws {UsageError} for an unknown name, a bad number, or SOFT above HARD
 */
export function parseUlimit(arg: string): Rlimit {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(arg);
  const type = m ? ULIMITS[m[1]] : undefined;
  if (!m || !type) {
    throw new UsageError(
      `invalid ulimit "${arg}": expected NAME=SOFT[:HARD], e.g. nofile=1024:2048`,
    );
  }
  const value = (s: string) => s === "-1" ? RLIM_INFINITY : Number(s);
  const soft = value(m[2]);
  const hard = m[3] === undefined ? soft : value(m[3]);
  if ((m[2].startsWith("-") && m[2] !== "-1") || (m[3]?.startsWith("-") && m[3] !== "-1")) {
    throw new UsageError(`invalid ulimit "${arg}": limits are non-negative or -1 (unlimited)`);
  }
  if (soft > hard) throw new UsageError(`invalid ulimit "${arg}": soft limit above hard limit`);
  return { type, soft, hard };
}

/**
 * A size with an optional unit (`b`, `k`, `m`, `g`, `t`, optionally followed by `b`;
 * binary multiples, as podman), e.g. `512m`.
 *
 * @throws {UsageError} on anything else
 */
export function parseBytes(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)b?$/i.exec(text);
  if (!m) throw new UsageError(`invalid size "${text}" for ${flag}: e.g. 512m or 2g`);
  const unit = { "": 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[
    m[2].toLowerCase() as "" | "b" | "k" | "m" | "g" | "t"
  ];
  return Math.floor(Number(m[1]) * unit);
}

/** Raw values of the resource flags, as given. */
export interface ResourceFlags {
  memory?: string;
  memorySwap?: string;
  cpus?: string;
  cpuShares?: string;
  pidsLimit?: string;
}

/**
 * `-m/--memory`, `--memory-swap` (-1 = unlimited), `--cpus`, `--cpu-shares`, `--pids-limit`
 * (0 or -1 = unlimited) into cgroup settings; undefined when none is given.
 *
 * @throws {UsageError} on a bad value
 */
export function parseResources(f: ResourceFlags): ResourceSpec | undefined {
  const r: ResourceSpec = {};
  // 0 is podman's "no limit", as if the flag were not given.
  const memory = f.memory === undefined ? 0 : parseBytes(f.memory, "--memory");
  if (memory > 0) {
    r.memory = memory;
    if (r.memory < 6 * 2 ** 20) throw new UsageError("--memory: the minimum is 6MB");
  }
  if (f.memorySwap !== undefined) {
    r.memorySwap = f.memorySwap === "-1" ? -1 : parseBytes(f.memorySwap, "--memory-swap");
    if (r.memory === undefined) {
      throw new UsageError("--memory-swap needs --memory as well");
    }
    if (r.memorySwap !== -1 && r.memorySwap < r.memory) {
      throw new UsageError("--memory-swap must be at least --memory (it counts memory plus swap)");
    }
  }
  if (f.cpus !== undefined) {
    const cpus = Number(f.cpus);
    if (!/^\d+(\.\d+)?$/.test(f.cpus) || cpus <= 0) {
      throw new UsageError(`invalid --cpus "${f.cpus}": a positive number, e.g. 1.5`);
    }
    r.cpuQuota = Math.round(cpus * 100_000);
    r.cpuPeriod = 100_000;
  }
  if (f.cpuShares !== undefined) {
    if (!/^\d+$/.test(f.cpuShares) || Number(f.cpuShares) < 2) {
      throw new UsageError(`invalid --cpu-shares "${f.cpuShares}": a whole number from 2`);
    }
    r.cpuShares = Number(f.cpuShares);
  }
  if (f.pidsLimit !== undefined) {
    if (!/^-?\d+$/.test(f.pidsLimit) || Number(f.pidsLimit) < -1) {
      throw new UsageError(`invalid --pids-limit "${f.pidsLimit}": a whole number, or -1`);
    }
    const n = Number(f.pidsLimit);
    if (n > 0) r.pidsLimit = n;
  }
  return Object.keys(r).length ? r : undefined;
}

/** podman's default options of a `--tmpfs` mount. */
const TMPFS_DEFAULTS = ["rw", "noexec", "nosuid", "nodev"];

/**
 * `--tmpfs PATH[:OPTIONS]`.
 *
 * @throws {UsageError} for a relative path
 */
export function parseTmpfs(arg: string): TmpfsSpec {
  const colon = arg.indexOf(":");
  const destination = colon === -1 ? arg : arg.slice(0, colon);
  if (!destination.startsWith("/")) {
    throw new UsageError(`invalid --tmpfs "${arg}": the path must be absolute`);
  }
  const given = colon === -1 ? [] : arg.slice(colon + 1).split(",").filter(Boolean);
  return { destination, options: mergeMountOptions(TMPFS_DEFAULTS, given) };
}

/** Later options win over earlier ones of the same kind (`exec` over `noexec`, `size=`). */
function mergeMountOptions(defaults: string[], given: string[]): string[] {
  const key = (o: string) => o.includes("=") ? o.slice(0, o.indexOf("=")) : o.replace(/^no/, "");
  const out = new Map<string, string>();
  for (const o of [...defaults, ...given]) out.set(key(o === "ro" ? "rw" : o), o);
  return [...out.values()];
}

/**
 * `--mount type=bind,source=…,target=…[,readonly]` or `type=tmpfs,target=…[,tmpfs-size=…]
 * [,tmpfs-mode=…]`.
 *
 * @throws {UsageError} for other types (named volumes) or missing keys
 */
export function parseMount(
  arg: string,
): { bind: Omit<VolumeSpec, "source"> & { source: string } } | { tmpfs: TmpfsSpec } {
  const fields = new Map<string, string>();
  for (const part of arg.split(",")) {
    const eq = part.indexOf("=");
    fields.set(eq === -1 ? part : part.slice(0, eq), eq === -1 ? "true" : part.slice(eq + 1));
  }
  const type = fields.get("type") ?? "volume";
  const target = fields.get("target") ?? fields.get("destination") ?? fields.get("dst") ??
    fields.get("dest");
  if (!target || !target.startsWith("/")) {
    throw new UsageError(`invalid --mount "${arg}": an absolute target= is required`);
  }
  const readOnly = ["true", "1"].includes(fields.get("readonly") ?? fields.get("ro") ?? "false");
  if (type === "bind") {
    const source = fields.get("source") ?? fields.get("src");
    if (!source) throw new UsageError(`invalid --mount "${arg}": source= is required`);
    return { bind: { source, destination: target, readOnly } };
  }
  if (type === "tmpfs") {
    const given: string[] = [];
    if (fields.has("tmpfs-size")) given.push(`size=${fields.get("tmpfs-size")}`);
    if (fields.has("tmpfs-mode")) given.push(`mode=${fields.get("tmpfs-mode")}`);
    if (readOnly) given.push("ro");
    return { tmpfs: { destination: target, options: mergeMountOptions(TMPFS_DEFAULTS, given) } };
  }
  throw new UsageError(
    `invalid --mount "${arg}": type ${type} is not supported (bind and tmpfs are; named volumes are not)`,
  );
}

/**
 * `--label K=V` / `--label K` lines (also of `--label-file`) into a map; later ones win.
 *
 * @throws {UsageError} for an empty key
 */
export function parseLabels(entries: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf("=");
    const key = eq === -1 ? e : e.slice(0, eq);
    if (!key.trim()) throw new UsageError(`invalid label "${e}": the key is empty`);
    labels[key] = eq === -1 ? "" : e.slice(eq + 1);
  }
  return labels;
}

/**
 * `--add-host HOST:IP` (docker's form; `HOST=IP` too) into an `/etc/hosts` line.
 *
 * @throws {UsageError} when either part is missing
 */
export function parseAddHost(arg: string): string {
  const sep = arg.includes("=") ? arg.indexOf("=") : arg.indexOf(":");
  const host = arg.slice(0, sep);
  const ip = arg.slice(sep + 1).replace(/^\[(.*)\]$/, "$1");
  if (sep <= 0 || !ip || !/^[A-Za-z0-9.-]+$/.test(host)) {
    throw new UsageError(`invalid --add-host "${arg}": expected HOST:IP`);
  }
  return `${ip}\t${host}`;
}

/** What `--security-opt` asked for. */
export interface SecurityOptions {
  noNewPrivileges: boolean;
  /** `seccomp=unconfined`, or `seccomp=FILE` (the path as given). */
  seccomp?: "unconfined" | { file: string };
  /** The kinds given that berth does not apply (`label`, `apparmor`, `mask`, ...), once each. */
  notApplied: string[];
}

/** The `--security-opt` kinds berth accepts (podman's) but has nothing to apply them with. */
const NOT_APPLIED = ["label", "apparmor", "mask", "unmask", "proc-opts"];

/**
 * `--security-opt` values: `no-new-privileges[=true|false]`, `seccomp=unconfined|FILE` (the
 * last one wins). podman's `label=`, `apparmor=`, `mask=`, `unmask=` and `proc-opts=` are
 * accepted and listed in `notApplied`, for the caller to warn about.
 *
 * @throws {UsageError} for anything else
 */
export function parseSecurityOpts(opts: string[]): SecurityOptions {
  const out: SecurityOptions = { noNewPrivileges: false, notApplied: [] };
  for (const o of opts) {
    if (/^(no-new-privileges)([:=]true)?$/.test(o)) out.noNewPrivileges = true;
    else if (/^no-new-privileges[:=]false$/.test(o)) out.noNewPrivileges = false;
    else if (/^seccomp[=:]/.test(o)) {
      const value = o.slice("seccomp=".length);
      if (!value) throw new UsageError(`invalid --security-opt "${o}": seccomp=unconfined|FILE`);
      out.seccomp = value === "unconfined" ? "unconfined" : { file: value };
    } else {
      const kind = /^([a-z-]+)[=:]/.exec(o)?.[1];
      if (!kind || !NOT_APPLIED.includes(kind)) {
        throw new UsageError(`invalid --security-opt "${o}"`);
      }
      if (!out.notApplied.includes(kind)) out.notApplied.push(kind);
    }
  }
  return out;
}

/**
 * `--device-cgroup-rule "TYPE MAJOR:MINOR ACCESS"` (`c 7:* rmw`, `a 7 rmw`; `*` = any), with
 * podman's messages, which its system tests check word for word.
 *
 * @throws {UsageError} for a malformed rule
 */
export function parseDeviceRule(rule: string): DeviceRule {
  const fields = rule.split(" ");
  if (fields.length !== 3) {
    throw new UsageError(
      `invalid device cgroup rule requires type, major:Minor, and access rules: ${
        JSON.stringify(rule)
      }`,
    );
  }
  const [type, numbers, access] = fields;
  if (type !== "a" && type !== "b" && type !== "c") {
    throw new UsageError(`invalid device type in device-access-add: ${type}`);
  }
  const [major, minor] = numbers.split(":", 2).concat(numbers.includes(":") ? [] : ["*"]);
  for (const c of access) {
    if (!"rwm".includes(c)) {
      throw new UsageError(`invalid device access in device-access-add: ${c}`);
    }
  }
  const number = (n: string) => {
    if (n === "*") return undefined;
    // Go's strconv wording: podman passes its error through as it is.
    if (!/^\d+$/.test(n)) throw new UsageError(`strconv.ParseUint: parsing "${n}": invalid syntax`);
    return Number(n);
  };
  return { type, major: number(major), minor: number(minor), access };
}

const DECIMAL_UNITS: Record<string, number> = { "": 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 };

/**
 * A size in decimal units as go-units' `FromHumanSize` reads it (podman's `--log-opt
 * max-size`): `1.085m` = 1 085 000 bytes; `k`, `m`, `g`, `t`, `p`, optionally `b`/`ib`.
 *
 * @throws {UsageError} for anything else
 */
export function parseDecimalSize(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kmgtp])?i?b?$/i.exec(text);
  if (!m) throw new UsageError(`invalid size "${text}" for ${flag}: e.g. 10m or 1.5g`);
  return Math.floor(Number(m[1]) * DECIMAL_UNITS[(m[2] ?? "").toLowerCase()]);
}

/**
 * `--log-opt KEY=VALUE` entries: berth applies `max-size` (conmon rotates the log there).
 *
 * @throws {UsageError} for a malformed entry or an option berth cannot apply
 */
export function parseLogOpts(opts: string[]): { maxSize?: number } {
  const out: { maxSize?: number } = {};
  for (const o of opts) {
    const eq = o.indexOf("=");
    if (eq <= 0) throw new UsageError(`invalid log option "${o}": expected KEY=VALUE`);
    const key = o.slice(0, eq).toLowerCase();
    if (key !== "max-size") {
      throw new UsageError(`unsupported log option "${o}": berth applies max-size only`);
    }
    out.maxSize = parseDecimalSize(o.slice(eq + 1), "--log-opt max-size");
  }
  return out;
}

/**
 * go-units' `HumanSizeWithPrecision(n, 4)`, podman's text for a log size in `inspect`: four
 * significant digits, decimal units (`1.085MB`, `500kB`, `0B`).
 */
export function humanSizeDecimal(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB"];
  let n = bytes;
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  // %g drops trailing zeros.
  const digits = Number(n.toPrecision(4)).toString();
  return `${digits}${units[i]}`;
}

/**
 * `--tz`: `local`, or a zone that exists under /usr/share/zoneinfo (as Go's LoadLocation).
 *
 * @throws {UsageError} for an unknown zone
 */
export function checkTimezone(tz: string, zoneinfo = "/usr/share/zoneinfo"): string {
  if (tz === "local") return tz;
  let ok = false;
  if (tz && !tz.startsWith("/") && !tz.split("/").includes("..")) {
    try {
      ok = Deno.statSync(`${zoneinfo}/${tz}`).isFile;
    } catch { /* unknown */ }
  }
  if (!ok) throw new UsageError(`finding timezone: unknown time zone ${tz}`);
  return tz;
}
