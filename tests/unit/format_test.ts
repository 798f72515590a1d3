import { assertEquals, assertThrows } from "./assert.ts";
import { compileTemplate, goString, tableHeader } from "../../src/format/template.ts";
import { UsageError } from "../../src/errors.ts";

const data = {
  Id: "abc",
  Name: "n1",
  State: { Status: "exited", ExitCode: 3 },
  Env: ["A=1", "B=2"],
};

Deno.test("field paths, case-insensitive fallback, literal text", () => {
  assertEquals(compileTemplate("{{.State.Status}}")(data), "exited");
  assertEquals(compileTemplate("{{.ID}} {{.Name}}")(data), "abc n1");
  assertEquals(compileTemplate("code={{ .State.ExitCode }}\\t!")(data), "code=3\t!");
});

Deno.test("json, pipes and Go-style values", () => {
  assertEquals(compileTemplate("{{json .State}}")(data), '{"Status":"exited","ExitCode":3}');
  assertEquals(compileTemplate("{{.Name | upper}}")(data), "N1");
  assertEquals(compileTemplate("{{.Env}}")(data), "[A=1 B=2]");
  assertEquals(goString({ b: 1, a: "x" }), "map[a:x b:1]");
});

Deno.test("bad templates are usage errors", () => {
  assertThrows(() => compileTemplate("{{.State.Status")(data), UsageError);
  assertThrows(() => compileTemplate("{{.Nope}}")(data), UsageError);
  assertThrows(() => compileTemplate("{{frob .Name}}")(data), UsageError);
});

Deno.test("table headers", () => {
  assertEquals(tableHeader("{{.ID}}\\t{{.Names}}\\t{{.Status}}"), "CONTAINER ID\tNAMES\tSTATUS");
});
