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
