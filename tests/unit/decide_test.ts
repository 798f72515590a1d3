/**
 * The lifecycle's decisions, one state at a time and without root: what create, start, stop,
 * cleanup and rm do with a container, given its row and the facts the operation gathered.
 * Each test reads as a rule of `docs/lifecycle.md`; the operations in `src/engine/` only
 * carry the decisions out.
 */
import { assert, assertEquals, assertThrows } from "./assert.ts";
import { type State, STATES } from "../../src/engine/states.ts";
import type { ContainerRow } from "../../src/store/containers.ts";
import { containerRow, SPEC } from "./fixtures.ts";
import {
  ConflictError,
  ContainerRunningError,
  StateError,
  UlimitAboveHostError,
  UsageError,
} from "../../src/errors.ts";
import { hostHardLimits, RLIM_INFINITY, type Rlimit } from "../../src/oci/limits.ts";
import { decideCreate } from "../../src/engine/decide/create.ts";
import { decideStart } from "../../src/engine/decide/start.ts";
import { decideStop } from "../../src/engine/decide/stop.ts";
import { decideAfterExit, removalMissed } from "../../src/engine/decide/after_exit.ts";
import { decideCleanup } from "../../src/engine/decide/cleanup.ts";
import { decideRemove, MAX_STOP_ROUNDS } from "../../src/engine/decide/remove.ts";

const row = containerRow;

/** `decide(row(s))` for every state, errors as their class name. */
function table<T>(decide: (r: ContainerRow) => T): Record<State, T | string> {
  const out = {} as Record<State, T | string>;
  for (const s of STATES) {
    try {
      out[s] = decide(row(s));
    } catch (err) {
      out[s] = (err as Error).constructor.name;
    }
  }
  return out;
}

// ---- create ----

Deno.test("create: a valid name nobody holds may be created", () => {
  decideCreate({ name: "web", spec: SPEC }, { hostHard: {} });
  decideCreate({ name: "a.b_c-1", spec: SPEC }, { hostHard: {} });
});

Deno.test("create: a name held by another container is a conflict naming the holder", () => {
  const err = assertThrows(
    () => decideCreate({ name: "web", spec: SPEC }, { nameOwner: "3f2a", hostHard: {} }),
    ConflictError,
  );
  assertEquals(
    err.message,
    `the container name "web" is already in use by 3f2a. You have to remove that container to be able to reuse that name: that name is already in use`,
  );
});

Deno.test("create: an invalid name is a usage error, checked before the conflict", () => {
  for (const name of ["", "-web", "we b", "web/1", ".web"]) {
    assertThrows(
      () => decideCreate({ name, spec: SPEC }, { nameOwner: "3f2a", hostHard: {} }),
      UsageError,
    );
  }
});

Deno.test("create: a --ulimit may reach the host's hard limit but not exceed it", () => {
  const hostHard = hostHardLimits(
    "Limit                     Soft Limit           Hard Limit           Units\n" +
      "Max open files            1024                 20000                files\n" +
      "Max core file size        0                    unlimited            bytes\n",
  );
  assertEquals(hostHard, { RLIMIT_NOFILE: 20000, RLIMIT_CORE: RLIM_INFINITY });
  const asking = (...ulimits: Rlimit[]) => ({ name: "web", spec: { ...SPEC, ulimits } });
  decideCreate(asking({ type: "RLIMIT_NOFILE", soft: 1024, hard: 20000 }), { hostHard });
  decideCreate(asking({ type: "RLIMIT_CORE", soft: RLIM_INFINITY, hard: RLIM_INFINITY }), {
    hostHard,
  });
  // a type the host does not list is the runtime's business
  decideCreate(asking({ type: "RLIMIT_NICE", soft: 40, hard: 40 }), { hostHard });
  const err = assertThrows(
    () => decideCreate(asking({ type: "RLIMIT_NOFILE", soft: 1, hard: 30000 }), { hostHard }),
    UlimitAboveHostError,
  );
  assertEquals(err.message, "ulimit nofile: hard limit 30000 exceeds the host's 20000");
  const unlimited = assertThrows(
    () =>
      decideCreate(asking({ type: "RLIMIT_NOFILE", soft: 1, hard: RLIM_INFINITY }), {
        hostHard,
      }),
    UlimitAboveHostError,
  );
  assertEquals(unlimited.message, "ulimit nofile: hard limit unlimited exceeds the host's 20000");
});

// ---- start ----

Deno.test("start: what it does in each state", () => {
  assertEquals(table(decideStart), {
    created: { kind: "start", finishCleanup: false },
    initialized: { kind: "alreadyRunning" },
    running: { kind: "alreadyRunning" },
    stopping: { kind: "alreadyRunning" },
    // an exit seen but not yet cleaned up: finish the last run's cleanup, then start
    stopped: { kind: "start", finishCleanup: true },
    exited: { kind: "start", finishCleanup: false },
    removing: "StateError",
  });
});

Deno.test("start: a container being removed cannot start, and the error says so", () => {
  const err = assertThrows(() => decideStart(row("removing")), StateError);
  assertEquals(err.message, "container c0ffee is in state removing: cannot start it");
});

// ---- stop ----

Deno.test("stop: only a container with a process gets a signal", () => {
  assertEquals(table((r) => decideStop(r, {}).kind), {
    created: "nothing",
    initialized: "signal",
    running: "signal",
    stopping: "signal",
    stopped: "nothing",
    exited: "nothing",
    removing: "nothing",
  });
});

Deno.test("stop: the container's stop signal, then SIGKILL after its stop timeout", () => {
  assertEquals(decideStop(row("running", { stopSignal: 2, stopTimeout: 7 }), {}), {
    kind: "signal",
    signal: 2,
    thenKillAfterSec: 7,
  });
});

Deno.test("stop: -t overrides the stop timeout; -t 0 (or a zero stop timeout) kills at once", () => {
  assertEquals(decideStop(row("running"), { timeout: 3 }), {
    kind: "signal",
    signal: 15,
    thenKillAfterSec: 3,
  });
  assertEquals(decideStop(row("running"), { timeout: 0 }), { kind: "kill" });
  assertEquals(decideStop(row("running", { stopTimeout: 0 }), {}), { kind: "kill" });
});

// ---- after the exit ----

Deno.test("after an exit: cleanup is due for stopped (and never-started) containers", () => {
  assertEquals(table(decideAfterExit), {
    created: { kind: "nothing" },
    initialized: { kind: "cleanup", remove: false },
    running: { kind: "nothing" },
    stopping: { kind: "nothing" },
    stopped: { kind: "cleanup", remove: false },
    exited: { kind: "nothing" },
    removing: { kind: "nothing" },
  });
});

Deno.test("after an exit: an --rm container is removed by its cleanup, or later if missed", () => {
  assertEquals(decideAfterExit(row("stopped", { autoRemove: true })), {
    kind: "cleanup",
    remove: true,
  });
  // cleaned up (or half removed) but still here: its cleanup process died first
  for (const s of ["exited", "removing"] as const) {
    assert(removalMissed(row(s, { autoRemove: true })), s);
    assertEquals(decideAfterExit(row(s, { autoRemove: true })), { kind: "finishRemoval" });
  }
  assert(!removalMissed(row("exited")), "without --rm nothing is missed");
  assert(!removalMissed(row("stopped", { autoRemove: true })), "cleanup comes first");
});

// ---- cleanup ----

Deno.test("cleanup: refuses a container with a process; releases the runtime once", () => {
  assertEquals(table((r) => decideCleanup(r, { remove: false })), {
    created: { releaseRuntime: true, remove: false },
    initialized: "StateError",
    running: "StateError",
    stopping: "StateError",
    stopped: { releaseRuntime: true, remove: false },
    // already released: a second cleanup (a lost race) has nothing to do
    exited: { releaseRuntime: false, remove: false },
    removing: { releaseRuntime: false, remove: false },
  });
});

Deno.test("cleanup --rm removes afterwards, whether or not the release was still due", () => {
  assertEquals(decideCleanup(row("stopped"), { remove: true }), {
    releaseRuntime: true,
    remove: true,
  });
  assertEquals(decideCleanup(row("exited"), { remove: true }), {
    releaseRuntime: false,
    remove: true,
  });
  const err = assertThrows(() => decideCleanup(row("running"), { remove: true }), StateError);
  assertEquals(err.message, "container c0ffee is running, refusing to clean up");
});

// ---- rm ----

Deno.test("rm without -f: deletes a container without a process, refuses a live one", () => {
  assertEquals(table((r) => decideRemove(r, { force: false }, 0)), {
    created: { kind: "delete" },
    initialized: "ContainerRunningError",
    running: "ContainerRunningError",
    stopping: "ContainerRunningError",
    stopped: { kind: "delete" },
    exited: { kind: "delete" },
    removing: { kind: "delete" },
  });
  const err = assertThrows(
    () => decideRemove(row("running"), { force: false }, 0),
    ContainerRunningError,
  );
  assertEquals(
    err.message,
    "cannot remove container c0ffee as it is running - running or paused containers cannot be removed without force: container state improper",
  );
});

Deno.test("rm -f stops a live container first: -t for the first round, SIGKILL after", () => {
  const opts = { force: true, timeout: 4 };
  assertEquals(decideRemove(row("running"), opts, 0), { kind: "stopFirst", timeout: 4 });
  assertEquals(decideRemove(row("running"), { force: true }, 0), {
    kind: "stopFirst",
    timeout: undefined, // the container's own stop timeout
  });
  for (let round = 1; round < MAX_STOP_ROUNDS; round++) {
    assertEquals(decideRemove(row("stopping"), opts, round), { kind: "stopFirst", timeout: 0 });
  }
  assertEquals(decideRemove(row("exited"), opts, 1), { kind: "delete" });
});

Deno.test("rm -f gives up on a container that outlived every stop round", () => {
  const err = assertThrows(
    () => decideRemove(row("running"), { force: true }, MAX_STOP_ROUNDS),
    StateError,
  );
  assertEquals(err.message, "container c0ffee did not exit after SIGKILL; cannot remove it");
});
