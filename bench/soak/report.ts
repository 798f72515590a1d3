/**
 * The soak's summary (pure): counts of iterations, workloads, faults (planned and struck) and
 * violations by kind, the return-after-exit latencies, as JSON and as Markdown tables.
 *
 * @module
 */
import { NOTES, type ViolationKind, VIOLATIONS } from "./check.ts";
import type { IterationResult } from "./iteration.ts";
import { FAULTS, WORKLOADS } from "./plan.ts";

/** One engine's soak summary. */
export interface SoakSummary {
  engine: string;
  seed: number;
  iterations: number;
  calls: number;
  wallSeconds: number;
  concurrencyMax: number;
  workloads: Record<string, number>;
  /** Iterations whose containers were on the soak's bridge network. */
  bridged?: number;
  /** Faults planned, by kind. */
  faults: Record<string, number>;
  /** Faults that really struck (their target was there), by kind. */
  faultsHit: Record<string, number>;
  violations: Record<ViolationKind, number>;
  /** ms from the container's exit to the return of calls waiting for it. */
  returnAfterExitMs: { n: number; p50: number; p99: number; max: number };
  /** The first violations in full (seed, iteration, what happened). */
  examples: {
    iteration: number;
    seed: number;
    workload: string;
    fault: string;
    kind: string;
    detail: string;
  }[];
  startedAt: string;
}

/** The value below which `q` of the sorted `xs` lie. */
function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Zeroed counts for `keys`. */
function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/** Fold iteration results into a summary. */
export function summarize(
  results: IterationResult[],
  o: {
    engine: string;
    seed: number;
    wallSeconds: number;
    concurrencyMax: number;
    startedAt: string;
  },
  maxExamples = 50,
): SoakSummary {
  const workloads = zeros(WORKLOADS);
  const faults = zeros(FAULTS);
  const faultsHit = zeros(FAULTS);
  const violations = zeros<ViolationKind>([...VIOLATIONS, ...NOTES]);
  const lat: number[] = [];
  const examples: SoakSummary["examples"] = [];
  let calls = 0;
  let bridged = 0;
  for (const r of results) {
    workloads[r.plan.workload]++;
    if (r.plan.bridge) bridged++;
    faults[r.plan.fault]++;
    if (r.faultHit || r.plan.fault === "none") faultsHit[r.plan.fault]++;
    calls += r.calls;
    lat.push(...r.latencies);
    for (const v of r.violations) {
      violations[v.kind]++;
      if (examples.length < maxExamples) {
        examples.push({
          iteration: r.plan.iteration,
          seed: r.plan.seed,
          workload: r.plan.workload,
          fault: r.plan.fault,
          kind: v.kind,
          detail: v.detail.slice(0, 2000),
        });
      }
    }
  }
  return {
    engine: o.engine,
    seed: o.seed,
    iterations: results.length,
    calls,
    wallSeconds: Math.round(o.wallSeconds),
    concurrencyMax: o.concurrencyMax,
    workloads,
    bridged,
    faults,
    faultsHit,
    violations,
    returnAfterExitMs: {
      n: lat.length,
      p50: quantile(lat, 0.5),
      p99: quantile(lat, 0.99),
      max: lat.length ? Math.max(...lat) : 0,
    },
    examples,
    startedAt: o.startedAt,
  };
}

/** A Markdown table of `rows` with a header. */
function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/** The summary tables for one or more engines, side by side (Markdown). */
export function renderSummary(ss: SoakSummary[]): string {
  const head = ["", ...ss.map((s) => s.engine)];
  const general = table(head, [
    ["iterations", ...ss.map((s) => s.iterations)],
    ["engine calls", ...ss.map((s) => s.calls)],
    ["wall time", ...ss.map((s) => `${Math.round(s.wallSeconds / 60)} min`)],
    ["seed", ...ss.map((s) => s.seed)],
    ["concurrency", ...ss.map((s) => `1–${s.concurrencyMax}`)],
    [
      "return after exit p50 / p99 / max (ms)",
      ...ss.map((s) => {
        const l = s.returnAfterExitMs;
        return `${l.p50} / ${l.p99} / ${l.max} (n=${l.n})`;
      }),
    ],
  ]);
  const faults = table(
    ["fault", ...ss.map((s) => `${s.engine} (struck / planned)`)],
    FAULTS.map((
      f,
    ) => [f, ...ss.map((s) => s.faults[f] ? `${s.faultsHit[f]} / ${s.faults[f]}` : "—")]),
  );
  const workloads = table(
    ["workload", ...ss.map((s) => s.engine)],
    [
      ...WORKLOADS.map((w) => [w, ...ss.map((s) => s.workloads[w])]),
      ["(of all) on a bridge network", ...ss.map((s) => s.bridged ?? 0)],
    ],
  );
  const violations = table(
    ["violation", ...ss.map((s) => s.engine)],
    [
      ...VIOLATIONS.map((v) => [v, ...ss.map((s) => s.violations[v] ?? 0)]),
      ...NOTES.map((v) => [`(not a violation) ${v}`, ...ss.map((s) => s.violations[v] ?? 0)]),
    ],
  );
  return [general, workloads, faults, violations].join("\n\n");
}
