/**
 * Exact CPU time of an engine's processes: each command is started inside a private cgroup
 * (v1 `cpuacct`, or v2 `cpu.stat`), so its children — conmon, the runtime, the exit command —
 * are counted too, unless the engine moves them elsewhere (podman moves its conmon, and so its
 * cleanup process, to `libpod_parent/conmon`: for podman the figure is a lower bound).
 *
 * @module
 */

/** Where CPU accounting is mounted, from the text of `/proc/self/mountinfo`. */
export function findCpuacctMount(
  mountinfo: string,
): { path: string; version: 1 | 2 } | null {
  let v2: string | null = null;
  for (const line of mountinfo.split("\n")) {
    const [pre, post] = line.split(" - ");
    if (!pre || !post) continue;
    const point = pre.split(" ")[4];
    const [fstype, , opts = ""] = post.split(" ");
    if (fstype === "cgroup" && opts.split(",").includes("cpuacct")) {
      return { path: point, version: 1 };
    }
    if (fstype === "cgroup2" && v2 === null) v2 = point;
  }
  return v2 ? { path: v2, version: 2 } : null;
}

/** Microseconds of CPU in the text of a cgroup v2 `cpu.stat`. */
export function parseCpuStatUsec(text: string): number {
  return Number(text.match(/^usage_usec (\d+)$/m)?.[1] ?? 0);
}

/** A private accounting cgroup. */
export interface CpuGroup {
  path: string;
  /** `argv` prefixed so that the command joins the group first. */
  wrap(argv: string[]): string[];
  /** Total CPU of the group's processes so far, ms. */
  usageMs(): number;
  /** Processes in the group now. */
  procs(): number[];
  /** Delete the group (it must be empty); returns false if that failed. */
  remove(): boolean;
}

/** The shell prefix that moves itself into `group` and then execs the command. */
export function wrapArgv(group: string, argv: string[]): string[] {
  return ["/bin/sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', group, ...argv];
}

/** Create a private group named `name`; `null` if CPU accounting is not available. */
export function createCpuGroup(name: string): CpuGroup | null {
  const mount = findCpuacctMount(Deno.readTextFileSync("/proc/self/mountinfo"));
  if (!mount) return null;
  const path = `${mount.path}/${name}`;
  try {
    Deno.mkdirSync(path);
    if (mount.version === 2) Deno.readTextFileSync(`${path}/cpu.stat`);
    else Deno.readTextFileSync(`${path}/cpuacct.usage`);
  } catch {
    return null;
  }
  return {
    path,
    wrap: (argv) => wrapArgv(path, argv),
    usageMs: () =>
      mount.version === 2
        ? parseCpuStatUsec(Deno.readTextFileSync(`${path}/cpu.stat`)) / 1000
        : Number(Deno.readTextFileSync(`${path}/cpuacct.usage`).trim()) / 1e6,
    procs: () =>
      Deno.readTextFileSync(`${path}/cgroup.procs`).split("\n").filter(Boolean).map(Number),
    remove: () => {
      try {
        Deno.removeSync(path);
        return true;
      } catch {
        return false;
      }
    },
  };
}
