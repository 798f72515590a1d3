/**
 * Shared helpers of the stress suite (issue #3): leftover checks (containers, runtime state,
 * mounts, cgroups, processes), finding the processes that belong to one sandbox, a bounded
 * worker pool, and assertions on berth's one-line errors.
 *
 * Every process helper here matches on the sandbox's own directory in `/proc/PID/cmdline`,
 * so it never touches processes of other engineers on the same machine.
 *
 * @module
 */
import { join } from "node:path";
import { eventually, type Result, type Sandbox, withDb } from "../helpers.ts";
import { assert, assertEquals, assertMatch } from "../unit/assert.ts";

/** The suite's assertions are the test tree's one module (JSR's @std/assert is unreachable). */
export { assert, assertEquals, assertMatch };

/** Options for tests that spawn processes (berth, conmon, runc). */
export const SPAWNS = { sanitizeOps: false, sanitizeResources: false } as const;

/** Sleep `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The argv of process `pid` (empty when it is gone). */
export function cmdline(pid: number): string[] {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

/** True when `pid` exists and is not a zombie. */
export function alive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** PIDs (not zombies) whose argv mentions `needle`, excluding this process. */
export function pidsMatching(needle: string): number[] {
  const out: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    const pid = Number(e.name);
    if (pid === Deno.pid) continue;
    if (cmdline(pid).join(" ").includes(needle) && alive(pid)) out.push(pid);
  }
  return out;
}

/** Processes of this sandbox that are berth cleanup processes (`… container cleanup …`). */
export function cleanupPids(sb: Sandbox): number[] {
  return pidsMatching(sb.dir).filter((pid) => {
    const argv = cmdline(pid);
    const i = argv.indexOf("container");
    return i >= 0 && argv[i + 1] === "cleanup";
  });
}

/** SIGKILL `pid` if it still runs; only ever called on PIDs found by sandbox path. */
export function killPid(pid: number, sig: Deno.Signal = "SIGKILL"): boolean {
  try {
    Deno.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Lines of mountinfo that mention the sandbox's directory. */
export function sandboxMounts(sb: Sandbox): string[] {
  return Deno.readTextFileSync("/proc/self/mountinfo").split("\n").filter((l) =>
    l.includes(sb.dir)
  );
}

/**
 * cgroup directories `/sys/fs/cgroup/<controller>/<dirOf(id)>` (berth's `berth/<id>` unless
 * told otherwise) that still exist for `ids`.
 */
export function leftoverCgroups(
  ids: Iterable<string>,
  dirOf: (id: string) => string = (id) => `berth/${id}`,
): string[] {
  const out: string[] = [];
  let controllers: string[] = [];
  try {
    controllers = [...Deno.readDirSync("/sys/fs/cgroup")].map((e) => e.name);
  } catch { /* no cgroupfs */ }
  for (const id of ids) {
    for (const c of controllers) {
      const p = join("/sys/fs/cgroup", c, dirOf(id));
      try {
        Deno.statSync(p);
        out.push(p);
      } catch { /* gone: good */ }
    }
  }
  return out;
}

/**
 * The runtime's view of the sandbox: IDs listed by `runc --root <stateRoot> list` (berth's
 * `<runroot>/runtime/runc` unless told otherwise).
 */
export async function runtimeIds(
  sb: Sandbox,
  stateRoot = join(sb.runroot, "runtime", "runc"),
): Promise<string[]> {
  try {
    Deno.statSync(stateRoot);
  } catch {
    return [];
  }
  const r = await new Deno.Command("runc", {
    args: ["--root", stateRoot, "list", "-q"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(r.stdout);
  assertEquals(r.code, 0, `runc list failed: ${new TextDecoder().decode(r.stderr)}`);
  return text.split("\n").map((s) => s.trim()).filter(Boolean);
}

/** Everything berth leaves behind in a sandbox that should be empty. */
export interface Leftovers {
  containers: string[];
  runtime: string[];
  mounts: string[];
  cgroups: string[];
  processes: string[];
  exitFiles: string[];
}

/** Collect what is left of containers in `sb` (IDs in `ids` are checked for cgroups). */
export async function leftovers(sb: Sandbox, ids: Iterable<string> = []): Promise<Leftovers> {
  const ps = await sb.berth(["ps", "-a", "-q", "--no-trunc"]);
  const listed = ps.code === 0
    ? ps.stdout.split("\n").filter(Boolean)
    : [`ps failed: ${ps.stderr}`];
  const exitFiles: string[] = [];
  try {
    for (const e of Deno.readDirSync(join(sb.runroot, "exits"))) exitFiles.push(e.name);
  } catch { /* none */ }
  return {
    containers: listed,
    runtime: await runtimeIds(sb),
    mounts: sandboxMounts(sb),
    cgroups: leftoverCgroups(ids),
    processes: pidsMatching(sb.dir).map((pid) => `${pid}: ${cmdline(pid).join(" ")}`),
    exitFiles,
  };
}

/** Nothing left: fails with a list of what remained (after letting cleanups finish). */
export async function assertClean(sb: Sandbox, ids: Iterable<string> = []): Promise<void> {
  const idList = [...ids];
  let last: Leftovers | undefined;
  try {
    await eventually(async () => {
      last = await leftovers(sb, idList);
      return Object.values(last).every((v) => v.length === 0);
    }, 20_000);
  } catch {
    throw new Error(`leftovers in ${sb.dir}:\n${JSON.stringify(last, null, 2)}`);
  }
}

/**
 * Run `fn` over `items` with at most `limit` running at once; results in input order.
 */
export async function pool<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Assert a berth usage/engine error: status, and exactly one `Error: …` line on stderr. */
export function assertOneLineError(r: Result, status = 125, what = ""): void {
  const ctx = `${what}\nstatus ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
  assertEquals(r.code, status, ctx);
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  assertEquals(lines.length, 1, `expected one stderr line${ctx}`);
  assertMatch(lines[0], /^Error: \S/, ctx);
  assert(!/\bat (file|async|Object)\b|\n\s+at /.test(r.stderr), `stack trace leaked${ctx}`);
}

/** Assert no `Error`, panic or "database is locked" reached the user in `r`. */
export function assertNoError(r: Result, what: string): void {
  assert(!/error|panic|locked/i.test(r.stderr), `${what}: stderr: ${r.stderr}`);
}

/** A container's inspect field (`--format`), or undefined if inspect failed. */
export async function inspect(
  sb: Sandbox,
  id: string,
  field: string,
): Promise<string | undefined> {
  const r = await sb.berth(["inspect", "--format", `{{${field}}}`, id]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** Read a `--cidfile`, waiting until it has been written. */
export async function readCid(path: string, ms = 30_000): Promise<string> {
  let id = "";
  await eventually(() => {
    try {
      id = Deno.readTextFileSync(path).trim();
    } catch { /* not yet */ }
    return id.length === 64;
  }, ms);
  return id;
}

/** Files under `dir`, recursively, as relative paths (for "no leftover files" checks). */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(d)];
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(r);
      if (e.isDirectory) walk(join(d, e.name), r);
    }
  };
  walk(dir, "");
  return out.sort();
}

/** The sandbox's whole `--root` and `--runroot` as path → bytes digest (for "unchanged"). */
export async function snapshot(sb: Sandbox): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const base of [sb.root, sb.runroot]) {
    for (const rel of listTree(base)) {
      const p = join(base, rel);
      const st = Deno.lstatSync(p);
      if (!st.isFile) {
        out.set(p, st.isDirectory ? "dir" : "other");
        continue;
      }
      const bytes = Deno.readFileSync(p);
      const digest = await crypto.subtle.digest("SHA-256", bytes);
      out.set(p, Array.from(new Uint8Array(digest), (b) => b.toString(16)).join(""));
    }
  }
  return out;
}

/** Count equal values: `{"137": 3, "5": 17}` as JSON, for logging how a race went. */
export function tally(values: (string | number)[]): string {
  const counts: Record<string, number> = {};
  for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
  return JSON.stringify(counts);
}

/** Run a child to completion, as a Result. */
export async function collect(child: Deno.ChildProcess): Promise<Result> {
  const out = await child.output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
    stdoutBytes: out.stdout,
  };
}

/**
 * Kill every cleanup process of `sb` as soon as it appears (or `delayMs` after), until `stop()`
 * is called; `pollMs` is how often `/proc` is scanned.
 */
export function cleanupKiller(
  sb: Sandbox,
  delayMs = 0,
  pollMs = 2,
): { stop(): Promise<number> } {
  let running = true;
  let killed = 0;
  const loop = (async () => {
    const seen = new Set<number>();
    while (running) {
      for (const pid of cleanupPids(sb)) {
        if (seen.has(pid)) continue;
        seen.add(pid);
        if (delayMs) {
          setTimeout(() => {
            if (cmdline(pid).join(" ").includes(sb.dir) && killPid(pid)) killed++;
          }, delayMs);
        } else if (killPid(pid)) killed++;
      }
      await sleep(pollMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await sleep(delayMs + 10);
      return killed;
    },
  };
}

/** `chattr MODE` on those of `paths` that exist. */
export async function chattr(mode: "+i" | "-i", paths: string[]): Promise<void> {
  for (const p of paths) {
    try {
      Deno.statSync(p);
    } catch {
      continue;
    }
    const r = await new Deno.Command("chattr", { args: [mode, p], stderr: "piped" }).output();
    assertEquals(r.code, 0, `chattr ${mode} ${p}: ${new TextDecoder().decode(r.stderr)}`);
  }
}

/**
 * What makes the sandbox's root unwritable to SQLite: its directory and the database files
 * (for {@linkcode chattr} `+i`; a read-only remount is refused while conmon holds logs open).
 */
export function frozenPaths(sb: Sandbox): string[] {
  return [sb.root, ...["", "-wal", "-shm"].map((s) => join(sb.root, `berth.db${s}`))];
}

/** Make berth believe the machine rebooted: the stored boot id no longer matches the kernel's. */
export async function fakeBootId(sb: Sandbox): Promise<void> {
  await withDb(sb, (db) => {
    db.prepare("UPDATE meta SET value = 'not-this-boot' WHERE key = 'boot_id'").run();
  });
}

/** PIDs of the sandbox's conmon processes, of container `id` when given. */
export function conmonPids(sb: Sandbox, id = ""): number[] {
  return pidsMatching(sb.dir).filter((pid) => {
    const argv = cmdline(pid);
    return /(^|\/)conmon$/.test(argv[0] ?? "") && (id === "" || argv.join(" ").includes(id));
  });
}
