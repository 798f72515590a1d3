/**
 * Is a process alive? Read from `/proc`, treating a zombie as dead: this machine's init reaps
 * orphans late, so `kill(pid, 0)` would call an exited conmon alive for about a second.
 *
 * @module
 */

/** What `/proc/PID/stat` says about a process. */
export type ProcState = "alive" | "zombie" | "gone";

/** The state of `pid` (0 or negative is "gone"). */
export function procState(pid: number): ProcState {
  if (!(pid > 0)) return "gone";
  let stat: string;
  try {
    stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch {
    return "gone";
  }
  const { state } = parseProcStat(stat);
  return state === "Z" || state === "X" ? "zombie" : "alive";
}

/** True if `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  return procState(pid) === "alive";
}

/**
 * Parse the fields berth needs from a `/proc/PID/stat` line (the command name may contain
 * spaces and parentheses, so split after the last `)`).
 *
 * @example
 * ```ts
 * parseProcStat("42 (conmon) S 1 42 42 0 -1").state; // "S"
 * ```
 */
export function parseProcStat(line: string): { comm: string; state: string; ppid: number } {
  const open = line.indexOf("(");
  const close = line.lastIndexOf(")");
  const rest = line.slice(close + 2).split(" ");
  return { comm: line.slice(open + 1, close), state: rest[0], ppid: Number(rest[1]) };
}

/** Read a decimal PID from a pidfile; undefined if absent or empty. */
export function readPidFile(path: string): number | undefined {
  try {
    const n = Number.parseInt(Deno.readTextFileSync(path).trim(), 10);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The PIDs of `pid`'s children (all threads). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
      const text = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/children`).trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch { /* gone */ }
  return out;
}

/**
 * True if `pid` is still the runtime's `init` (runc/crun waiting for `start`): the container's
 * own process has not begun.
 */
export function isRuntimeInit(pid: number): boolean {
  const argv = cmdline(pid);
  return /(^|\/)(runc|crun)$/.test(argv[0] ?? "") && argv[1] === "init";
}

/** The argv of `pid`, or [] if it is gone. */
export function cmdline(pid: number): string[] {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * True if conmon `pid` has started its exit command (`… container cleanup …`): it does that
 * only once the container is over, or when `runtime create` failed.
 */
export function runningExitCommand(pid: number): boolean {
  return childPids(pid).some((c) => {
    const argv = cmdline(c);
    const i = argv.indexOf("container");
    return i !== -1 && argv[i + 1] === "cleanup";
  });
}
