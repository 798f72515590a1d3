/**
 * The invariants of issue #15 for one engine call (pure): the code reported is the
 * container's own (or, where the monitor died, -1/255 with an `Error:` line, never 0), output is
 * complete byte for byte, waiters return within 2 s of the exit, and no "database is locked".
 *
 * @module
 */

/** The kinds of violation counted (every kind is listed in the report, zeros included). */
export const VIOLATIONS = [
  "wrong-code",
  "zero-for-failure",
  "monitor-lost-without-error",
  "late-return",
  "hang",
  "output",
  "not-removed",
  "db-locked",
  "leftover-container",
  "leftover-runtime",
  "leftover-mount",
  "leftover-cgroup",
  "leftover-process",
  "leftover-exit-file",
  "leftover-network",
  "integrity",
  "harness",
] as const;

/**
 * What is counted but is no violation: a `--rm` container that was running when the machine
 * "rebooted" is kept as `created`, as podman 4.3's refresh keeps it (it removes only `--rm`
 * containers found `exited`, and `removing` ones).
 */
export const NOTES = ["kept-after-reboot"] as const;

/** One of {@linkcode VIOLATIONS} or {@linkcode NOTES}. */
export type ViolationKind = typeof VIOLATIONS[number] | typeof NOTES[number];

/** The bound on "returns promptly" after the container's exit. */
export const PROMPT_MS = 2000;

/** How a call's result is to be judged. */
export interface Expect {
  /** Codes that are the container's own (any of them passes). */
  codes: number[];
  /** The code is what `wait` printed (else the call's exit status). */
  printed: boolean;
  /** The monitor may have died: -1 (wait) / 255 (run) with an `Error:` line is fine. */
  monitorLostOk: boolean;
  /** Statuses that are fine when they come with one `Error:` line (a fault's own effect). */
  errorOk: number[];
  /** Exact stdout (bytes), when the output is checked. */
  stdout?: Uint8Array;
  /** Check stdout only when the reported code is one of these (default: any of `codes`). */
  outputIf?: number[];
  /** Judge the return time against the exit (the call was waiting before it). */
  timed: boolean;
  /** Only hangs and "database is locked" count (after a simulated reboot, codes are void). */
  loose?: boolean;
}

/** What one call did. */
export interface CallRecord {
  what: string;
  code: number;
  stdout: Uint8Array;
  stderr: string;
  start: number;
  end: number;
  /** Killed by the soak's own timeout. */
  timedOut: boolean;
  /** Killed on purpose by the fault (nothing to judge but the database message). */
  killed: boolean;
}

/** One counted violation. */
export interface Violation {
  kind: ViolationKind;
  detail: string;
}

const dec = new TextDecoder();

/** True if `a` and `b` hold the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The first differing offset of `a` and `b` (or the shorter length). */
function firstDiff(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

/** True if stderr carries an `Error: …` line. */
export function hasErrorLine(stderr: string): boolean {
  return /^Error: \S/m.test(stderr);
}

/** The code a call reported: `wait`'s printed line, or the exit status. */
export function reportedCode(c: CallRecord, e: Expect): number | undefined {
  if (!e.printed) return c.code;
  if (c.code !== 0) return undefined;
  const line = dec.decode(c.stdout).trim();
  return /^-?\d+$/.test(line) ? Number(line) : undefined;
}

/** Judge one call; `exitAt` is when the container's process was seen gone (if it was). */
export function checkCall(c: CallRecord, e: Expect, exitAt?: number): Violation[] {
  const out: Violation[] = [];
  const brief = () =>
    `${c.what}: status ${c.code}, stdout ${JSON.stringify(dec.decode(c.stdout.subarray(0, 80)))}` +
    `, stderr ${JSON.stringify(c.stderr.slice(0, 300))}`;
  if (/database is locked/i.test(c.stderr)) out.push({ kind: "db-locked", detail: brief() });
  if (c.timedOut) return [...out, { kind: "hang", detail: brief() }];
  if (c.killed || e.loose) return out;
  const code = reportedCode(c, e);
  const lost = e.printed ? -1 : 255;
  let codeOk = false;
  if (code !== undefined && e.codes.includes(code)) codeOk = true;
  else if (e.monitorLostOk && code === lost) {
    if (hasErrorLine(c.stderr)) codeOk = true;
    else out.push({ kind: "monitor-lost-without-error", detail: brief() });
  } else if (e.errorOk.includes(c.code) && hasErrorLine(c.stderr)) codeOk = true;
  if (!codeOk && !out.some((v) => v.kind === "monitor-lost-without-error")) {
    const detail = `expected ${JSON.stringify(e.codes)}; ${brief()}`;
    out.push({ kind: "wrong-code", detail });
    if (code === 0) out.push({ kind: "zero-for-failure", detail });
  }
  if (codeOk && e.stdout && code !== undefined && (e.outputIf ?? e.codes).includes(code)) {
    if (!sameBytes(c.stdout, e.stdout)) {
      out.push({
        kind: "output",
        detail: `${c.what}: ${c.stdout.length} bytes, expected ${e.stdout.length}, first ` +
          `difference at ${firstDiff(c.stdout, e.stdout)}`,
      });
    }
  }
  if (e.timed && exitAt !== undefined && c.start <= exitAt && c.end - exitAt > PROMPT_MS) {
    out.push({
      kind: "late-return",
      detail: `${c.what}: returned ${c.end - exitAt} ms after exit`,
    });
  }
  return out;
}
