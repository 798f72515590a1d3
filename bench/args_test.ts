import assert from "node:assert/strict";
import { parseBenchArgs } from "./args.ts";

Deno.test("defaults are the full run", () => {
  const c = parseBenchArgs([]);
  assert.equal(c.runs, 20);
  assert.equal(c.warmup, 2);
  assert.equal(c.waitRuns, 10);
  assert.deepEqual(c.ns, [1, 10, 50]);
  assert.equal(c.rounds, 3);
  assert.equal(c.podman, true);
  assert.equal(c.extras, true);
  assert.equal(c.quick, false);
  assert.equal(c.runtime, "runc");
  assert.equal(c.timeoutMs, 60_000);
  assert.equal(c.out, null);
  assert.deepEqual(c.skip, []);
});

Deno.test("--quick lowers the counts; explicit flags still win", () => {
  const q = parseBenchArgs(["--quick"]);
  assert.equal(q.runs, 3);
  assert.deepEqual(q.ns, [1, 5]);
  assert.equal(q.rounds, 1);
  assert.equal(q.extras, false);
  assert.equal(q.timeoutMs, 20_000);
  const r = parseBenchArgs(["--quick", "--runs", "7", "--n", "2, 4"]);
  assert.equal(r.runs, 7);
  assert.deepEqual(r.ns, [2, 4]);
});

Deno.test("flags", () => {
  const c = parseBenchArgs([
    ...["--no-podman", "--no-extras", "--skip", "wait,throughput", "--berth", "/x/main.ts"],
    ...["--runtime", "crun", "--out", "/tmp/o.json", "--keep", "--warmup", "0"],
  ]);
  assert.equal(c.podman, false);
  assert.equal(c.extras, false);
  assert.deepEqual(c.skip, ["wait", "throughput"]);
  assert.equal(c.berthMain, "/x/main.ts");
  assert.equal(c.runtime, "crun");
  assert.equal(c.out, "/tmp/o.json");
  assert.equal(c.keep, true);
  assert.equal(c.warmup, 0);
});

Deno.test("bad input is refused", () => {
  assert.throws(() => parseBenchArgs(["--runs", "0"]), /--runs/);
  assert.throws(() => parseBenchArgs(["--runs", "x"]), /--runs/);
  assert.throws(() => parseBenchArgs(["--skip", "nap"]), /unknown nap/);
  assert.throws(() => parseBenchArgs(["--bogus"]));
  assert.throws(() => parseBenchArgs(["extra"]), /unexpected/);
});
