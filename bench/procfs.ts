/**
 * Reading `/proc`: process state, parent, resident memory and command lines. The parsers are
 * pure; the readers are synchronous so that a polling loop stays cheap and precise.
 *
 * @module
 */

/** What `/proc/PID/status` says about one process. */
export interface ProcStatus {
  /** One-letter state: R, S, D, Z, X, … */
  state: string;
  ppid: number;
  /** Resident set size in KiB (0 for kernel threads and zombies). */
  vmRssKb: number;
}

/** Parse the text of `/proc/PID/status`. */
export function parseStatus(text: string): ProcStatus {
  const field = (name: string): string | undefined =>
    text.match(new RegExp(`^${name}:\\s*(.*)$`, "m"))?.[1];
  const state = (field("State") ?? "?").trim().charAt(0) || "?";
  const ppid = Number.parseInt(field("PPid") ?? "0", 10);
  const rss = field("VmRSS")?.match(/^(\d+)\s*kB/);
  return { state, ppid: Number.isFinite(ppid) ? ppid : 0, vmRssKb: rss ? Number(rss[1]) : 0 };
}

/** Split the NUL-separated contents of `/proc/PID/cmdline` into arguments. */
export function parseCmdline(raw: string): string[] {
  const args = raw.split("\0");
  if (args.length > 0 && args[args.length - 1] === "") args.pop();
  return args;
}

/** The state letter in the text of `/proc/PID/stat` (the field after the `(comm)`). */
export function parseStatState(text: string): string {
  const close = text.lastIndexOf(")");
  if (close < 0) return "?";
  return text.slice(close + 2, close + 3) || "?";
}

/** The last path component of `path`. */
export function basename(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? path : path.slice(i + 1);
}

/** True if the process has exited: gone from `/proc`, or a zombie (`Z`/`X`) not yet reaped. */
export function processGone(pid: number): boolean {
  try {
    const s = parseStatState(Deno.readTextFileSync(`/proc/${pid}/stat`));
    return s === "Z" || s === "X";
  } catch {
    return true;
  }
}

/** The ids of all processes now in `/proc`. */
export function listPids(): number[] {
  const pids: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (/^\d+$/.test(e.name)) pids.push(Number(e.name));
  }
  return pids;
}

/** The command line of `pid`, or `null` if it is gone (or a kernel thread). */
export function readCmdline(pid: number): string[] | null {
  try {
    const args = parseCmdline(Deno.readTextFileSync(`/proc/${pid}/cmdline`));
    return args.length > 0 ? args : null;
  } catch {
    return null;
  }
}

/** The status of `pid`, or `null` if it is gone. */
export function readStatus(pid: number): ProcStatus | null {
  try {
    return parseStatus(Deno.readTextFileSync(`/proc/${pid}/status`));
  } catch {
    return null;
  }
}

/** The first live process whose command line satisfies `match`, or `null`. */
export function findProcess(match: (args: string[], pid: number) => boolean): number | null {
  for (const pid of listPids()) {
    const args = readCmdline(pid);
    if (args && match(args, pid) && !processGone(pid)) return pid;
  }
  return null;
}

/** The live children of `ppid` (found by scanning every process's `PPid`). */
export function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const pid of listPids()) {
    const st = readStatus(pid);
    if (st && st.ppid === ppid && st.state !== "Z" && st.state !== "X") out.push(pid);
  }
  return out;
}

/** Jiffies the machine's CPUs spent busy and in total, from the `cpu` line of `/proc/stat`. */
export interface CpuJiffies {
  busy: number;
  total: number;
}

/** Parse the aggregate `cpu` line of `/proc/stat` (busy = all but idle and iowait). */
export function parseProcStat(text: string): CpuJiffies {
  const line = text.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) return { busy: 0, total: 0 };
  // user nice system idle iowait irq softirq steal (guest, guest_nice are inside user/nice)
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
}

/** Jiffies per second (`getconf CLK_TCK`; 100 on Linux x86-64). */
export const CLK_TCK = 100;

/** The machine's CPU jiffies now. */
export function readCpuJiffies(): CpuJiffies {
  try {
    return parseProcStat(Deno.readTextFileSync("/proc/stat"));
  } catch {
    return { busy: 0, total: 0 };
  }
}
