import { assertEquals } from "./assert.ts";
import { forEachTarget } from "../../src/cli/targets.ts";
import { rmStatus } from "../../src/cli/rm.ts";
import { ContainerRunningError, NoSuchContainerError, StateError } from "../../src/errors.ts";

/** Run forEachTarget with `act` failing as `failures` says; returns the status and targets tried. */
async function run(
  failures: Record<string, Error>,
  options: Parameters<typeof forEachTarget>[2] = {},
): Promise<{ status: number; tried: string[] }> {
  const tried: string[] = [];
  const status = await forEachTarget(["a", "b", "c"], (t) => {
    tried.push(t);
    if (failures[t]) return Promise.reject(failures[t]);
    return Promise.resolve();
  }, options);
  return { status, tried };
}

Deno.test("forEachTarget tries every target; any failure is 125 by default", async () => {
  assertEquals(await run({}), { status: 0, tried: ["a", "b", "c"] });
  assertEquals(await run({ a: new NoSuchContainerError("a") }), {
    status: 125,
    tried: ["a", "b", "c"],
  });
  assertEquals((await run({ b: new ContainerRunningError("running") })).status, 125);
});

Deno.test("forEachTarget: podman's rm rule, the lowest status any failure stands for", async () => {
  const rm = { statusOf: rmStatus };
  const missing = new NoSuchContainerError("x");
  const running = new ContainerRunningError("running");
  const other = new StateError("other");
  assertEquals((await run({ a: missing }, rm)).status, 1);
  assertEquals((await run({ a: running }, rm)).status, 2);
  assertEquals((await run({ a: other }, rm)).status, 125);
  // podman's setExitCode: 1 once seen stays; 2 beats the generic 125, in any order.
  assertEquals((await run({ a: missing, b: running }, rm)).status, 1);
  assertEquals((await run({ a: running, b: missing }, rm)).status, 1);
  assertEquals((await run({ a: other, b: running }, rm)).status, 2);
  assertEquals((await run({ a: running, c: other }, rm)).status, 2);
  assertEquals((await run({ a: missing, c: other }, rm)).status, 1);
});

Deno.test("forEachTarget: skipped failures count as silent successes", async () => {
  const skip = (err: unknown) => err instanceof NoSuchContainerError;
  assertEquals((await run({ a: new NoSuchContainerError("a") }, { skip })).status, 0);
  assertEquals(
    (await run({ a: new NoSuchContainerError("a"), b: new StateError("s") }, { skip }))
      .status,
    125,
  );
});

Deno.test("forEachTarget: beforeErrors runs after the loop, before the deferred errors", async () => {
  let ran = 0;
  const r = await run({ a: new StateError("s") }, {
    beforeErrors: () => {
      ran++;
      return Promise.resolve();
    },
  });
  assertEquals([r.status, ran], [125, 1]);
});
