/**
 * `top`'s format descriptors, as podman's psgo names, titles and prints them (`user`, `pid`,
 * `pcpu`, `capeff`, …, and the AIX codes `%U`, `%p`, …): each a column title and a pure
 * function of one process and what the whole table shares.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { ALL_CAPS } from "../oci/config.ts";
import type { ProcInfo } from "./proc.ts";

/** What every row of one table shares. */
export interface TopContext {
  /** Milliseconds since the epoch (with a fraction), once per table. */
  now: number;
  /** Boot time, ms since the epoch (`/proc/stat`'s `btime`). */
  bootMs: number;
  /** Host PID → PID in the container (for the parent column). */
  nsPids: Map<number, number>;
  /** Names from the container's `/etc/passwd` and `/etc/group`. */
  user(uid: number): string;
  group(gid: number): string;
  /** Names from the host's files, the id mapped through the process's user namespace. */
  hostUser(p: ProcInfo, uid: number): string;
  hostGroup(p: ProcInfo, gid: number): string;
  /** The process's security label, "?" without SELinux. */
  label(p: ProcInfo): string;
  /** `/proc/sys/kernel/cap_last_cap`. */
  lastCap: number;
}

/** One column. */
export interface Descriptor {
  name: string;
  /** psgo's AIX code (`%U`), when it has one. */
  code?: string;
  title: string;
  value(p: ProcInfo, ctx: TopContext): string;
}

/** `/proc`'s clock ticks per second (USER_HZ, fixed at 100 for every user-space ABI). */
const TICKS = 100;

/** Go's `time.Duration.String()` of `ns` nanoseconds (`0s`, `10ms`, `1m2.5s`). */
export function goDuration(ns: number): string {
  ns = Math.round(ns);
  if (ns === 0) return "0s";
  const sign = ns < 0 ? "-" : "";
  ns = Math.abs(ns);
  const frac = (v: number, digits: number) => {
    const whole = Math.floor(v / 10 ** digits);
    const rest = String(v % 10 ** digits).padStart(digits, "0").replace(/0+$/, "");
    return rest ? `${whole}.${rest}` : String(whole);
  };
  if (ns < 1_000) return `${sign}${ns}ns`;
  if (ns < 1_000_000) return `${sign}${frac(ns, 3)}µs`;
  if (ns < 1_000_000_000) return `${sign}${frac(ns, 6)}ms`;
  const h = Math.floor(ns / 3_600_000_000_000);
  const m = Math.floor(ns / 60_000_000_000) % 60;
  const s = `${frac(ns % 60_000_000_000, 9)}s`;
  if (h) return `${sign}${h}h${m}m${s}`;
  if (m) return `${sign}${m}m${s}`;
  return `${sign}${s}`;
}

/** Go's `time.Time.String()` to the second: `2026-12-07 23:59:04 +0000 UTC`. */
export function goTime(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const p2 = (n: number) => String(n).padStart(2, "0");
  const zone = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(d)
    .find((x) => x.type === "timeZoneName")?.value ?? "";
  const sign = off < 0 ? "-" : "+";
  const a = Math.abs(off);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ` +
    `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ` +
    `${sign}${p2(Math.floor(a / 60))}${p2(a % 60)} ${off === 0 && zone === "UTC" ? "UTC" : zone}`;
}

/** A capability mask as psgo prints it: sorted names, `none`, or `full`. */
export function capNames(mask: bigint, lastCap: number): string {
  if (mask === 0n) return "none";
  const full = (1n << BigInt(lastCap + 1)) - 1n;
  if ((mask & full) === full) return "full";
  const names: string[] = [];
  for (let bit = 0; bit <= 63; bit++) {
    if (mask & (1n << BigInt(bit))) {
      names.push(ALL_CAPS[bit]?.replace(/^CAP_/, "") ?? `CAP_${bit}`);
    }
  }
  return names.sort().join(",");
}

/** A terminal's name from `stat`'s `tty_nr` (`pts/0`), `?` for none. */
export function ttyName(nr: number): string {
  if (nr === 0) return "?";
  const major = (nr >> 8) & 0xfff;
  const minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${(major - 136) * 256 + minor}`;
  if (major === 4) return minor < 64 ? `tty${minor}` : `ttyS${minor - 64}`;
  if (major === 5 && minor === 0) return "tty";
  if (major === 5 && minor === 1) return "console";
  return "?";
}

const startMs = (p: ProcInfo, ctx: TopContext) => ctx.bootMs + p.startTicks * 1000 / TICKS;
const elapsedNs = (p: ProcInfo, ctx: TopContext) => (ctx.now - startMs(p, ctx)) * 1e6;
const cpuNs = (p: ProcInfo) => p.cpuTicks * 1e9 / TICKS;

/** The page size in KiB: `stat`'s RSS is in pages, 4 KiB on every host berth runs on. */
const PAGE_KIB = 4;

const SECCOMP = ["disabled", "strict", "filter"];

/** Every descriptor, in psgo's order. */
export const DESCRIPTORS: Descriptor[] = [
  {
    name: "args",
    code: "%a",
    title: "COMMAND",
    value: (p) => p.argv.length ? p.argv.join(" ") : `[${p.comm}]`,
  },
  { name: "capamb", title: "AMBIENT CAPS", value: (p, c) => capNames(p.caps.amb, c.lastCap) },
  { name: "capbnd", title: "BOUNDING CAPS", value: (p, c) => capNames(p.caps.bnd, c.lastCap) },
  { name: "capeff", title: "EFFECTIVE CAPS", value: (p, c) => capNames(p.caps.eff, c.lastCap) },
  { name: "capinh", title: "INHERITED CAPS", value: (p, c) => capNames(p.caps.inh, c.lastCap) },
  { name: "capprm", title: "PERMITTED CAPS", value: (p, c) => capNames(p.caps.prm, c.lastCap) },
  { name: "comm", code: "%c", title: "COMMAND", value: (p) => p.comm },
  { name: "etime", code: "%t", title: "ELAPSED", value: (p, c) => goDuration(elapsedNs(p, c)) },
  { name: "gid", title: "GID", value: (p) => String(p.gids[1]) },
  { name: "group", code: "%G", title: "GROUP", value: (p, c) => c.group(p.gids[1]) },
  { name: "groups", title: "GROUPS", value: (p, c) => p.groups.map((g) => c.group(g)).join(",") },
  { name: "hgroup", title: "HGROUP", value: (p, c) => c.hostGroup(p, p.gids[1]) },
  {
    name: "hgroups",
    title: "HGROUPS",
    value: (p, c) => p.groups.map((g) => c.hostGroup(p, g)).join(","),
  },
  { name: "hpid", title: "HPID", value: (p) => String(p.pid) },
  { name: "huser", title: "HUSER", value: (p, c) => c.hostUser(p, p.uids[1]) },
  { name: "label", title: "LABEL", value: (p, c) => c.label(p) },
  { name: "nice", code: "%n", title: "NI", value: (p) => String(p.nice) },
  {
    name: "pcpu",
    code: "%C",
    title: "%CPU",
    value: (p, c) => {
      const elapsed = elapsedNs(p, c);
      return (elapsed > 0 ? 100 * cpuNs(p) / elapsed : 0).toFixed(3);
    },
  },
  { name: "pgid", code: "%r", title: "PGID", value: (p) => String(p.nsPgid) },
  { name: "pid", code: "%p", title: "PID", value: (p) => String(p.nsPid) },
  { name: "ppid", code: "%P", title: "PPID", value: (p, c) => String(c.nsPids.get(p.ppid) ?? 0) },
  { name: "rgroup", code: "%g", title: "RGROUP", value: (p, c) => c.group(p.gids[0]) },
  { name: "rss", title: "RSS", value: (p) => String(p.rssPages * PAGE_KIB) },
  { name: "ruser", code: "%u", title: "RUSER", value: (p, c) => c.user(p.uids[0]) },
  { name: "seccomp", title: "SECCOMP", value: (p) => SECCOMP[p.seccomp] ?? "?" },
  { name: "state", title: "STATE", value: (p) => p.state },
  { name: "stime", title: "STIME", value: (p, c) => goTime(startMs(p, c)) },
  { name: "time", code: "%x", title: "TIME", value: (p) => goDuration(cpuNs(p)) },
  { name: "tty", code: "%y", title: "TTY", value: (p) => ttyName(p.ttyNr) },
  { name: "uid", title: "UID", value: (p) => String(p.uids[1]) },
  { name: "user", code: "%U", title: "USER", value: (p, c) => c.user(p.uids[1]) },
  { name: "vsz", code: "%z", title: "VSZ", value: (p) => String(Math.floor(p.vsize / 1024)) },
];

/** podman's default columns. */
export const DEFAULT_DESCRIPTORS = ["user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args"];

/**
 * The descriptors `args` name: each argument may hold several, comma-separated (`pid,user`),
 * as podman allows; none means podman's default set.
 *
 * @throws {UsageError} for a name that is no descriptor, or a ps(1) option (`-ef`)
 */
export function parseDescriptors(args: string[]): Descriptor[] {
  const names = args.flatMap((a) => a.split(",")).filter((s) => s !== "");
  const options = names.filter((n) => n.startsWith("-"));
  if (options.length) {
    throw new UsageError(
      `ps(1) options are not supported (${options.join(" ")}): berth never runs ps in the ` +
        `container; name format descriptors instead (e.g. berth top CONTAINER pid,user,args)`,
    );
  }
  return (names.length ? names : DEFAULT_DESCRIPTORS).map((n) => {
    const d = DESCRIPTORS.find((x) => x.name === n || x.code === n);
    if (!d) {
      throw new UsageError(
        `unknown descriptor "${n}" (known: ${DESCRIPTORS.map((x) => x.name).join(",")})`,
      );
    }
    return d;
  });
}
