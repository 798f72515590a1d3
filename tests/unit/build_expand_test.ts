/** Docker's word rules: expansion forms, quotes, escapes, splitting, ENV/LABEL pairs. */
import { assertEquals, assertThrows } from "./assert.ts";
import { expandWord, namedValues, splitWords } from "../../src/build/expand.ts";
import { BuildError } from "../../src/errors.ts";

const vars = new Map([["A", "a"], ["E", ""], ["P", "x y"]]);

Deno.test("expand: $A, ${A}, unset is empty, a lone $ stays", () => {
  assertEquals(expandWord("$A-${A}-$U-${U}", vars), "a-a--");
  assertEquals(expandWord("cost: $ 5", vars), "cost: $ 5");
  assertEquals(expandWord("$A_b", vars), ""); // the name is A_b
});

Deno.test("expand: :- - :+ + modifiers by Docker's rules", () => {
  assertEquals(expandWord("${U:-dflt} ${E:-dflt} ${A:-dflt}", vars), "dflt dflt a");
  assertEquals(expandWord("${U-dflt}|${E-dflt}|", vars), "dflt||");
  assertEquals(expandWord("${A:+set}|${E:+set}|${U:+set}", vars), "set||");
  assertEquals(expandWord("${E+set}|${U+set}", vars), "set|");
  assertEquals(expandWord("${U:-$A/x}", vars), "a/x");
  assertThrows(() => expandWord("${U:?needed}", vars), BuildError);
});

Deno.test("expand: quotes and escapes are removed; single quotes are literal", () => {
  assertEquals(expandWord(`'$A' "$A" \\$A`, vars), "$A a $A");
  assertEquals(expandWord(`"a \\"b\\" \\n"`, vars), 'a "b" \\n');
  assertEquals(expandWord("`$A", vars, "`"), "$A");
  assertThrows(() => expandWord(`"open`, vars), BuildError);
});

Deno.test("splitWords: blanks outside quotes split; quotes and escapes stay", () => {
  assertEquals(splitWords(`a "b c" d\\ e 'f g'`), ["a", '"b c"', "d\\ e", "'f g'"]);
  assertEquals(splitWords("  "), []);
});

Deno.test("namedValues: pairs, the old one-pair form, ARG without value", () => {
  assertEquals(namedValues("ENV", `A=1 B="x y" C=$P`, vars), [
    { name: "A", value: "1" },
    { name: "B", value: "x y" },
    { name: "C", value: "x y" },
  ]);
  assertEquals(namedValues("ENV", "KEY some value $A", vars), [
    { name: "KEY", value: "some value a" },
  ]);
  assertEquals(namedValues("ARG", "X Y=2", vars), [{ name: "X" }, { name: "Y", value: "2" }]);
  assertThrows(() => namedValues("LABEL", "a=1 b", vars), BuildError);
});
