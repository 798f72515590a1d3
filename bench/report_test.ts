import assert from "node:assert/strict";
import { evaluateTargets, fmt, renderTable, verdict } from "./report.ts";

Deno.test("evaluateTargets judges each target against its threshold", () => {
  const t = evaluateTargets({
    berthRunMs: 120,
    podmanRunMs: 600,
    runcRunMs: 60,
    berthCleanupToWaitMs: 5,
    berthRps: 20,
    podmanRps: 5,
    n: 50,
  });
  assert.deepEqual(t.map((x) => [x.id, x.met]), [
    ["run-vs-podman", true],
    ["run-vs-runc", true],
    ["wait-after-cleanup", true],
    ["throughput", true],
  ]);
  assert.equal(t[0].value, 0.2);
  assert.equal(t[0].measured, "0.20 ×");
  assert.equal(t[3].goal, "throughput at N=50 ≥ 2 × podman");
});

Deno.test("evaluateTargets: misses and missing measurements", () => {
  const t = evaluateTargets({
    berthRunMs: 200,
    podmanRunMs: null,
    runcRunMs: 50,
    berthCleanupToWaitMs: 25,
    berthRps: 9,
    podmanRps: 5,
    n: 10,
  });
  assert.deepEqual(t.map((x) => x.met), [null, false, false, false]);
  assert.equal(t[0].measured, "not measured");
  assert.deepEqual(t.map((x) => verdict(x.met)), ["n/a", "not met", "not met", "not met"]);
});

Deno.test("fmt", () => {
  assert.equal(fmt(1.25, 1), "1.3");
  assert.equal(fmt(null), "—");
  assert.equal(fmt(NaN), "—");
});

Deno.test("renderTable aligns text left and numbers right", () => {
  const t = renderTable(["name", "ms"], [["berth", "12.5"], ["podman", "580.0"], ["x", "—"]]);
  assert.equal(
    t,
    ["name    ms", "------  -----", "berth    12.5", "podman  580.0", "x           —"].join("\n"),
  );
});
