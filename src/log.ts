/**
 * The diagnostic log, filtered by `--log-level`, written through the sink the front end sets
 * (main: stderr). Debug lines carry the milliseconds since the process started, so the slow
 * phase of a run is visible.
 *
 * @module
 */

/** Log levels from most to least verbose. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "fatal", "panic"] as const;

/** One of {@linkcode LOG_LEVELS}. */
export type LogLevel = typeof LOG_LEVELS[number];

/** Where log lines go: one call per line, newline included. */
export type LogSink = (line: string) => void;

let threshold = LOG_LEVELS.indexOf("warn");
let sink: LogSink = () => {};
const t0 = performance.now();

/** Set where log lines go (nowhere until a front end sets it). */
export function setLogSink(next: LogSink): void {
  sink = next;
}

/** Set the minimum level printed. */
export function setLogLevel(level: LogLevel): void {
  threshold = LOG_LEVELS.indexOf(level);
}

/** True if `level` is printed at the current setting. */
export function logEnabled(level: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= threshold;
}

/** Print one diagnostic line if `level` is enabled. */
export function log(level: LogLevel, msg: string): void {
  if (!logEnabled(level)) return;
  const ms = (performance.now() - t0).toFixed(1);
  const line = `${level.toUpperCase().slice(0, 4)}[${ms}ms] berth[${Deno.pid}] ${msg}\n`;
  sink(line);
}
