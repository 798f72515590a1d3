/**
 * Start-to-exit wall time of one short container, several engines interleaved
 * (A B C A B C …) so that drift of the machine affects them alike.
 *
 * @module
 */
import { type ExecResult, execTimed } from "./exec.ts";
import { addFailure, type Failures, noFailures } from "./failures.ts";
import { summarize, type Summary } from "./stats.ts";
import { collectPhases, type PhaseMark } from "./trace.ts";

/** One thing to time. */
export interface Variant {
  name: string;
  label: string;
  /** The command of the `i`-th run (warm-up runs get negative `i`). */
  argv: (i: number) => string[];
  expectCode: number;
  /** Keep the berth phase trace of each run. */
  traced?: boolean;
  /** Extra environment. */
  env?: Record<string, string>;
}

/** A traced run: its phase marks and wall time. */
export interface TracedRun {
  marks: Record<string, PhaseMark>;
  wallMs: number;
}

/** What one variant measured. */
export interface VariantResult {
  name: string;
  label: string;
  /** Successful runs' wall times, ms, in run order. */
  samplesMs: number[];
  stats: Summary | null;
  failures: Failures;
  traces: TracedRun[];
}

/** Progress callback. */
export type Progress = (msg: string) => void;

/** True if `r` exited as expected. */
export function succeeded(r: ExecResult, expectCode: number): boolean {
  return r.code === expectCode && !r.timedOut && r.error === undefined;
}

/**
 * Run every variant `runs` times, interleaved, after `warmup` unrecorded rounds.
 * Failures are recorded, never thrown.
 */
export async function runInterleaved(
  variants: readonly Variant[],
  runs: number,
  warmup: number,
  timeoutMs: number,
  progress: Progress,
): Promise<VariantResult[]> {
  const results: VariantResult[] = variants.map((v) => ({
    name: v.name,
    label: v.label,
    samplesMs: [],
    stats: null,
    failures: noFailures(),
    traces: [],
  }));
  for (let i = -warmup; i < runs; i++) {
    for (const [k, v] of variants.entries()) {
      const r = await execTimed(v.argv(i), { timeoutMs, env: v.env });
      if (i < 0) continue;
      const res = results[k];
      if (!succeeded(r, v.expectCode)) {
        addFailure(res.failures, `run ${i}`, r, `expected exit ${v.expectCode}`);
        continue;
      }
      res.samplesMs.push(r.ms);
      if (v.traced) res.traces.push({ marks: collectPhases(r.lines), wallMs: r.ms });
    }
    if (i >= 0 && (i + 1) % 5 === 0) progress(`  latency: ${i + 1}/${runs}`);
  }
  for (const r of results) r.stats = summarize(r.samplesMs);
  return results;
}
