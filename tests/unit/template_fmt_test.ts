import { assertEquals } from "./assert.ts";
import { goString, sprint, sprintf, typeName } from "../../src/format/template/fmt.ts";

Deno.test("fmt: goString prints a value as an action shows it", () => {
  assertEquals(goString({ b: 1, a: ["x", null] }), "map[a:[x <no value>] b:1]");
  assertEquals(goString(1.5), "1.5");
  assertEquals(goString(1234567.5), "1.2345675e+06");
  assertEquals(goString(undefined), "<no value>");
});

Deno.test("fmt: sprintf and sprint follow Go's fmt", () => {
  assertEquals(sprintf("%5.2f|%-4s|%x|%v", [3.14159, "ab", 255, [1, "a"]]), " 3.14|ab  |ff|[1 a]");
  assertEquals(sprintf("%s %d", ["x"]), "x %!d(MISSING)");
  // Go puts a space between two operands only when neither is a string.
  assertEquals(sprint(["a", 1, 2, "b"]), "a1 2b");
  assertEquals([1, 1.5, "s", [], {}, null].map(typeName), [
    "int",
    "float64",
    "string",
    "[]interface {}",
    "map[string]interface {}",
    "<nil>",
  ]);
});
