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

const NAMES: Record<string, string> = {
  "Max open files": "RLIMIT_NOFILE",
  "Max processes": "RLIMIT_NPROC",
};

/**
 * Parse `/proc/self/limits` text into OCI rlimits for NOFILE and NPROC ("unlimited" is
 * left out: the container inherits it).
 */
export function parseLimits(text: string): Rlimit[] {
  const out: Rlimit[] = [];
  for (const line of text.split("\n")) {
    for (const [label, type] of Object.entries(NAMES)) {
      if (!line.startsWith(label)) continue;
      const [soft, hard] = line.slice(label.length).trim().split(/\s+/);
      if (/^\d+$/.test(soft) && /^\d+$/.test(hard)) {
        out.push({ type, soft: Number(soft), hard: Number(hard) });
      }
    }
  }
  return out;
}

/** The current process's NOFILE and NPROC limits. */
export function hostRlimits(): Rlimit[] {
  try {
    return parseLimits(Deno.readTextFileSync("/proc/self/limits"));
  } catch {
    return [];
  }
}
