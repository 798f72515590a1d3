/**
 * The assertion module itself: `assertEquals` tells apart what the JSON.stringify comparison
 * it replaced took for equal (it stringified every Map and Set to `{}`, dropped undefined
 * fields, printed NaN as null and a Date as its ISO string).
 */
import { AssertionError } from "node:assert/strict";
import { assert, assertEquals, assertMatch, assertRejects, assertThrows } from "./assert.ts";

/** `assertEquals(a, b)` fails, with an AssertionError. */
function differ(a: unknown, b: unknown, what: string): void {
  let threw: unknown = null;
  try {
    assertEquals(a, b);
  } catch (err) {
    threw = err;
  }
  if (!(threw instanceof AssertionError)) throw new Error(`${what}: compared equal`);
}

Deno.test("assertEquals: Map and Set contents count", () => {
  assertEquals(new Map([["a", 1]]), new Map([["a", 1]]));
  differ(new Map([["a", 1]]), new Map([["a", 2]]), "Map values");
  differ(new Map([["a", 1]]), new Map(), "Map sizes");
  differ(new Map([["a", 1]]), {}, "a Map and {}");
  assertEquals(new Set([1, 2]), new Set([2, 1]));
  differ(new Set([1]), new Set([2]), "Set members");
  differ(new Set([1]), [1], "a Set and an array");
  differ({ m: new Map([[1, new Set(["x"])]]) }, { m: new Map([[1, new Set(["y"])]]) }, "nested");
});

Deno.test("assertEquals: undefined is not missing; NaN, -0, Dates, typed arrays", () => {
  differ({ a: 1, b: undefined }, { a: 1 }, "an undefined field and a missing one");
  differ([undefined], [null], "undefined and null in an array");
  differ([1, , 3], [1, undefined, 3], "a hole and undefined"); // eslint-disable-line no-sparse-arrays
  assertEquals(NaN, NaN);
  differ(NaN, null, "NaN and null");
  differ(0, -0, "0 and -0");
  assertEquals(new Date(5), new Date(5));
  differ(new Date(5), new Date(6), "two times");
  differ(new Date(0), new Date(0).toISOString(), "a Date and its ISO string");
  differ(new Date(NaN), null, "an invalid Date and null");
  assertEquals(new Uint8Array([1, 2]), new Uint8Array([1, 2]));
  differ(new Uint8Array([1, 2]), new Uint8Array([1, 3]), "bytes");
  differ(new Uint8Array([1]), new Uint16Array([1]), "typed array types");
  differ(1n, 1, "a bigint and a number"); // JSON.stringify threw on bigints
});

Deno.test("assertEquals: prototypes count, key order does not", () => {
  class Point {
    constructor(readonly x: number) {}
  }
  assertEquals(new Point(1), new Point(1));
  differ(new Point(1), { x: 1 }, "a class instance and a literal");
  differ(Object.assign(Object.create(null), { j: 1 }), { j: 1 }, "a null-prototype row and {}");
  assertEquals({ a: 1, b: 2 }, { b: 2, a: 1 });
  differ("1", 1, "a string and a number");
});

Deno.test("assertEquals: the message names the comparison and keeps node's diff", () => {
  const err = assertThrows(() => assertEquals({ a: 1 }, { a: 2 }, "the field"), AssertionError);
  assert(err.message.startsWith("the field: "), err.message);
  assert(err.message.includes("a: 2"), err.message);
});

Deno.test("assert, assertMatch, assertThrows, assertRejects fail when they should", async () => {
  assertThrows(() => assert(0, "zero"), AssertionError);
  assertThrows(() => assertMatch("abc", /x/), AssertionError);
  assertThrows(() => assertThrows(() => 1, Error), AssertionError);
  assertThrows(() =>
    assertThrows(() => {
      throw new Error("plain");
    }, TypeError), AssertionError);
  const e = await assertRejects(() => Promise.reject(new TypeError("bad x")), TypeError, "x");
  assert(e instanceof TypeError);
  await assertRejects(() => assertRejects(() => Promise.resolve(), Error), AssertionError);
  await assertRejects(
    () => assertRejects(() => Promise.reject(new Error("a")), Error, "b"),
    AssertionError,
  );
});
