/**
 * Signal names and numbers (Linux x86_64/arm64), parsed the way podman accepts them:
 * `KILL`, `SIGKILL`, `sigkill`, `9`.
 *
 * @module
 */
import { UsageError } from "./errors.ts";

/** Linux signal numbers by name (without the SIG prefix). */
export const SIGNALS: Readonly<Record<string, number>> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  IOT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  STKFLT: 16,
  CHLD: 17,
  CLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  URG: 23,
  XCPU: 24,
  XFSZ: 25,
  VTALRM: 26,
  PROF: 27,
  WINCH: 28,
  IO: 29,
  POLL: 29,
  PWR: 30,
  SYS: 31,
};

/**
 * Parse a signal given by name or number.
 *
 * @throws {UsageError} for an unknown name or a number outside 1–64
 */
export function parseSignal(text: string): number {
  const t = text.trim().toUpperCase();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n >= 1 && n <= 64) return n;
  } else {
    const name = t.startsWith("SIG") ? t.slice(3) : t;
    if (name in SIGNALS) return SIGNALS[name];
    const rt = /^RTMIN(?:\+(\d+))?$/.exec(name) ?? /^RTMAX(?:-(\d+))?$/.exec(name);
    if (rt) {
      const off = Number(rt[1] ?? 0);
      const n = name.startsWith("RTMIN") ? 34 + off : 64 - off;
      if (n >= 34 && n <= 64) return n;
    }
  }
  throw new UsageError(`invalid signal: ${text}`);
}

/** The conventional name of signal `n` (`SIGTERM`), or its number. */
export function signalName(n: number): string {
  const name = Object.entries(SIGNALS).find(([, v]) => v === n)?.[0];
  return name ? `SIG${name}` : String(n);
}
