/**
 * Signal names and numbers (Linux x86_64/arm64), parsed the way podman accepts them:
 * `KILL`, `SIGKILL`, `sigkill`, `-KILL`, `9`, `-9`.
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

/** The real-time signals by name, as podman's map has them: RTMIN..RTMIN+15, RTMAX-14..RTMAX. */
const REALTIME: Readonly<Record<string, number>> = Object.fromEntries([
  ...Array.from({ length: 16 }, (_, i) => [i === 0 ? "RTMIN" : `RTMIN+${i}`, 34 + i]),
  ...Array.from({ length: 15 }, (_, i) => [i === 0 ? "RTMAX" : `RTMAX-${i}`, 64 - i]),
]);

/** Go's `strconv.Atoi`: an optional sign and decimal digits that fit an int64, else undefined. */
function atoi(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = BigInt(text);
  return n > 0x7fffffffffffffffn || n < -0x8000000000000000n ? undefined : Number(n);
}

/**
 * Parse a signal given by name or number, exactly as podman does (`pkg/util.ParseSignal`): one
 * leading `-` is dropped (`-HUP`, `-9`); a number is taken as is, except 0; a name is looked up
 * upper-cased with any `SIG` prefix removed; the result must lie in 1–64.
 *
 * @throws {UsageError} `invalid signal: X` (X without the dash) for 0 or an unknown name;
 *   `valid signals are 1 through 64` for any other number outside that range
 *
 * @example
 * ```ts
 * parseSignal("-SIGUSR1"); // 10
 * parseSignal("65"); // throws "valid signals are 1 through 64"
 * ```
 */
export function parseSignal(text: string): number {
  const raw = text.startsWith("-") ? text.slice(1) : text;
  const num = atoi(raw);
  let n: number | undefined;
  if (num !== undefined) n = num === 0 ? undefined : num;
  else {
    const upper = raw.toUpperCase();
    const name = upper.startsWith("SIG") ? upper.slice(3) : upper;
    n = Object.hasOwn(SIGNALS, name)
      ? SIGNALS[name]
      : Object.hasOwn(REALTIME, name)
      ? REALTIME[name]
      : undefined;
  }
  if (n === undefined) throw new UsageError(`invalid signal: ${raw}`);
  if (n < 1 || n > 64) throw new UsageError("valid signals are 1 through 64");
  return n;
}

/** The conventional name of signal `n` (`SIGTERM`), or its number. */
export function signalName(n: number): string {
  const name = Object.entries(SIGNALS).find(([, v]) => v === n)?.[0];
  return name ? `SIG${name}` : String(n);
}
