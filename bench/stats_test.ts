import assert from "node:assert/strict";
import { mean, median, p90, quantile, ratio, round, summarize } from "./stats.ts";

function near(actual: number, expected: number, eps = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= eps, `${actual} is not ≈ ${expected}`);
}

Deno.test("median of odd and even samples", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
});

Deno.test("median does not reorder its input", () => {
  const xs = [3, 1, 2];
  median(xs);
  assert.deepEqual(xs, [3, 1, 2]);
});

Deno.test("quantile interpolates between closest ranks", () => {
  const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  near(quantile(xs, 0), 1);
  near(quantile(xs, 1), 10);
  near(p90(xs), 9.1);
  near(quantile(xs, 0.25), 3.25);
});

Deno.test("quantile of an empty sample is NaN; out-of-range q throws", () => {
  assert.ok(Number.isNaN(quantile([], 0.5)));
  assert.throws(() => quantile([1], 1.5), RangeError);
  assert.throws(() => quantile([1], -0.1), RangeError);
});

Deno.test("p90 of twenty values", () => {
  const xs = Array.from({ length: 20 }, (_, i) => i + 1);
  near(p90(xs), 18.1);
});

Deno.test("mean", () => {
  near(mean([1, 2, 3, 4]), 2.5);
  assert.ok(Number.isNaN(mean([])));
});

Deno.test("summarize drops non-finite values and returns null when empty", () => {
  assert.equal(summarize([]), null);
  assert.equal(summarize([NaN, Infinity]), null);
  const s = summarize([5, NaN, 1, 3]);
  assert.deepEqual(s, { n: 3, min: 1, median: 3, p90: 4.6, max: 5, mean: 3 });
});

Deno.test("ratio guards missing and non-positive denominators", () => {
  assert.equal(ratio(1, 4), 0.25);
  assert.equal(ratio(null, 4), null);
  assert.equal(ratio(1, undefined), null);
  assert.equal(ratio(1, 0), null);
  assert.equal(ratio(NaN, 1), null);
});

Deno.test("round", () => {
  assert.equal(round(1.23456, 2), 1.23);
  assert.equal(round(2.5, 0), 3);
  assert.equal(round(null), null);
  assert.equal(round(NaN), null);
});
