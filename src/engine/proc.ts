/**
 * Reading a container's processes from the host's `/proc`: its first process and every
 * descendant, each with what `stat`, `status`, `cmdline` and `comm` say. Nothing is run (no
 * `ps`, no `nsenter`): a container's image can never put a program in the way.
 *
 * @module
 */

/** One process as `/proc/<pid>` describes it (host view; the namespace view in `ns*`). */
export interface ProcInfo {
  /** Host PID. */
  pid: number;
  /** Host PID of the parent. */
  ppid: number;
  /** PID inside the innermost PID namespace (`NSpid`'s last entry). */
  nsPid: number;
  /** Process group inside the innermost PID namespace (`NSpgid`'s last entry). */
  nsPgid: number;
  /** Field 3 of `stat`: R, S, D, Z, T… */
  state: string;
  /** `stat`'s `tty_nr` (0: none). */
  ttyNr: number;
  /** User and system time, in clock ticks. */
  cpuTicks: number;
  nice: number;
  /** Start, in clock ticks after boot. */
  startTicks: number;
  /** Virtual size in bytes. */
  vsize: number;
  /** Resident set in pages. */
  rssPages: number;
  /** The command line's arguments (empty for a kernel thread or a zombie). */
  argv: string[];
  /** `comm`. */
  comm: string;
  /** Real, effective, saved, filesystem uid (`status`'s `Uid:`). */
  uids: number[];
  /** Real, effective, saved, filesystem gid. */
  gids: number[];
  /** Supplementary groups. */
  groups: number[];
  /** `CapInh`, `CapPrm`, `CapEff`, `CapBnd`, `CapAmb` as bit masks. */
  caps: Record<"inh" | "prm" | "eff" | "bnd" | "amb", bigint>;
  /** `Seccomp:` 0, 1 or 2. */
  seccomp: number;
}

/** `stat`'s fields after the `(comm)` (index 0 is field 3, the state). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** `pid`'s parent from `/proc/<pid>/stat`, or undefined when it is gone. */
export function parentOf(pid: number): number | undefined {
  const f = statFields(pid);
  return f ? Number(f[1]) : undefined;
}

/** `status`'s `Key:` lines as key → value. */
export function parseStatus(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split("\n")) {
    const i = line.indexOf(":");
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return m;
}

const numbers = (s: string | undefined) => (s ?? "").split(/\s+/).filter(Boolean).map(Number);
const hexMask = (s: string | undefined) => BigInt(`0x${s || "0"}`);

/** The process `pid`, or undefined when it is gone (or its files cannot be read). */
export function readProc(pid: number): ProcInfo | undefined {
  const f = statFields(pid);
  if (!f) return undefined;
  let status: Map<string, string>;
  let cmdline: string;
  let comm: string;
  try {
    status = parseStatus(Deno.readTextFileSync(`/proc/${pid}/status`));
    cmdline = Deno.readTextFileSync(`/proc/${pid}/cmdline`);
    comm = Deno.readTextFileSync(`/proc/${pid}/comm`).replace(/\n$/, "");
  } catch {
    return undefined;
  }
  return {
    pid,
    ppid: Number(f[1]),
    nsPid: numbers(status.get("NSpid")).at(-1) ?? pid,
    nsPgid: numbers(status.get("NSpgid")).at(-1) ?? Number(f[2]),
    state: f[0],
    ttyNr: Number(f[4]),
    cpuTicks: Number(f[11]) + Number(f[12]),
    nice: Number(f[16]),
    startTicks: Number(f[19]),
    vsize: Number(f[20]),
    rssPages: Number(f[21]),
    // podman's psgo splits at every NUL, so the final one leaves an empty last argument.
    argv: cmdline === "" ? [] : cmdline.split("\0"),
    comm,
    uids: numbers(status.get("Uid")),
    gids: numbers(status.get("Gid")),
    groups: numbers(status.get("Groups")),
    caps: {
      inh: hexMask(status.get("CapInh")),
      prm: hexMask(status.get("CapPrm")),
      eff: hexMask(status.get("CapEff")),
      bnd: hexMask(status.get("CapBnd")),
      amb: hexMask(status.get("CapAmb")),
    },
    seccomp: Number(status.get("Seccomp") ?? 0),
  };
}

/** Every host PID with its parent, from one pass over `/proc`. */
function childrenMap(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    const pid = Number(e.name);
    const ppid = parentOf(pid);
    if (ppid === undefined) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  return children;
}

/**
 * The host PIDs of `root` and its descendants, depth first, each after its parent, siblings
 * in PID order. Empty when `root` is not a live process.
 */
export function processTree(root: number): number[] {
  if (root <= 0 || parentOf(root) === undefined) return [];
  const children = childrenMap();
  const pids: number[] = [];
  const visit = (pid: number) => {
    pids.push(pid);
    for (const c of (children.get(pid) ?? []).sort((a, b) => a - b)) visit(c);
  };
  visit(root);
  return pids;
}
