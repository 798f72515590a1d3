/**
 * The exec instances of the Docker API (`POST /containers/{id}/exec` → `POST /exec/{id}/start`
 * → `GET /exec/{id}/json`), kept in the service's memory.
 *
 * Memory is enough, and is what Docker does: the exec's process is a child of the service
 * (the runtime's foreground `exec`), so no record could outlive what it describes; a record
 * in SQLite would only go stale when the service restarts. Records are dropped a while after
 * their process ended (clients read the exit code right after the stream's EOF).
 *
 * @module
 */

/** What a client asked an exec to run (the create body's fields berth uses). */
export interface ExecConfig {
  cmd: string[];
  env: string[];
  workdir?: string;
  user?: string;
  tty: boolean;
  privileged: boolean;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  /** The terminal's first size (rows, columns). */
  consoleSize?: [number, number];
}

/** One exec instance. */
export interface ExecSession {
  id: string;
  containerId: string;
  config: ExecConfig;
  started: boolean;
  running: boolean;
  /** Set before the output stream ends (null until then). */
  exitCode: number | null;
  /** The process's PID while it runs (0 before). */
  pid: () => number;
  /** Resize its terminal (a no-op without one, or before it runs). */
  resize: (rows: number, cols: number) => void;
  /** When the process ended (ms since the epoch), for expiry. */
  endedAt?: number;
}

/** How long an ended exec stays inspectable. */
export const EXEC_KEEP_MS = 5 * 60_000;

const sessions = new Map<string, ExecSession>();

/** A fresh 64-hex exec ID. */
function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Record a created (not yet started) exec for `containerId`. */
export function addExec(containerId: string, config: ExecConfig, now = Date.now()): ExecSession {
  expire(now);
  const s: ExecSession = {
    id: newId(),
    containerId,
    config,
    started: false,
    running: false,
    exitCode: null,
    pid: () => 0,
    resize: () => {},
  };
  sessions.set(s.id, s);
  return s;
}

/** The exec `id` (a full ID), or undefined. */
export function getExec(id: string): ExecSession | undefined {
  return sessions.get(id);
}

/** Mark `s` ended with `code` (before its stream is closed). */
export function endExec(s: ExecSession, code: number, now = Date.now()): void {
  s.running = false;
  s.exitCode = code;
  s.endedAt = now;
  const pid = s.pid();
  s.pid = () => pid;
}

/** Drop the records of execs that ended more than {@linkcode EXEC_KEEP_MS} ago. */
function expire(now: number): void {
  for (const [id, s] of sessions) {
    if (s.endedAt !== undefined && now - s.endedAt > EXEC_KEEP_MS) sessions.delete(id);
  }
}
