import { assert, assertEquals, assertThrows } from "./assert.ts";
import {
  assertTransition,
  canKill,
  canStart,
  canTransition,
  isState,
  stateAfterReboot,
  STATES,
  TRANSITIONS,
} from "../../src/engine/states.ts";
import { StateError } from "../../src/errors.ts";
import type { State } from "../../src/engine/states.ts";

Deno.test("every state has an entry in the transition table, and only states appear", () => {
  for (const s of STATES) {
    assert(s in TRANSITIONS, s);
    for (const to of TRANSITIONS[s]) assert(isState(to), `${s} -> ${to}`);
  }
});

Deno.test("the lifecycle path of a run is legal", () => {
  const path = ["created", "initialized", "running", "stopping", "stopped", "exited", "removing"];
  for (let i = 0; i + 1 < path.length; i++) {
    assert(canTransition(path[i] as never, path[i + 1] as never), `${path[i]} -> ${path[i + 1]}`);
  }
});

Deno.test("stopped is not exited: wait-relevant transitions", () => {
  assert(!canTransition("running", "exited"), "running must pass through stopped");
  assert(!canTransition("stopped", "running"));
  assert(canTransition("initialized", "created"), "a never-started container goes back");
});

Deno.test("illegal transitions throw a StateError naming both states", () => {
  const err = assertThrows(() => assertTransition("exited", "running"), StateError);
  assert(err.message.includes("exited -> running"));
  assertThrows(() => assertTransition("removing", "exited"), StateError);
  assertThrows(() => assertTransition("created", "stopped"), StateError);
});

Deno.test("predicates", () => {
  assert(canStart("created") && canStart("exited") && !canStart("running"));
  assert(canKill("running") && !canKill("exited") && !canKill("created"));
  assertEquals(stateAfterReboot("running"), "created");
  assertEquals(stateAfterReboot("exited"), "exited");
  assertEquals(stateAfterReboot("stopped"), "created");
});

Deno.test("named predicates answer as the hand-written state lists did", async () => {
  const m = await import("../../src/engine/states.ts");
  const holds = (pred: (s: State) => boolean) => STATES.filter(pred);
  assertEquals(holds(m.isCreated), ["created"]);
  assertEquals(holds(m.isInitialized), ["initialized"]);
  assertEquals(holds(m.isRunning), ["running"]);
  assertEquals(holds(m.isUp), ["running", "stopping"]);
  assertEquals(holds(m.hasExited), ["stopped", "exited"]);
  assertEquals(holds(m.awaitsCleanup), ["stopped"]);
  assertEquals(holds(m.isRemoving), ["removing"]);
  assertEquals(holds(m.runtimeReleased), ["exited", "removing"]);
  assertEquals(holds(m.needsRuntimeRelease), [
    "created",
    "initialized",
    "running",
    "stopping",
    "stopped",
  ]);
  assertEquals(m.INITIAL_STATE, "created");
});

Deno.test("stateAfterCleanup: stopped -> exited, initialized -> created, else none, all legal", async () => {
  const { stateAfterCleanup } = await import("../../src/engine/states.ts");
  for (const s of STATES) {
    const next = stateAfterCleanup(s);
    const want = s === "stopped" ? "exited" : s === "initialized" ? "created" : undefined;
    assertEquals(next, want, s);
    if (next !== undefined) assert(canTransition(s, next), `${s} -> ${next}`);
  }
});

Deno.test("stateAfterReboot only names legal transitions (or no change)", () => {
  for (const s of STATES) {
    const next = stateAfterReboot(s);
    assert(next === s || canTransition(s, next), `${s} -> ${next}`);
  }
});
