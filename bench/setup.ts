/**
 * Preparing and tearing down the bench's world: a temp base dir holding the busybox rootfs,
 * runc bundles, and private stores for berth, podman and runc; tool versions; the machine.
 *
 * @module
 */
import { type EngineSetup } from "./engines.ts";
import { execTimed, tail } from "./exec.ts";
import { capLimit, type OciSpec, parseLimits, patchSpec, writeBundle } from "./runc_bundle.ts";

/** Find an executable by name on PATH (or accept an absolute path); `null` if absent. */
export function which(name: string): string | null {
  const dirs = name.includes("/") ? [""] : (Deno.env.get("PATH") ?? "").split(":");
  for (const dir of dirs) {
    const p = dir ? `${dir}/${name}` : name;
    try {
      const st = Deno.statSync(p);
      if (st.isFile && ((st.mode ?? 0) & 0o111) !== 0) return p;
    } catch { /* not here */ }
  }
  return null;
}

/** Build a busybox root filesystem in `dir`: `/bin/busybox`, one symlink per applet. */
export async function buildRootfs(dir: string, busybox: string): Promise<number> {
  for (const d of ["bin", "proc", "sys", "dev", "tmp", "etc", "run", "root"]) {
    await Deno.mkdir(`${dir}/${d}`, { recursive: true });
  }
  await Deno.copyFile(busybox, `${dir}/bin/busybox`);
  await Deno.chmod(`${dir}/bin/busybox`, 0o755);
  const list = await execTimed([busybox, "--list"]);
  if (list.code !== 0) throw new Error(`busybox --list failed: ${tail(list.stderr)}`);
  const applets = list.stdout.split("\n").map((s) => s.trim()).filter((s) =>
    s && s !== "busybox" && !s.includes("/")
  );
  for (const a of applets) await Deno.symlink("busybox", `${dir}/bin/${a}`);
  await Deno.writeTextFile(`${dir}/etc/passwd`, "root:x:0:0:root:/root:/bin/sh\n");
  await Deno.writeTextFile(`${dir}/etc/group`, "root:x:0:\n");
  return applets.length;
}

/** RLIMIT_NOFILE and RLIMIT_NPROC for runc: 1024 each, capped to this process's hard limits. */
export function containerLimits(): { nofile: number; nproc: number } {
  const l = parseLimits(Deno.readTextFileSync("/proc/self/limits"));
  return {
    nofile: capLimit(1024, l["Max open files"]?.hard),
    nproc: capLimit(1024, l["Max processes"]?.hard),
  };
}

/** Write a runc bundle in `dir` running `args` on `rootfs`; returns the bundle dir. */
export async function makeBundle(
  template: OciSpec,
  dir: string,
  rootfs: string,
  args: string[],
): Promise<string> {
  await writeBundle(dir, patchSpec(template, { rootfs, args, ...containerLimits() }));
  return dir;
}

/** The binaries and berth entry point, as found or given on the command line. */
export type Tools = Pick<EngineSetup, "deno" | "berthMain" | "runtime" | "podman" | "runc">;

/** Create the private stores under `base` and return the engine setup (rootfs still empty). */
export async function makeDirs(base: string, tools: Tools): Promise<EngineSetup> {
  const s: EngineSetup = {
    ...tools,
    berthRoot: `${base}/berth/root`,
    berthRunroot: `${base}/berth/run`,
    podmanRoot: `${base}/podman/root`,
    podmanRunroot: `${base}/podman/run`,
    podmanTmpdir: `${base}/podman/tmp`,
    runcRoot: `${base}/runc-state`,
    rootfs: `${base}/rootfs`,
  };
  for (const d of [s.berthRoot, s.berthRunroot, s.podmanRoot, s.podmanRunroot, s.podmanTmpdir]) {
    await Deno.mkdir(d, { recursive: true });
  }
  await Deno.mkdir(s.runcRoot, { recursive: true });
  await Deno.mkdir(s.rootfs, { recursive: true });
  return s;
}

/** The first line of `cmd --version` (or of `args`), or `null` if it fails. */
export async function version(argv: string[]): Promise<string | null> {
  const r = await execTimed(argv, { timeoutMs: 15_000 });
  if (r.code !== 0) return null;
  return (r.stdout || r.stderr).trim().split("\n")[0] ?? null;
}

/** What the machine is. */
export interface MachineInfo {
  os: string;
  kernel: string;
  cpus: number;
  cpuModel: string;
  memTotalMb: number;
}

/** Describe this machine from `/etc/os-release`, `/proc` and Deno. */
export function machineInfo(): MachineInfo {
  const read = (p: string) => {
    try {
      return Deno.readTextFileSync(p);
    } catch {
      return "";
    }
  };
  const os = read("/etc/os-release").match(/^PRETTY_NAME="?([^"\n]*)"?/m)?.[1] ?? "unknown";
  const cpuModel = read("/proc/cpuinfo").match(/^model name\s*:\s*(.*)$/m)?.[1] ?? "unknown";
  const mem = Number(read("/proc/meminfo").match(/^MemTotal:\s*(\d+)/m)?.[1] ?? 0);
  return {
    os,
    kernel: Deno.osRelease(),
    cpus: navigator.hardwareConcurrency,
    cpuModel,
    memTotalMb: Math.round(mem / 1024),
  };
}

/** The 1, 5 and 15 minute load averages from `/proc/loadavg` (empty if unreadable). */
export function loadavg(): number[] {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).map(Number);
  } catch {
    return [];
  }
}

/** Mount points at or under `dir`, deepest first (from `/proc/self/mountinfo`). */
export function mountsUnder(dir: string, mountinfo: string): string[] {
  const points = mountinfo.split("\n").map((l) => l.split(" ")[4]).filter((p) =>
    p !== undefined && (p === dir || p.startsWith(dir + "/"))
  ).map((p) => p.replace(/\\040/g, " "));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Unmount whatever is left under `base` and delete it. Returns problems, not throwing. */
export async function removeBase(base: string): Promise<string[]> {
  const problems: string[] = [];
  for (const p of mountsUnder(base, Deno.readTextFileSync("/proc/self/mountinfo"))) {
    const r = await execTimed(["umount", "-l", p], { timeoutMs: 15_000 });
    if (r.code !== 0) problems.push(`umount ${p}: ${tail(r.stderr, 200)}`);
  }
  if (mountsUnder(base, Deno.readTextFileSync("/proc/self/mountinfo")).length > 0) {
    problems.push(`mounts remain under ${base}; not deleting it`);
    return problems;
  }
  try {
    await Deno.remove(base, { recursive: true });
  } catch (e) {
    problems.push(`remove ${base}: ${e instanceof Error ? e.message : e}`);
  }
  return problems;
}
