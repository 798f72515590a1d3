import { assertEquals, assertThrows } from "./assert.ts";
import { FUNCS, truth } from "../../src/format/template/funcs.ts";

// The executor calls each function as `FUNCS[name].fn(...args)`; so do these tests.
const call = (name: string, ...args: unknown[]) => FUNCS[name].fn(...args);

Deno.test("funcs: printf is Go's fmt.Sprintf", () => {
  assertEquals(call("printf", "%s-%03d %q", "web", 7, "a\tb"), 'web-007 "a\\tb"');
  assertEquals(call("printf", "%d", "x"), "%!d(string=x)");
  assertThrows(() => call("printf", 3), Error);
});

Deno.test("funcs: index walks maps, arrays and strings", () => {
  const ports = { "80/tcp": [{ HostPort: "8080" }] };
  assertEquals(call("index", ports, "80/tcp", 0, "HostPort"), "8080");
  // A missing key is the zero value of the map's element type: "" for labels.
  assertEquals(call("index", { app: "api" }, "tier"), "");
  assertEquals(call("index", "abc", 1), 98);
  assertEquals(
    assertThrows(() => call("index", ["a"], 5), Error).message,
    "index out of range: 5",
  );
});

Deno.test("funcs: comparisons follow Go's typing", () => {
  assertEquals(call("eq", "web", "x", "web"), true);
  assertEquals(call("lt", 1, 2), true);
  assertEquals(call("eq", null, undefined), true);
  assertThrows(() => call("eq", 3, "3"), Error);
});

Deno.test("funcs: and/or return a deciding argument, not a boolean", () => {
  assertEquals(call("and", 1, 0, 2), 0);
  assertEquals(call("and", 1, null, 2), null);
  assertEquals(call("or", 0, "", 3), 3);
  assertEquals(call("or", 0, ""), "");
  assertEquals([0, "", [], {}, null].map(truth), [false, false, false, false, false]);
});

Deno.test("funcs: podman's string helpers", () => {
  assertEquals(call("join", ["a", "b"], ","), "a,b");
  assertEquals(call("truncate", "abc123", 3), "abc");
  assertEquals(call("pad", "x", 1, 2), " x  ");
  assertEquals(call("len", "é"), 2); // bytes, as Go counts a string
  assertEquals(FUNCS.not.min, 1);
  assertEquals(FUNCS.not.max, 1);
});
