/**
 * The engine's diagnostic log on stderr, filtered by `--log-level`. Debug lines carry the
 * milliseconds since the process started, so the slow phase of a run is visible.
 *
 * @module
 */

/** Log levels from most to least verbose. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "fatal", "panic"] as const;

/** One of {@linkcode LOG_LEVELS}. */
export type LogLevel = typeof LOG_LEVELS[number];

let threshold = LOG_LEVELS.indexOf("warn");
const t0 = performance.now();

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
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(line));
  } catch { /* stderr closed (cleanup process): nowhere to log */ }
}
