import assert from "node:assert/strict";
import { burstTimeoutMs, expectedCode, runsPerSecond } from "./throughput.ts";
import { parseId } from "./wait.ts";

Deno.test("expectedCode cycles through 0..99", () => {
  assert.equal(expectedCode(0), 0);
  assert.equal(expectedCode(49), 49);
  assert.equal(expectedCode(100), 0);
});

Deno.test("runsPerSecond counts only successful runs", () => {
  assert.equal(runsPerSecond(50, 2000), 25);
  assert.equal(runsPerSecond(0, 2000), 0);
  assert.equal(runsPerSecond(5, 0), 0);
});

Deno.test("parseId takes the last line of run -d output if it is a hex ID", () => {
  const id = "a".repeat(64);
  assert.equal(parseId(`${id}\n`), id);
  assert.equal(parseId(`pulling…\n${id}`), id);
  assert.equal(parseId("Error: no such thing"), null);
  assert.equal(parseId(""), null);
});

Deno.test("burstTimeoutMs grows with the burst size", () => {
  assert.equal(burstTimeoutMs(60_000, 1), 60_000);
  assert.equal(burstTimeoutMs(60_000, 50), 100_000);
});
