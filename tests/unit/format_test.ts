import { assertEquals, assertThrows } from "./assert.ts";
import { compileTemplate, goString, tableHeader } from "../../src/format/template/mod.ts";
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

// ---------------------------------------------------------------- Go text/template subset

const ctr = {
  Id: "abc123",
  Name: "web",
  Names: ["web", "alias"],
  State: { Status: "running", Running: true, ExitCode: 0, Pid: 42 },
  Config: { Labels: { "a.b": "x", app: "api", tier: "" }, Env: ["A=1", "B=2"], Cmd: null },
  Mounts: [],
  Ports: { "80/tcp": [{ HostPort: "8080" }], "443/tcp": null },
  Size: 1.5,
  Count: 3,
};
const r = (t: string, d: unknown = ctr) => compileTemplate(t)(d);
const bad = (t: string, d: unknown = ctr) => assertThrows(() => r(t, d), UsageError).message;

Deno.test("template: {{.}}, $, and literals", () => {
  assertEquals(r("{{.}}", "hi"), "hi");
  assertEquals(r("{{.}}", [1, "a"]), "[1 a]");
  assertEquals(r("{{$.Name}} {{$}}", { Name: "n" }), "n map[Name:n]");
  assertEquals(r('{{"a\\tb\\u00e9\\x41"}}|{{`raw\\t`}}'), "a\tbéA|raw\\t");
  assertEquals(
    r("{{1}} {{-2}} {{1.5}} {{0x1F}} {{0755}} {{1_000}} {{'a'}} {{true}}"),
    "1 -2 1.5 31 493 1000 97 true",
  );
  assertEquals(r("{{.Size}} {{.Config.Cmd}}"), "1.5 <no value>");
  assertEquals(goString(1234567.5), "1.2345675e+06");
  assertEquals(goString(0.00001), "1e-05");
  assertEquals(goString(1e6), "1000000");
});

Deno.test("template: if / else if / else and Go truthiness", () => {
  assertEquals(r("{{if .State.Running}}up{{else}}down{{end}}"), "up");
  assertEquals(
    r('{{if eq .State.Status "exited"}}E{{else if eq .State.Status "running"}}R{{else}}?{{end}}'),
    "R",
  );
  assertEquals(r('{{if (eq .State.Status "running")}}yes{{end}}'), "yes");
  const t = compileTemplate("{{if .}}T{{else}}F{{end}}");
  const falsy = [false, 0, "", [], {}, null, undefined];
  const truthy = [true, 1, -1, 0.5, "x", [0], { a: 0 }];
  assertEquals(falsy.map(t).join(""), "FFFFFFF");
  assertEquals(truthy.map(t).join(""), "TTTTTTT");
  assertEquals(r("{{if .State.ExitCode}}bad{{end}}"), "");
  assertEquals(r("{{if not .Mounts}}none{{end}}"), "none");
  assertEquals(r("{{if and .State.Running .Names}}both{{end}}"), "both");
  assertEquals(r("{{if or .Mounts .Names}}either{{end}}"), "either");
});

Deno.test("template: range over arrays, maps, integers; else, break, continue", () => {
  assertEquals(r("{{range .Names}}[{{.}}]{{end}}"), "[web][alias]");
  assertEquals(r("{{range $i, $n := .Names}}{{$i}}={{$n}} {{end}}"), "0=web 1=alias ");
  assertEquals(r("{{range $n := .Names}}{{$n}},{{end}}"), "web,alias,");
  // Map keys come out sorted, `.` is the value.
  assertEquals(
    r("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}"),
    "a.b=x;app=api;tier=;",
  );
  assertEquals(r("{{range .Config.Labels}}<{{.}}>{{end}}"), "<x><api><>");
  assertEquals(r("{{range .Mounts}}m{{else}}no mounts{{end}}"), "no mounts");
  assertEquals(r("{{range .Config.Cmd}}x{{else}}nil{{end}}"), "nil");
  assertEquals(r("{{range 3}}{{.}}{{end}}"), "012");
  assertEquals(r('{{range .Names}}{{if eq . "alias"}}{{break}}{{end}}{{.}}{{end}}'), "web");
  assertEquals(r('{{range .Names}}{{if eq . "web"}}{{continue}}{{end}}{{.}}{{end}}'), "alias");
  assertEquals(r("{{range .Names}}{{$.Name}}:{{.}} {{end}}"), "web:web web:alias ");
  assertEquals(
    r("{{range $p, $b := .Ports}}{{$p}}{{range $b}}->{{.HostPort}}{{end}} {{end}}"),
    "443/tcp 80/tcp->8080 ",
  );
  assertEquals(bad("{{range .Name}}{{end}}"), "template: range can't iterate over web");
});

Deno.test("template: with / else with", () => {
  assertEquals(r("{{with .State}}{{.Status}}/{{.Pid}}{{end}}"), "running/42");
  assertEquals(r("{{with .Mounts}}has{{else}}empty{{end}}"), "empty");
  assertEquals(r("{{with .Mounts}}a{{else with .Names}}{{index . 0}}{{end}}"), "web");
  assertEquals(r("{{with $s := .State.Status}}{{$s}}{{.}}{{end}}"), "runningrunning");
});

Deno.test("template: variables, scoping and assignment", () => {
  assertEquals(r("{{$x := .Name}}{{$x}}-{{$x | upper}}"), "web-WEB");
  assertEquals(r("{{$s := .State}}{{$s.Status}} {{$s.pid}}"), "running 42");
  assertEquals(r("{{$x := 1}}{{range .Names}}{{$x = 2}}{{end}}{{$x}}"), "2");
  assertEquals(r('{{$x := "out"}}{{range .Names}}{{$x := .}}{{end}}{{$x}}'), "out");
  assertEquals(bad("{{if true}}{{$y := 1}}{{end}}{{$y}}"), 'template: undefined variable "$y"');
  assertEquals(bad("{{$z = 1}}"), 'template: undefined variable "$z"');
});

Deno.test("template: trim markers and comments", () => {
  assertEquals(r("a  {{- .Name -}}  \n b"), "awebb");
  assertEquals(r("{{range .Names -}}\n  {{.}}\n{{- end}}"), "webalias");
  assertEquals(r("x{{/* a comment {{.Nope}} */}}y{{- /* trimmed */ -}} z"), "xyz");
  assertEquals(r("{{-3}}"), "-3");
  assertEquals(r("a\\t{{- .Name}}"), "aweb");
});

Deno.test("template: index and slice", () => {
  assertEquals(r('{{index .Config.Labels "a.b"}}'), "x");
  assertEquals(r("{{index .Names 1}}"), "alias");
  assertEquals(r('{{index .Ports "80/tcp" 0 "HostPort"}}'), "8080");
  assertEquals(r("{{index .Names}}"), "[web alias]");
  assertEquals(r('{{index "abc" 1}}'), "98");
  // A label that is not there is "" (the zero value of a string map), as with podman.
  assertEquals(r('[{{index .Config.Labels "nope"}}]'), "[]");
  assertEquals(r('[{{index .Config.Cmd "nope"}}]'), "[]");
  assertEquals(bad("{{index .Names 5}}"), "template: error calling index: index out of range: 5");
  assertEquals(r("{{slice .Names 1}} {{slice .Name 1 2}} {{slice .Name}}"), "[alias] e web");
});

Deno.test("template: printf, print, println", () => {
  assertEquals(r('{{printf "%s-%d" .Name .State.ExitCode}}'), "web-0");
  assertEquals(r('{{.Name | printf "%q"}}'), '"web"');
  assertEquals(
    r('{{printf "%5s|%-5s|%05d|%.2f|%x|%t|%v|%%"  "a" "b" 42 3.14159 255 true .Names}}'),
    "    a|b    |00042|3.14|ff|true|[web alias]|%",
  );
  assertEquals(r('{{printf "%d %s" "x"}}'), "%!d(string=x) %!s(MISSING)");
  assertEquals(r('{{printf "%v %s" nil 3}}'), "<nil> %!s(int=3)");
  assertEquals(r('{{printf "%6.2f|%e|%g" .Size 1234.5 .Size}}'), "  1.50|1.234500e+03|1.5");
  assertEquals(r('{{print "a" 1 2 "b"}}|{{println .Name 3}}'), "a1 2b|web 3\n");
  assertEquals(r('{{printf "%T %T" .Count .Config}}'), "int map[string]interface {}");
});

Deno.test("template: comparisons", () => {
  assertEquals(r('{{eq .Name "web"}} {{eq .Name "x" "web"}} {{ne .Count 3}}'), "true true false");
  assertEquals(
    r('{{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge 3 2}} {{lt "a" "b"}}'),
    "true true false true true",
  );
  assertEquals(r("{{eq .Config.Cmd nil}} {{eq .Name nil}}"), "true false");
  assertEquals(
    bad('{{eq .Count "3"}}'),
    "template: error calling eq: incompatible types for comparison",
  );
  assertThrows(() => r("{{eq .Names .Names}}"), UsageError);
  assertThrows(() => r("{{lt true false}}"), UsageError);
  assertEquals(r('{{and 1 0 2}} {{and 1 2}} {{or 0 "" 3}} {{or 0 ""}} {{not 0}}'), "0 2 3  true");
  // and/or stop at the first deciding value: the failing index is never evaluated.
  assertEquals(r("{{or .Name (index .Names 9)}} {{and .Mounts (index .Names 9)}}"), "web []");
});

Deno.test("template: podman's string functions and the rest", () => {
  assertEquals(r('{{join .Names ","}} {{join .Config.Cmd ","}}'), "web,alias ");
  assertEquals(r('{{split "a:b:c" ":"}} {{len (split "a:b" ":")}}'), "[a b c] 2");
  assertEquals(r("{{truncate .Id 3}} {{truncate .Id 99}}"), "abc abc123");
  assertEquals(
    r('{{contains .Name "e"}} {{hasPrefix .Name "we"}} {{hasSuffix .Name "x"}}'),
    "true true false",
  );
  assertEquals(r("[{{pad .Name 1 2}}]"), "[ web  ]");
  assertEquals(
    r('{{len .Names}} {{len .Config.Labels}} {{len .Name}} {{len "é"}} {{len .Config.Cmd}}'),
    "2 3 3 2 0",
  );
  assertEquals(r("{{.Name | upper | lower | title}} {{json .Names}}"), 'Web ["web","alias"]');
  assertEquals(
    r('{{html "<a&b>"}} {{urlquery "a b&c"}} {{js "it\'s"}}'),
    "&lt;a&amp;b&gt; a+b%26c it\\'s",
  );
  assertEquals(r('{{(index .Ports "80/tcp" 0).HostPort}}'), "8080");
});

Deno.test("template: compile errors are one-line usage errors", () => {
  const msg = (t: string) => assertThrows(() => compileTemplate(t), UsageError).message;
  const cases: [string, string][] = [
    ["{{.Name", "template: unclosed action"],
    ["{{if .Name}}x", "template: unexpected EOF: missing {{end}} for {{if}}"],
    ["x{{end}}", "template: unexpected {{end}}"],
    ["{{else}}", "template: unexpected {{else}}"],
    ["{{frob .Name}}", 'template: function "frob" not defined'],
    ["{{.Name | frob}}", 'template: function "frob" not defined'],
    ["{{index}}", "template: wrong number of args for index: want at least 1 got 0"],
    ["{{not 1 2}}", "template: wrong number of args for not: want 1 got 2"],
    ["{{}}", "template: missing value for command"],
    ["{{.Name |}}", "template: missing command"],
    ["{{.Name .Id}}", "template: can't give argument to non-function .Name"],
    ["{{.Name | .Id}}", "template: can't give argument to non-function .Id"],
    ['{{.Name | "x"}}', "template: non executable command in pipeline stage 2"],
    ["{{$nope}}", 'template: undefined variable "$nope"'],
    ['{{"abc}}', "template: unterminated quoted string"],
    ["{{(eq 1 1}}", "template: unclosed left paren"],
    ["{{/* x }}", "template: unclosed comment"],
    ["{{break}}", "template: {{break}} outside {{range}}"],
    ["{{range .Names}}{{else}}{{break}}{{end}}", "template: {{break}} outside {{range}}"],
    ["{{if 1}}{{else with 2}}{{end}}", "template: unexpected {{else with}} in {{if}}"],
    ["{{nil}}", "template: nil is not a command"],
    ['{{template "x"}}', "template: {{template}} is not supported"],
    ["{{3x}}", 'template: bad number syntax: "3x"'],
    ["{{.A#}}", 'template: bad character "#" after .A'],
  ];
  for (const [t, want] of cases) assertEquals(msg(t), want, t);
});

Deno.test("template: render errors are usage errors too", () => {
  assertEquals(bad("{{.Nope}}"), "template: can't evaluate field Nope");
  assertEquals(bad("{{.Name.Foo}}"), "template: can't evaluate field Foo in type string");
  assertEquals(bad("{{.Config.Cmd.X}}"), "template: nil pointer evaluating field X");
  assertEquals(
    bad("{{.Names.length}}"),
    "template: can't evaluate field length in type []interface {}",
  );
  assertEquals(bad("{{.constructor}}"), "template: can't evaluate field constructor");
  assertEquals(
    bad("{{printf 3}}"),
    "template: error calling printf: wrong type for value; expected string; got int",
  );
});

Deno.test("template: strings containing braces and newlines inside actions", () => {
  assertEquals(r('{{printf "}}{{"}}'), "}}{{");
  assertEquals(r("{{if\n  .Name\n}}ok{{end}}"), "ok");
  assertEquals(r("{{.Name}}\\n{{.Id}}"), "web\nabc123");
});

Deno.test("template: compiled once, renders many values", () => {
  const t = compileTemplate("{{range $i, $e := .}}{{if $i}},{{end}}{{$e.Name}}{{end}}");
  const rows = Array.from({ length: 2000 }, (_, i) => ({ Name: `c${i}` }));
  assertEquals(t(rows.slice(0, 3)), "c0,c1,c2");
  const start = performance.now();
  for (let i = 0; i < 200; i++) t(rows);
  // 400k elements; well under a second even on a slow CI machine.
  assertEquals(performance.now() - start < 5000, true);
});

Deno.test("table headers skip control actions", () => {
  assertEquals(
    tableHeader("{{.ID}}\\t{{if .Names}}{{.Names}}{{end}}\\t{{.State.ExitCode}}"),
    "CONTAINER ID\tNAMES\tEXIT CODE",
  );
  assertEquals(tableHeader('{{/* c */}}{{printf "%s" .Image}}'), "IMAGE");
});
