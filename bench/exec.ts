/**
 * Spawning a command and timing it: wall time from just before spawn to its exit, stdout,
 * and stderr lines stamped with their arrival time (so a debug trace can be placed on the
 * bench's clock). Never throws for a failing command: failures are data.
 *
 * @module
 */
import type { TimedLine } from "./trace.ts";

/** The outcome of one command. */
export interface ExecResult {
  argv: string[];
  /** Exit code; `null` if it could not be spawned. */
  code: number | null;
  /** Terminating signal, if any. */
  signal: string | null;
  /** Wall time in ms from just before spawn to the observed exit. */
  ms: number;
  stdout: string;
  stderr: string;
  /** stderr lines with their arrival time in ms since spawn. */
  lines: TimedLine[];
  timedOut: boolean;
  /** Why it could not be spawned. */
  error?: string;
}

/** How to run a command. */
export interface ExecOptions {
  /** Kill (SIGKILL) after this many ms; the result has `timedOut`. Default 120 000. */
  timeoutMs?: number;
  env?: Record<string, string>;
  cwd?: string;
}

/** A spawned command: its pid (0 if spawning failed) and its eventual result. */
export interface Spawned {
  pid: number;
  done: Promise<ExecResult>;
}

/** How long to keep reading pipes after exit, in case a daemonized child still holds them. */
const PIPE_GRACE_MS = 1000;

/** Spawn `argv` and time it; see {@linkcode ExecResult}. */
export function spawnTimed(argv: string[], opts: ExecOptions = {}): Spawned {
  const t0 = performance.now();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: opts.env,
      cwd: opts.cwd,
    }).spawn();
  } catch (e) {
    const failed: ExecResult = {
      argv,
      code: null,
      signal: null,
      ms: performance.now() - t0,
      stdout: "",
      stderr: "",
      lines: [],
      timedOut: false,
      error: e instanceof Error ? e.message : String(e),
    };
    return { pid: 0, done: Promise.resolve(failed) };
  }
  return { pid: child.pid, done: finish(child, argv, t0, opts.timeoutMs ?? 120_000) };
}

/** Spawn `argv`, wait for it and return its timed result. */
export function execTimed(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return spawnTimed(argv, opts).done;
}

async function finish(
  child: Deno.ChildProcess,
  argv: string[],
  t0: number,
  timeoutMs: number,
): Promise<ExecResult> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, timeoutMs);
  const lines: TimedLine[] = [];
  const stdoutChunks: string[] = [];
  const stdoutReader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stderrReader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const readStdout = drain(stdoutReader, (s) => stdoutChunks.push(s));
  let partial = "";
  const readStderr = drain(stderrReader, (s) => {
    const at = performance.now() - t0;
    const parts = (partial + s).split("\n");
    partial = parts.pop() ?? "";
    for (const text of parts) lines.push({ at, text });
  });
  const status = await child.status;
  const ms = performance.now() - t0;
  clearTimeout(timer);
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  const grace = new Promise<void>((r) => graceTimer = setTimeout(r, PIPE_GRACE_MS));
  await Promise.race([Promise.all([readStdout, readStderr]), grace]);
  clearTimeout(graceTimer);
  await stdoutReader.cancel().catch(() => {});
  await stderrReader.cancel().catch(() => {});
  if (partial) lines.push({ at: performance.now() - t0, text: partial });
  return {
    argv,
    code: status.code,
    signal: status.signal ?? null,
    ms,
    stdout: stdoutChunks.join(""),
    stderr: lines.map((l) => l.text).join("\n"),
    lines,
    timedOut,
  };
}

async function drain(
  reader: ReadableStreamDefaultReader<string>,
  onChunk: (s: string) => void,
): Promise<void> {
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      onChunk(value);
    }
  } catch { /* cancelled */ }
}

/** Resolve after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The last `max` characters of `s`, trimmed: enough of an error message for a report. */
export function tail(s: string, max = 400): string {
  const t = s.trim();
  return t.length <= max ? t : "…" + t.slice(t.length - max);
}
