import assert from "node:assert/strict";
import { collectPhases, parsePhaseLine, phaseTable } from "./trace.ts";

Deno.test("parsePhaseLine reads the stamp, pid and phase name", () => {
  assert.deepEqual(parsePhaseLine({ at: 40, text: "DEBU[12.3ms] berth[981] phase created" }), {
    name: "created",
    ms: 12.3,
    at: 40,
    pid: 981,
  });
});

Deno.test("parsePhaseLine ignores other lines and strips colour codes", () => {
  assert.equal(parsePhaseLine({ at: 1, text: "DEBU[1.0ms] berth[1] opening db" }), null);
  assert.equal(parsePhaseLine({ at: 1, text: "WARN[1.0ms] berth[1] phase created" }), null);
  const coloured = "\x1b[36mDEBU[5.5ms] berth[2] phase started\x1b[0m";
  assert.equal(parsePhaseLine({ at: 9, text: coloured })?.name, "started");
});

Deno.test("collectPhases keeps the first mark of each phase", () => {
  const marks = collectPhases([
    { at: 10, text: "DEBU[1ms] berth[5] phase created" },
    { at: 20, text: "DEBU[2ms] berth[5] phase created" },
    { at: 30, text: "noise" },
  ]);
  assert.deepEqual(Object.keys(marks), ["created"]);
  assert.equal(marks.created.at, 10);
});

Deno.test("phaseTable: boot, per-phase medians, deltas and missing phases", () => {
  const run = (offset: number) => ({
    marks: collectPhases([
      { at: 40 + offset, text: "DEBU[10ms] berth[1] phase a" },
      { at: 100 + offset, text: "DEBU[70ms] berth[1] phase c" },
    ]),
    wallMs: 120 + offset,
  });
  const rows = phaseTable([run(0), run(2)], ["a", "b", "c"]);
  assert.deepEqual(rows.map((r) => r.phase), ["boot", "a", "b", "c", "exit"]);
  assert.deepEqual(rows[0], { phase: "boot", seen: 2, atMs: 31, berthMs: null, deltaMs: 31 });
  assert.deepEqual(rows[1], { phase: "a", seen: 2, atMs: 41, berthMs: 10, deltaMs: 10 });
  assert.deepEqual(rows[2], { phase: "b", seen: 0, atMs: null, berthMs: null, deltaMs: null });
  assert.deepEqual(rows[3], { phase: "c", seen: 2, atMs: 101, berthMs: 70, deltaMs: 60 });
  assert.deepEqual(rows[4], { phase: "exit", seen: 2, atMs: 121, berthMs: null, deltaMs: 20 });
});

Deno.test("phaseTable of runs without any phase line still has boot and exit rows", () => {
  const rows = phaseTable([{ marks: {}, wallMs: 50 }], ["a"]);
  assert.equal(rows[0].seen, 0);
  assert.equal(rows[1].atMs, null);
  assert.equal(rows[2].atMs, 50);
  assert.equal(rows[2].deltaMs, 50);
});
