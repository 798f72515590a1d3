/**
 * Turning results into the targets verdict and plain-text tables. Pure.
 *
 * @module
 */
import { ratio } from "./stats.ts";

/** The medians the targets of issue #13 are judged on; `null` where not measured. */
export interface TargetInputs {
  berthRunMs: number | null;
  podmanRunMs: number | null;
  runcRunMs: number | null;
  /** Median of (wait return − cleanup end) for berth. */
  berthCleanupToWaitMs: number | null;
  /** Median runs per second at the highest N. */
  berthRps: number | null;
  podmanRps: number | null;
  /** That highest N. */
  n: number | null;
}

/** One target and whether it was reached (`null`: not measured). */
export interface Target {
  id: string;
  goal: string;
  value: number | null;
  measured: string;
  met: boolean | null;
}

/** Format a number for a table: fixed decimals, or an em dash when missing. */
export function fmt(x: number | null | undefined, digits = 1): string {
  return x == null || !Number.isFinite(x) ? "—" : x.toFixed(digits);
}

/** Judge the four targets of issue #13 (`--network none` on both sides). */
export function evaluateTargets(x: TargetInputs): Target[] {
  const judge = (value: number | null, ok: (v: number) => boolean) =>
    value === null ? null : ok(value);
  const vsPodman = ratio(x.berthRunMs, x.podmanRunMs);
  const vsRunc = ratio(x.berthRunMs, x.runcRunMs);
  const tput = ratio(x.berthRps, x.podmanRps);
  const w = x.berthCleanupToWaitMs;
  return [
    {
      id: "run-vs-podman",
      goal: "berth run --rm ≤ 0.5 × podman",
      value: vsPodman,
      measured: vsPodman === null ? "not measured" : `${fmt(vsPodman, 2)} ×`,
      met: judge(vsPodman, (v) => v <= 0.5),
    },
    {
      id: "run-vs-runc",
      goal: "berth run --rm ≤ 2.0 × raw runc",
      value: vsRunc,
      measured: vsRunc === null ? "not measured" : `${fmt(vsRunc, 2)} ×`,
      met: judge(vsRunc, (v) => v <= 2.0),
    },
    {
      id: "wait-after-cleanup",
      goal: "wait returns ≤ 20 ms after the cleanup finished",
      value: w,
      measured: w === null ? "not measured" : `${fmt(w, 1)} ms`,
      met: judge(w, (v) => v <= 20),
    },
    {
      id: "throughput",
      goal: `throughput at N=${x.n ?? 50} ≥ 2 × podman`,
      value: tput,
      measured: tput === null ? "not measured" : `${fmt(tput, 2)} ×`,
      met: judge(tput, (v) => v >= 2),
    },
  ];
}

/** The verdict word for a target. */
export function verdict(met: boolean | null): string {
  return met === null ? "n/a" : met ? "MET" : "not met";
}

/** Render rows as an aligned text table; cells that look numeric are right-aligned. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = (s: string) => /^[-+]?[\d.]+( ?[×%]| ms)?$|^—$/.test(s);
  const line = (cells: string[]) =>
    cells.map((c, i) => numeric(c) ? c.padStart(widths[i]) : c.padEnd(widths[i])).join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(headers), rule, ...rows.map(line)].join("\n");
}
