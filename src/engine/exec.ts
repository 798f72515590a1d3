/**
 * exec: run another process in a running container, in the foreground, through the OCI
 * runtime's own `exec` (no conmon: the process lives only as long as this berth does, as
 * with `podman exec`). Its stdio is berth's; its exit status is berth's.
 *
 * @module
 */
import { isRunning } from "./states.ts";
import { NoSuchContainerError, runtimeStartError, StateError } from "../errors.ts";
import type { Engine } from "./engine.ts";
import { containerPaths } from "./paths.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { log } from "../log.ts";
import { lastRuntimeError, resolveRuntime } from "../oci/runtime.ts";
import { SIGNALS } from "../signals.ts";
import { mergeEnv } from "./env.ts";
import { removeIfPresent } from "../fs.ts";

/** What `exec` was asked to run. */
export interface ExecRequest {
  command: string[];
  /** `K=V` entries that override the container's environment. */
  env: string[];
  /** Working directory; the container's when absent. */
  workdir?: string;
  /** Resolves `--user` against the container's root filesystem; the container's user if absent. */
  user?: (rootfs: string) => { uid: number; gid: number };
  interactive: boolean;
  tty: boolean;
  detach: boolean;
}

/** What the front end gives an exec: its stderr, and a hook to forward signals. */
export interface ExecIo {
  /** Where the process's stderr goes (the front end's stderr); berth's stdout is its stdout. */
  writeStderr: (chunk: Uint8Array) => Promise<void>;
  /**
   * Called once the process runs, with a function that signals it (through the runtime);
   * returns the function to call when it has exited. The front end forwards signals here.
   */
  onStarted?: (kill: (sig: Deno.Signal) => void) => () => void;
}

/** The OCI process of an exec: the container's own, with the request's changes. */
export function execProcess(
  base: Record<string, unknown>,
  req: ExecRequest,
  user?: { uid: number; gid: number },
): Record<string, unknown> {
  return {
    ...base,
    terminal: req.tty,
    args: req.command,
    env: mergeEnv([...(base.env as string[] ?? []), ...req.env]),
    cwd: req.workdir ?? base.cwd ?? "/",
    // Another user does not inherit the container user's supplementary groups.
    ...(user ? { user: { uid: user.uid, gid: user.gid } } : {}),
  };
}

/**
 * Run `req` in container `id` and return its exit status (128+N after signal N; 0 at once
 * with `detach`).
 *
 * @throws {NoSuchContainerError} / {StateError} (not running) / 126 or 127 errors when the
 * command cannot be started
 */
export async function execInContainer(
  engine: Engine,
  id: string,
  req: ExecRequest,
  io: ExecIo,
): Promise<number> {
  const row = syncAndCheck(engine, id);
  if (!row) throw new NoSuchContainerError(id);
  if (!isRunning(row.state)) {
    throw new StateError(
      "can only create exec sessions on running containers: container state improper",
    );
  }
  const p = containerPaths(engine.paths, id);
  const config = JSON.parse(Deno.readTextFileSync(p.configJson)) as {
    process: Record<string, unknown>;
    root: { path: string };
  };
  // runc can relay a terminal only to a terminal of its own; from a pipe, plain stdio.
  const tty = req.tty && !req.detach && Deno.stdin.isTerminal();
  if (req.tty && !tty) log("info", "exec: stdin is not a terminal; running without one");
  const process = execProcess(config.process, { ...req, tty }, req.user?.(config.root.path));
  const session = crypto.randomUUID();
  const processFile = `${p.runDir}/exec-${session}.json`;
  const logFile = `${p.runDir}/exec-${session}.log`;
  Deno.writeTextFileSync(processFile, JSON.stringify(process));
  const rt = resolveRuntime(row.spec.runtime, engine.paths.runroot, engine.opts.runtimeFlags);
  const args = [
    "--root",
    rt.stateRoot,
    "--log",
    logFile,
    "--log-format",
    "json",
    "exec",
    "--process",
    processFile,
    ...(req.detach ? ["--detach"] : []),
    id,
  ];
  // The wrapper, not the binary: crun must not see this host's hybrid cgroups.
  log("debug", `exec: ${rt.conmonPath} ${args.join(" ")}`);
  const child = new Deno.Command(rt.conmonPath, {
    args,
    stdin: req.interactive && !req.detach ? "inherit" : "null",
    stdout: req.detach ? "null" : "inherit",
    stderr: req.detach ? "null" : "piped",
  }).spawn();
  const stderr = req.detach ? Promise.resolve([]) : relayStderr(child.stderr, io.writeStderr);
  const stopForwarding = io.onStarted?.((sig) => {
    try {
      child.kill(sig); // the runtime passes it on to the process
    } catch { /* already gone */ }
  });
  try {
    const status = await child.status;
    let runtimeLog = "";
    try {
      runtimeLog = Deno.readTextFileSync(logFile);
    } catch { /* nothing logged */ }
    const failure = lastRuntimeError(runtimeLog);
    const heldBack = await stderr;
    // The runtime logs an error only when it could not run the process at all; then its own
    // copy on stderr gives way to berth's one Error line.
    if (status.code !== 0 && failure) throw runtimeStartError(failure);
    for (const chunk of heldBack) await io.writeStderr(chunk);
    if (status.signal) return 128 + (SIGNALS[status.signal.slice(3)] ?? 0);
    return status.code;
  } finally {
    stopForwarding?.();
    removeIfPresent(processFile, logFile);
  }
}

/**
 * What the runtime's own failure message looks like on its stderr: runc's ("exec failed:
 * …", logrus lines) and crun's ("open executable: Operation not permitted", "chdir `/x`: No
 * such file or directory": a one-line "what: strerror").
 */
export const RUNTIME_FAILURE =
  /^(exec failed:|runc: |crun: |time="[^"]*" level=(error|fatal)|[^\n]*: (No such file or directory|Permission denied|Operation not permitted|Not a directory|Exec format error|Is a directory|Invalid argument)\n?$)/;

/**
 * Copy the process's stderr to `write` as it comes. Only while everything so far looks like
 * the runtime's failure message is it held back (the caller drops it when the runtime did
 * fail, else writes it); returns what was held back.
 */
async function relayStderr(
  stream: ReadableStream<Uint8Array>,
  write: (chunk: Uint8Array) => Promise<void>,
): Promise<Uint8Array[]> {
  let held: Uint8Array[] = [];
  const decoder = new TextDecoder();
  let holding = true;
  for await (const chunk of stream) {
    if (holding && RUNTIME_FAILURE.test(decoder.decode(chunk))) {
      held.push(chunk);
      continue;
    }
    holding = false;
    for (const h of held) await write(h);
    held = [];
    await write(chunk);
  }
  return held;
}
