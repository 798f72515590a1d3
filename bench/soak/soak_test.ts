import { assert, assertEquals } from "../../tests/unit/assert.ts";
import { type CallRecord, checkCall, type Expect } from "./check.ts";
import { faultApplies, FAULTS, planIteration } from "./plan.ts";
import { iterationSeed, rng } from "./prng.ts";

const enc = new TextEncoder();

Deno.test("soak plan: the same seed and iteration give the same plan; faults fit the engine", () => {
  const o = { engine: "podman" as const, concurrencyMax: 7 };
  for (let i = 0; i < 200; i++) {
    const p = planIteration(42, i, o);
    assertEquals(p, planIteration(42, i, o));
    assert(p.concurrency >= 1 && p.concurrency <= 7 && p.units.length === p.concurrency);
    assert(p.fault === "none" || faultApplies("podman", p.fault, p.workload), p.fault);
    assert(p.units.every((u) => u.code >= 0 && u.code <= 255));
  }
  assert(planIteration(1, 0, o).seed !== planIteration(1, 1, o).seed);
  assert(iterationSeed(1, 0) !== iterationSeed(2, 0));
  assert(!faultApplies("podman", "reboot", "run-rm") && faultApplies("berth", "reboot", "run-rm"));
  assertEquals(FAULTS[0], "none");
  const r = rng(3);
  assert(Array.from({ length: 100 }, () => r.int(0, 255)).every((n) => n >= 0 && n <= 255));
});

const call = (over: Partial<CallRecord>): CallRecord => ({
  what: "run",
  code: 0,
  stdout: new Uint8Array(),
  stderr: "",
  start: 0,
  end: 100,
  timedOut: false,
  killed: false,
  ...over,
});
const exp = (over: Partial<Expect>): Expect => ({
  codes: [3],
  printed: false,
  monitorLostOk: false,
  errorOk: [],
  timed: false,
  ...over,
});
const kinds = (c: CallRecord, e: Expect, exitAt?: number) =>
  checkCall(c, e, exitAt).map((v) => v.kind);

Deno.test("soak check: codes, lost monitors, errors, output, lateness, hangs, locks", () => {
  assertEquals(kinds(call({ code: 3 }), exp({})), []);
  assertEquals(kinds(call({ code: 0 }), exp({})), ["wrong-code", "zero-for-failure"]);
  assertEquals(kinds(call({ stdout: enc.encode("3\n") }), exp({ printed: true })), []);
  assertEquals(kinds(call({ code: 255 }), exp({ monitorLostOk: true })), [
    "monitor-lost-without-error",
  ]);
  assertEquals(kinds(call({ code: 255, stderr: "Error: x\n" }), exp({ monitorLostOk: true })), []);
  assertEquals(kinds(call({ code: 125, stderr: "Error: x\n" }), exp({ errorOk: [125] })), []);
  assertEquals(kinds(call({ code: 125 }), exp({ errorOk: [125] })), ["wrong-code"]);
  assertEquals(
    kinds(call({ code: 3, stdout: enc.encode("ab") }), exp({ stdout: enc.encode("a") })),
    [
      "output",
    ],
  );
  assertEquals(
    kinds(call({ code: 137 }), exp({ codes: [3, 137], stdout: enc.encode("a"), outputIf: [3] })),
    [],
  );
  assertEquals(kinds(call({ code: 3, start: 0, end: 2600 }), exp({ timed: true }), 500), [
    "late-return",
  ]);
  assertEquals(kinds(call({ code: 3, start: 0, end: 2400 }), exp({ timed: true }), 500), []);
  assertEquals(kinds(call({ code: 137, timedOut: true }), exp({})), ["hang"]);
  assertEquals(kinds(call({ code: 137, killed: true, stderr: "database is locked" }), exp({})), [
    "db-locked",
  ]);
  assertEquals(kinds(call({ code: 9 }), exp({ loose: true })), []);
});

Deno.test("soak plan: a bridge network changes only the plan's bridge flag, never for a reboot", () => {
  const o = { engine: "berth" as const, concurrencyMax: 10 };
  let bridged = 0;
  for (let i = 0; i < 300; i++) {
    const plain = planIteration(7, i, o);
    const withBridge = planIteration(7, i, { ...o, bridge: true });
    assertEquals({ ...withBridge, bridge: false }, plain);
    if (withBridge.bridge) bridged++;
    assert(!(withBridge.bridge && withBridge.fault === "reboot"));
  }
  assert(bridged > 20 && bridged < 100, `${bridged} of 300 bridged`);
});
