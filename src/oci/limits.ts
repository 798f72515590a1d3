/**
 * The caller's own resource limits, from `/proc/self/limits`. A container asks for no more
 * than these: the runtime cannot raise a hard limit above the host's (no CAP_SYS_RESOURCE).
 *
 * @module
 */

/** One rlimit as the OCI spec writes it. */
export interface Rlimit {
  type: string;
  soft: number;
  hard: number;
}

/** `/proc/PID/limits` row labels and the rlimit each names. */
const LABELS: Record<string, string> = {
  "Max cpu time": "RLIMIT_CPU",
  "Max file size": "RLIMIT_FSIZE",
  "Max data size": "RLIMIT_DATA",
  "Max stack size": "RLIMIT_STACK",
  "Max core file size": "RLIMIT_CORE",
  "Max resident set": "RLIMIT_RSS",
  "Max processes": "RLIMIT_NPROC",
  "Max open files": "RLIMIT_NOFILE",
  "Max locked memory": "RLIMIT_MEMLOCK",
  "Max address space": "RLIMIT_AS",
  "Max file locks": "RLIMIT_LOCKS",
  "Max pending signals": "RLIMIT_SIGPENDING",
  "Max msgqueue size": "RLIMIT_MSGQUEUE",
  "Max nice priority": "RLIMIT_NICE",
  "Max realtime priority": "RLIMIT_RTPRIO",
  "Max realtime timeout": "RLIMIT_RTTIME",
};

/** The largest rlimit value: RLIM_INFINITY, what `-1` and "unlimited" mean. */
export const RLIM_INFINITY = 2 ** 64 - 1;

/** Every limit in `/proc/PID/limits` text ("unlimited" → {@linkcode RLIM_INFINITY}). */
export function parseProcLimits(text: string): Rlimit[] {
  const out: Rlimit[] = [];
  const value = (v: string) => v === "unlimited" ? RLIM_INFINITY : Number(v);
  for (const line of text.split("\n")) {
    for (const [label, type] of Object.entries(LABELS)) {
      if (!line.startsWith(label)) continue;
      const [soft, hard] = line.slice(label.length).trim().split(/\s+/);
      out.push({ type, soft: value(soft), hard: value(hard) });
    }
  }
  return out;
}

/**
 * The container's default rlimits from `/proc/self/limits` text: NOFILE and NPROC
 * ("unlimited" is left out: the container inherits it).
 */
export function parseLimits(text: string): Rlimit[] {
  return parseProcLimits(text).filter((r) =>
    (r.type === "RLIMIT_NOFILE" || r.type === "RLIMIT_NPROC") &&
    r.soft !== RLIM_INFINITY && r.hard !== RLIM_INFINITY
  );
}

/** The hard limit of each rlimit type, from `/proc/PID/limits` text. */
export function hostHardLimits(text: string): Record<string, number> {
  return Object.fromEntries(parseProcLimits(text).map((r) => [r.type, r.hard]));
}

/** This process's `/proc/self/limits` ("" where there is none). */
export function readProcLimits(): string {
  try {
    return Deno.readTextFileSync("/proc/self/limits");
  } catch {
    return "";
  }
}

/** The current process's NOFILE and NPROC limits. */
export function hostRlimits(): Rlimit[] {
  return parseLimits(readProcLimits());
}
