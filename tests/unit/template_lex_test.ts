import { assertEquals, assertThrows } from "./assert.ts";
import { lex } from "../../src/format/template/lex.ts";
import { UsageError } from "../../src/errors.ts";

Deno.test("lex: text and an action's tokens", () => {
  assertEquals(lex('hi {{ .Name | printf "%s!" }}'), [
    { kind: "text", text: "hi " },
    {
      kind: "action",
      tokens: [
        { kind: "field", value: "Name", afterSpace: true, text: ".Name" },
        { kind: "|", value: undefined, afterSpace: true, text: "|" },
        { kind: "ident", value: "printf", afterSpace: true, text: "printf" },
        { kind: "lit", value: "%s!", afterSpace: true, text: '"%s!"' },
      ],
    },
  ]);
});

Deno.test("lex: afterSpace tells a field chain from two operands", () => {
  const kinds = (src: string) =>
    (lex(src)[0] as { tokens: { text: string; afterSpace: boolean }[] }).tokens
      .map((t) => `${t.afterSpace ? " " : ""}${t.text}`);
  assertEquals(kinds("{{.A.B}}"), [".A", ".B"]);
  assertEquals(kinds("{{.A .B}}"), [".A", " .B"]);
  assertEquals(kinds("{{$x := (len .)}}"), ["$x", " :=", " (", "len", " .", ")"]);
});

Deno.test("lex: literals carry their values", () => {
  const values = (src: string) =>
    (lex(src)[0] as { tokens: { value: unknown }[] }).tokens.map((t) => t.value);
  assertEquals(values("{{1 -2 0x1F 0755 1_000 1.5 'a' true nil}}"), [
    1,
    -2,
    31,
    493,
    1000,
    1.5,
    97,
    true,
    undefined,
  ]);
  assertEquals(values('{{"a\\tb\\u00e9" `raw\\t`}}'), ["a\tbé", "raw\\t"]);
});

Deno.test("lex: trim markers, comments and typed \\t are handled before parsing", () => {
  assertEquals(lex("a  {{- /* gone */ -}}  b\\tc"), [
    { kind: "text", text: "a" },
    { kind: "text", text: "b\tc" },
  ]);
});

Deno.test("lex: mistakes are usage errors", () => {
  const msg = (src: string) => assertThrows(() => lex(src), UsageError).message;
  assertEquals(msg("{{.Name"), "template: unclosed action");
  assertEquals(msg("{{/* x"), "template: unclosed comment");
  assertEquals(msg('{{"\\q"}}'), 'template: invalid escape "\\q"');
  // The lexer runs over the whole source first, so this is found despite the stray {{end}}.
  assertEquals(msg("{{end}}{{3x}}"), 'template: bad number syntax: "3x"');
});
