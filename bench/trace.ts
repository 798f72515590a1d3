/**
 * Parsing berth's `--log-level debug` phase lines, `DEBU[12.3ms] berth[PID] phase <name>`, and
 * turning traced runs into a per-phase table.
 *
 * @module
 */
import { median } from "./stats.ts";

/** The phases of `berth run`, in the order they happen. */
export const PHASES = [
  "conmon-spawned",
  "created",
  "started",
  "exit-seen",
  "cleanup-done",
  "removed",
] as const;

/** A stderr line and when it arrived, in ms since the process was spawned (bench clock). */
export interface TimedLine {
  at: number;
  text: string;
}

/** One phase as a berth process reported it. */
export interface PhaseMark {
  name: string;
  /** ms since the berth process's clock started (its own clock). */
  ms: number;
  /** ms since the bench spawned the process, when the line arrived (bench clock). */
  at: number;
  pid: number;
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const PHASE_LINE = /^DEBU\[\s*(-?[\d.]+)\s*ms\]\s+berth\[(\d+)\]\s+phase\s+(\S+)/;

/** Parse one stderr line; `null` if it is not a phase line. */
export function parsePhaseLine(line: TimedLine): PhaseMark | null {
  const m = line.text.replace(ANSI, "").trim().match(PHASE_LINE);
  if (!m) return null;
  return { name: m[3], ms: Number(m[1]), at: line.at, pid: Number(m[2]) };
}

/** The first mark of each phase found in `lines`, by name. */
export function collectPhases(lines: readonly TimedLine[]): Record<string, PhaseMark> {
  const out: Record<string, PhaseMark> = {};
  for (const l of lines) {
    const p = parsePhaseLine(l);
    if (p && !(p.name in out)) out[p.name] = p;
  }
  return out;
}

/** One row of the phase table: medians over the traced runs; `null` where no run had it. */
export interface PhaseRow {
  phase: string;
  /** How many runs reported this phase. */
  seen: number;
  /** Median ms since spawn (bench clock) at which the phase was seen. */
  atMs: number | null;
  /** Median of berth's own ms-since-start stamp. */
  berthMs: number | null;
  /** Median per-run gap from the previous row that the run reported (bench clock). */
  deltaMs: number | null;
}

/**
 * Build the phase table from traced runs. Rows: `boot` (spawn → berth's clock zero, estimated
 * from the first phase line as arrival − stamp), each of `phases`, and `exit` (process exit).
 */
export function phaseTable(
  runs: readonly { marks: Record<string, PhaseMark>; wallMs: number }[],
  phases: readonly string[] = PHASES,
): PhaseRow[] {
  const names = ["boot", ...phases, "exit"];
  const at: number[][] = names.map(() => []);
  const stamp: number[][] = names.map(() => []);
  const delta: number[][] = names.map(() => []);
  for (const run of runs) {
    const marks = phases.map((p) => run.marks[p]);
    const first = marks.find((m) => m !== undefined);
    const times: (number | null)[] = [
      first ? first.at - first.ms : null,
      ...marks.map((m) => m?.at ?? null),
      run.wallMs,
    ];
    let prev = 0;
    times.forEach((t, i) => {
      if (t === null) return;
      at[i].push(t);
      delta[i].push(t - prev);
      prev = t;
      const m = i > 0 && i <= phases.length ? marks[i - 1] : undefined;
      if (m) stamp[i].push(m.ms);
    });
  }
  const med = (xs: number[]) => xs.length ? median(xs) : null;
  return names.map((phase, i) => ({
    phase,
    seen: at[i].length,
    atMs: med(at[i]),
    berthMs: med(stamp[i]),
    deltaMs: med(delta[i]),
  }));
}
