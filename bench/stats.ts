/**
 * Small, pure statistics over samples of durations (milliseconds) or rates.
 *
 * @module
 */

/** Summary of one sample. All fields are in the unit of the input values. */
export interface Summary {
  /** Number of values. */
  n: number;
  min: number;
  median: number;
  /** 90th percentile (linear interpolation between closest ranks). */
  p90: number;
  max: number;
  mean: number;
}

/** The values sorted ascending, as a new array. */
export function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * The `q`-quantile (0 ≤ q ≤ 1) of `values`, interpolating linearly between the closest ranks
 * (the "type 7" definition used by NumPy and R by default). `NaN` for an empty sample.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  if (q < 0 || q > 1 || Number.isNaN(q)) throw new RangeError(`quantile out of range: ${q}`);
  const s = sorted(values);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** The median of `values` (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The 90th percentile of `values`. */
export function p90(values: readonly number[]): number {
  return quantile(values, 0.9);
}

/** The arithmetic mean of `values`; `NaN` for an empty sample. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Summarise `values`; `null` for an empty sample (so JSON never holds `NaN`). */
export function summarize(values: readonly number[]): Summary | null {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return null;
  const s = sorted(finite);
  return {
    n: s.length,
    min: s[0],
    median: median(s),
    p90: p90(s),
    max: s[s.length - 1],
    mean: mean(s),
  };
}

/** `a / b`, or `null` when either side is missing or `b` is not positive. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return null;
  return a / b;
}

/** Round to `digits` decimals (for JSON and tables); `null` stays `null`. */
export function round(x: number | null | undefined, digits = 2): number | null {
  if (x == null || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
