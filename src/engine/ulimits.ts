/**
 * `--ulimit NAME=SOFT[:HARD]` (and the API's `Ulimits`) into an rlimit, for both front ends.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { RLIM_INFINITY, type Rlimit } from "../oci/limits.ts";

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
 * The ulimits a container asks for (`--ulimit`, the API's `Ulimits`), after the defaults (`NAME=SOFT[:HARD]` texts) for the limits they do
 * not set: one asked for replaces the default of its own limit only.
 */
export function withDefaultUlimits(given: Rlimit[], defaults: string[]): Rlimit[] {
  const set = new Set(given.map((u) => u.type));
  return [...defaults.map(parseUlimit).filter((u) => !set.has(u.type)), ...given];
}
