/**
 * Test harness: a busybox-static root filesystem built from the host's `/bin/busybox`, a
 * private berth store per test (its own `--root`/`--runroot` under a temp dir), and a way to
 * run the real berth CLI through `deno run` and collect its exit status and output.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The berth entry point under test. */
export const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

/** What one berth invocation returned. */
export interface Result {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Uint8Array;
}

let rootfsPromise: Promise<string> | undefined;

/**
 * A shared busybox root filesystem, built once per test module and removed when the module
 * ends (its `unload` event: every test file runs in an isolate of its own).
 */
export function busyboxRootfs(): Promise<string> {
  if (!rootfsPromise) {
    const tmp = Deno.makeTempDirSync({ prefix: "berth-bb-" });
    globalThis.addEventListener("unload", () => {
      try {
        Deno.removeSync(tmp, { recursive: true });
      } catch { /* already gone */ }
    });
    rootfsPromise = buildBusyboxRootfs(join(tmp, "rootfs"));
  }
  return rootfsPromise;
}

/** Build a busybox rootfs at `dir`: the static binary plus a symlink per applet. */
export async function buildBusyboxRootfs(dir: string): Promise<string> {
  for (const d of ["bin", "etc", "proc", "sys", "dev", "tmp", "root"]) {
    Deno.mkdirSync(join(dir, d), { recursive: true });
  }
  Deno.copyFileSync("/bin/busybox", join(dir, "bin/busybox"));
  const list = await new Deno.Command("/bin/busybox", { args: ["--list"], stdout: "piped" })
    .output();
  for (const applet of new TextDecoder().decode(list.stdout).split("\n").filter(Boolean)) {
    if (applet === "busybox") continue;
    try {
      Deno.symlinkSync("busybox", join(dir, "bin", applet));
    } catch { /* exists */ }
  }
  Deno.writeTextFileSync(
    join(dir, "etc/passwd"),
    "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n",
  );
  Deno.writeTextFileSync(join(dir, "etc/group"), "root:x:0:\nnogroup:x:65534:\n");
  return dir;
}

/** A private berth store and a runner bound to it. */
export interface Sandbox {
  dir: string;
  root: string;
  runroot: string;
  /** Global flags for this store. */
  global: string[];
  /** Run `berth <global> <args>`; never throws on a non-zero status. */
  berth(args: string[], opts?: RunOptions): Promise<Result>;
  /** Start `berth` without waiting (for races and signals). */
  spawn(args: string[], opts?: RunOptions): Deno.ChildProcess;
  /** Remove every container (rm -af) and the temp dir. */
  cleanup(): Promise<void>;
}

/** Options of one invocation. */
export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Kill the process after this many ms (the test then fails on the status). */
  timeoutMs?: number;
  /** Global flags to use instead of the sandbox's absolute ones. */
  global?: string[];
  /** Bytes for berth's stdin, which is then closed (no stdin at all without it). */
  input?: Uint8Array | string;
}

/** Make a sandbox under a fresh temp dir. */
export function sandbox(prefix = "berth-test-"): Sandbox {
  const dir = Deno.makeTempDirSync({ prefix });
  const root = join(dir, "root");
  const runroot = join(dir, "run");
  const global = ["--root", root, "--runroot", runroot];
  const spawn = (args: string[], opts: RunOptions = {}) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-config", MAIN, ...(opts.global ?? global), ...args],
      cwd: opts.cwd,
      env: opts.env,
      stdin: opts.input === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  const berth = async (args: string[], opts: RunOptions = {}) => {
    const child = spawn(args, opts);
    if (opts.input !== undefined) {
      const writer = child.stdin.getWriter();
      const bytes = typeof opts.input === "string"
        ? new TextEncoder().encode(opts.input)
        : opts.input;
      // The container may exit without reading it all: a broken pipe is not the test's failure.
      writer.write(bytes).then(() => writer.close()).catch(() => {});
    }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* exited */ }
    }, opts.timeoutMs ?? 60_000);
    const out = await child.output();
    clearTimeout(timer);
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
      stdoutBytes: out.stdout,
    };
  };
  return {
    dir,
    root,
    runroot,
    global,
    berth,
    spawn,
    async cleanup() {
      await berth(["rm", "-af", "-t", "0"]);
      // The cleanup processes conmon started may still be finishing.
      await new Promise((r) => setTimeout(r, 100));
      await new Deno.Command("umount", { args: ["-R", join(root, "containers")], stderr: "null" })
        .output().catch(() => {});
      Deno.removeSync(dir, { recursive: true });
    },
  };
}

/** Poll `fn` until it returns true, or fail after `ms`. */
export async function eventually(fn: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`condition not met within ${ms} ms`);
}

/** Open the sandbox's database directly (for backdating rows and faking reboots). */
export async function withDb<T>(
  sb: Sandbox,
  fn: (db: import("node:sqlite").DatabaseSync) => T,
): Promise<T> {
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(join(sb.root, "berth.db"), { timeout: 30_000 });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** podman with a private store under `dir`, run through runc (the reference to compare with). */
export function podmanIn(
  dir: string,
): (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }> {
  const global = [
    "--runtime",
    "runc",
    "--root",
    join(dir, "podman-root"),
    "--runroot",
    join(dir, "podman-run"),
  ];
  return async (args: string[]) => {
    const o = await new Deno.Command("podman", { args: [...global, ...args] }).output();
    return {
      code: o.code,
      stdout: new TextDecoder().decode(o.stdout),
      stderr: new TextDecoder().decode(o.stderr),
    };
  };
}

/** The ulimits podman's `run` needs on this host: its defaults exceed the hard limits. */
export const PODMAN_LIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"];

/** Unmount what podman left mounted under `dir` (its overlay storage), deepest first. */
export async function unmountUnder(dir: string): Promise<void> {
  const mounts = Deno.readTextFileSync("/proc/self/mounts").split("\n")
    .map((l) => l.split(" ")[1]).filter((m) => m?.startsWith(dir)).reverse();
  for (const m of mounts) await new Deno.Command("umount", { args: ["-l", m] }).output();
}
