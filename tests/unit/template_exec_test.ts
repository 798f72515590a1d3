import { assertEquals, assertThrows } from "./assert.ts";
import { execute } from "../../src/format/template/exec.ts";
import { parse } from "../../src/format/template/parse.ts";
import { FUNCS } from "../../src/format/template/funcs.ts";
import { UsageError } from "../../src/errors.ts";

const render = (src: string, data: unknown) => execute(parse(src, FUNCS), data);

const labels = { tier: "web", app: "api", "a.b": "x" };

Deno.test("exec: a map ranges in sorted key order with $key, $value", () => {
  assertEquals(
    render("{{range $k, $v := .}}{{$k}}={{$v}};{{end}}", labels),
    "a.b=x;app=api;tier=web;",
  );
  assertEquals(render("{{range .}}<{{.}}>{{end}}", labels), "<x><api><web>");
});

Deno.test("exec: fields match exactly, then case-insensitively", () => {
  assertEquals(render("{{.App}} {{.app}}", { app: "api" }), "api api");
  assertEquals(render("{{.}}", labels), "map[a.b:x app:api tier:web]");
});

Deno.test("exec: one tree renders many values", () => {
  const tree = parse("{{if .Running}}up{{else}}{{.Status}}{{end}}", FUNCS);
  assertEquals(execute(tree, { Running: true }), "up");
  assertEquals(execute(tree, { Running: false, Status: "exited" }), "exited");
});

Deno.test("exec: variables live until their {{end}}; break stops the range", () => {
  assertEquals(render("{{$x := 1}}{{range .}}{{$x = .}}{{end}}{{$x}}", [2, 3]), "3");
  assertEquals(
    render('{{range .}}{{if eq . "b"}}{{break}}{{end}}{{.}}{{end}}', ["a", "b", "c"]),
    "a",
  );
  assertEquals(render("{{range .}}x{{else}}empty{{end}}", {}), "empty");
});

Deno.test("exec: data mistakes are usage errors naming the problem", () => {
  const msg = (src: string, data: unknown) =>
    assertThrows(() => render(src, data), UsageError).message;
  assertEquals(msg("{{.Nope}}", labels), "template: can't evaluate field Nope");
  assertEquals(msg("{{.app.X}}", labels), "template: can't evaluate field X in type string");
  assertEquals(msg("{{range .}}{{end}}", "s"), "template: range can't iterate over s");
  assertEquals(msg("{{index . 5}}", []), "template: error calling index: index out of range: 5");
});
