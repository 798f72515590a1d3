/**
 * exec: run another process in a running container, in the foreground, through the OCI
 * runtime's own `exec` (no conmon: the process lives only as long as this berth does, as
 * with `podman exec`). Its stdio comes from the caller: the CLI hands over its own (inherited,
 * so runc can relay a real terminal), the API server hands over the hijacked connection's
 * streams. The engine never looks at berth's own stdio.
 *
 * @module
 */
import { isRunning } from "./states.ts";
import { NoSuchContainerError, runtimeStartError, StateError } from "../errors.ts";
import type { Engine } from "./engine.ts";
import type { ContainerRow } from "../store/containers.ts";
import { containerPaths } from "./paths.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { log } from "../log.ts";
import { lastRuntimeError, resolveRuntime } from "../oci/runtime.ts";
import { SIGNALS } from "../signals.ts";
import { mergeEnv } from "./env.ts";
import { removeIfPresent } from "../fs.ts";
import { openPty, type PtyMaster } from "../monitor/pty.ts";
import { terminalEndOfInput } from "../monitor/attach_socket.ts";

/** What `exec` was asked to run. */
export interface ExecRequest {
  command: string[];
  /** `K=V` entries that override the container's environment. */
  env: string[];
  /** Working directory; the container's when absent. */
  workdir?: string;
  /** Resolves `--user` against the container's root filesystem; the container's user if absent. */
  user?: (rootfs: string) => { uid: number; gid: number };
  /** Give the process a terminal: only with inherited stdio that is a terminal (runc's rule). */
  tty: boolean;
  /** Let the runtime detach the process: exit status 0 at once, no stdio. */
  detach: boolean;
}

/** Where a stream of the process goes: berth's own (`"inherit"`), a writer, or nowhere. */
export type ExecSink = "inherit" | ((chunk: Uint8Array) => Promise<void>) | null;

/** The I/O the front end gives an exec, and its hooks. */
export interface ExecIo {
  /** The process's stdin: berth's own, a stream (EOF closes it), or none (EOF at once). */
  stdin?: "inherit" | ReadableStream<Uint8Array> | null;
  stdout: ExecSink;
  /**
   * Where stderr goes. Always read by berth (not inherited): the runtime's own failure
   * message on it gives way to berth's typed error.
   */
  stderr: ((chunk: Uint8Array) => Promise<void>) | null;
  /**
   * Called once the process runs, with a function that signals it (through the runtime), one
   * that reads its PID (undefined until the runtime wrote it) and one that resizes its
   * terminal (when berth relays one); returns the function to call when it has exited. The
   * front end forwards signals here.
   */
  onStarted?: (
    kill: (sig: Deno.Signal) => void,
    pid: () => number | undefined,
    resize: (rows: number, cols: number) => void,
  ) => () => void;
  /** The terminal's first size (rows, columns), for a relayed terminal. */
  consoleSize?: [number, number];
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
 * The running container `id` an exec can enter.
 *
 * @throws {NoSuchContainerError} / {StateError} (409: not running)
 */
export function execTarget(engine: Engine, id: string): ContainerRow {
  const row = syncAndCheck(engine, id);
  if (!row) throw new NoSuchContainerError(id);
  if (!isRunning(row.state)) {
    throw new StateError(
      `container ${id} is not running: can only create exec sessions on running containers`,
    );
  }
  return row;
}

/**
 * Run `req` in container `id` with the caller's I/O and return its exit status (128+N after
 * signal N; 0 at once with `detach`). It returns only once the output has been relayed, so a
 * caller that records the status before closing its streams has it recorded before EOF.
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
  const row = execTarget(engine, id);
  const p = containerPaths(engine.paths, id);
  const config = JSON.parse(Deno.readTextFileSync(p.configJson)) as {
    process: Record<string, unknown>;
    root: { path: string };
  };
  // runc relays a terminal only between its own stdio, when that is a terminal, and the
  // container's pty: for streams, berth gives it a pty of its own and relays the master.
  const relayed = req.tty && !req.detach && typeof io.stdout === "function";
  const tty = relayed || (req.tty && !req.detach && io.stdout === "inherit");
  if (req.tty && !tty) log("info", "exec: no terminal to relay; running without one");
  const process = execProcess(config.process, { ...req, tty }, req.user?.(config.root.path));
  const size = io.consoleSize ?? [24, 80];
  const pty = relayed ? openPty(...size) : undefined;
  // The size the runtime gives the container's pty before the process runs: runc's copy
  // from its own terminal comes later, after a fast command may have read 0x0.
  if (pty) process.consoleSize = { height: size[0], width: size[1] };
  const session = crypto.randomUUID();
  const processFile = `${p.runDir}/exec-${session}.json`;
  const logFile = `${p.runDir}/exec-${session}.log`;
  const pidFile = `${p.runDir}/exec-${session}.pid`;
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
    "--pid-file",
    pidFile,
    ...(req.detach ? ["--detach"] : []),
    id,
  ];
  // The wrapper, not the binary: crun must not see this host's hybrid cgroups.
  log("debug", `exec: ${rt.conmonPath} ${args.join(" ")}`);
  const input = req.detach ? null : io.stdin ?? null;
  const output = req.detach ? null : tolerant(io.stdout);
  // With a relayed terminal the runtime's stdin and stdout are the pty's slave.
  const stdin = pty ? null : input;
  const stdout = pty ? null : output;
  const stderrSink = req.detach ? null : tolerant(io.stderr);
  const child = new Deno.Command(pty ? "/bin/sh" : rt.conmonPath, {
    // Deno's stdio is piped, inherited or null; the slave is given by the shell's redirection.
    args: pty ? ["-c", 'exec "$0" "$@" <>"$BERTH_PTY" >&0', rt.conmonPath, ...args] : args,
    env: pty ? { BERTH_PTY: pty.slavePath } : undefined,
    stdin: stdin === "inherit" ? "inherit" : stdin ? "piped" : "null",
    stdout: stdout === "inherit" ? "inherit" : stdout ? "piped" : "null",
    stderr: stderrSink ? "piped" : "null",
  }).spawn();
  const feeding = stdin instanceof ReadableStream ? feed(stdin, child.stdin) : undefined;
  const relays: Promise<unknown>[] = [];
  if (typeof stdout === "function") relays.push(relay(child.stdout, stdout));
  const stderr = stderrSink ? relayStderr(child.stderr, stderrSink) : Promise.resolve([]);
  relays.push(stderr);
  const terminal = pty
    ? relayTerminal(pty.master, input, output as (c: Uint8Array) => Promise<void>)
    : undefined;
  if (terminal) relays.push(terminal.done);
  let pid: number | undefined;
  const pidOf = () => pid ??= readPid(pidFile);
  const stopForwarding = io.onStarted?.(
    (sig) => {
      try {
        child.kill(sig); // the runtime passes it on to the process
      } catch { /* already gone */ }
    },
    pidOf,
    (rows, cols) => {
      if (!pty) return;
      pty.master.resize(rows, cols);
      try {
        child.kill("SIGWINCH"); // runc copies its terminal's new size to the container's
      } catch { /* gone */ }
    },
  );
  try {
    const status = await child.status;
    feeding?.cancel();
    // runc itself exits only once its pipes have closed (a background child that keeps them
    // open holds the exec, as it holds the CLI's): by now the relays are ending too.
    await Promise.allSettled(relays);
    let runtimeLog = "";
    try {
      runtimeLog = Deno.readTextFileSync(logFile);
    } catch { /* nothing logged */ }
    const failure = lastRuntimeError(runtimeLog);
    const heldBack = await stderr.catch(() => []);
    // The runtime logs an error only when it could not run the process at all; then its own
    // copy on stderr gives way to berth's one Error line.
    if (status.code !== 0 && failure) throw runtimeStartError(failure);
    for (const chunk of heldBack) await stderrSink?.(chunk);
    if (status.signal) return 128 + (SIGNALS[status.signal.slice(3)] ?? 0);
    return status.code;
  } finally {
    pty?.master.close();
    stopForwarding?.();
    pidOf(); // kept for the caller's pid() once the file is gone
    removeIfPresent(processFile, logFile, pidFile);
  }
}

/**
 * Relay berth's pty: its output to `write` until the last slave has closed (the runtime has
 * exited), `input` into it (ended with ^D, a terminal's EOF).
 */
function relayTerminal(
  master: PtyMaster,
  input: ExecIo["stdin"],
  write: (chunk: Uint8Array) => Promise<void>,
): { done: Promise<void> } {
  if (input instanceof ReadableStream) feedTerminal(master, input);
  const done = (async () => {
    const buf = new Uint8Array(32 * 1024);
    for (;;) {
      const n = await master.read(buf);
      if (n === 0) break;
      await write(buf.slice(0, n));
    }
  })().catch(() => {});
  return { done };
}

/** Copy `input` into the terminal, then ^D; errors end the copy quietly. */
async function feedTerminal(master: PtyMaster, input: ReadableStream<Uint8Array>) {
  let last: number | undefined;
  try {
    for await (const chunk of input) {
      await master.write(chunk);
      if (chunk.length) last = chunk[chunk.length - 1];
    }
    await master.write(terminalEndOfInput(last));
  } catch { /* the process is gone */ }
}

/**
 * `sink`, except that once a write fails (the reader has gone) the rest is dropped: the
 * pipe must still be read, or the process blocks on it.
 */
function tolerant<T extends ExecSink>(sink: T): T {
  if (typeof sink !== "function") return sink;
  let gone = false;
  return (async (chunk: Uint8Array) => {
    if (gone) return;
    try {
      await sink(chunk);
    } catch {
      gone = true;
    }
  }) as T;
}

/** The PID runc wrote, once it has. */
function readPid(file: string): number | undefined {
  try {
    const pid = Number(Deno.readTextFileSync(file).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Copy `from` into the process's stdin, closing it at `from`'s end (EOF for the process).
 * `cancel()` stops copying once the process has gone.
 */
function feed(
  from: ReadableStream<Uint8Array>,
  to: WritableStream<Uint8Array>,
): { cancel(): void } {
  const reader = from.getReader();
  const writer = to.getWriter();
  let stopped = false;
  (async () => {
    try {
      while (!stopped) {
        const { value, done } = await reader.read();
        if (done) break;
        await writer.write(value);
      }
    } catch { /* the process closed its stdin, or the caller's stream failed */ }
    try {
      await writer.close();
    } catch { /* already closed */ }
  })();
  return {
    cancel() {
      stopped = true;
      reader.cancel().catch(() => {});
      writer.abort().catch(() => {});
    },
  };
}

/** Copy every chunk of `stream` to `write`. */
async function relay(
  stream: ReadableStream<Uint8Array>,
  write: (chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  for await (const chunk of stream) await write(chunk);
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
