import { assertEquals, assertThrows } from "./assert.ts";
import {
  type ArgNode,
  parse,
  type PipeNode,
  type TextNode,
} from "../../src/format/template/parse.ts";
import { FUNCS } from "../../src/format/template/funcs.ts";
import { UsageError } from "../../src/errors.ts";

/** A pipeline of one command. */
const pipe = (...args: ArgNode[]): PipeNode => ({
  type: "pipe",
  decl: [],
  isAssign: false,
  cmds: [{ type: "command", args }],
});
const text = (t: string): TextNode => ({ type: "text", text: t });

Deno.test("parse: {{if}}…{{else}}…{{end}} is one branch node with two lists", () => {
  assertEquals(parse("{{if .Up}}up{{else}}down{{end}}!", FUNCS), {
    type: "list",
    nodes: [
      {
        type: "if",
        pipe: pipe({ type: "field", ident: ["Up"] }),
        list: { type: "list", nodes: [text("up")] },
        elseList: { type: "list", nodes: [text("down")] },
      },
      text("!"),
    ],
  });
});

Deno.test("parse: {{else if}} nests an if in the else list", () => {
  const tree = parse("{{if .A}}a{{else if .B}}b{{end}}", FUNCS);
  assertEquals(tree.nodes[0], {
    type: "if",
    pipe: pipe({ type: "field", ident: ["A"] }),
    list: { type: "list", nodes: [text("a")] },
    elseList: {
      type: "list",
      nodes: [{
        type: "if",
        pipe: pipe({ type: "field", ident: ["B"] }),
        list: { type: "list", nodes: [text("b")] },
      }],
    },
  });
});

Deno.test("parse: declarations, pipes, calls and parenthesized chains", () => {
  const [node] = parse("{{range $i, $e := .Names}}{{end}}", FUNCS).nodes;
  assertEquals(node.type === "range" && node.pipe.decl, ["$i", "$e"]);
  assertEquals(parse('{{.Name | printf "%s"}}', FUNCS).nodes[0], {
    type: "action",
    pipe: {
      type: "pipe",
      decl: [],
      isAssign: false,
      cmds: [
        { type: "command", args: [{ type: "field", ident: ["Name"] }] },
        {
          type: "command",
          args: [{ type: "identifier", name: "printf" }, {
            type: "literal",
            value: "%s",
            text: '"%s"',
          }],
        },
      ],
    },
  });
  assertEquals(parse("{{(index . 0).Port}}", FUNCS).nodes[0], {
    type: "action",
    pipe: pipe({
      type: "chain",
      node: pipe({ type: "identifier", name: "index" }, { type: "dot" }, {
        type: "literal",
        value: 0,
        text: "0",
      }),
      field: ["Port"],
    }),
  });
});

Deno.test("parse: checks what it can without data", () => {
  const msg = (src: string) => assertThrows(() => parse(src, FUNCS), UsageError).message;
  assertEquals(msg("{{frob}}"), 'template: function "frob" not defined');
  assertEquals(msg("{{not 1 2}}"), "template: wrong number of args for not: want 1 got 2");
  // A piped value counts as the last argument.
  assertEquals(msg("{{1 | not 2}}"), "template: wrong number of args for not: want 1 got 2");
  assertEquals(msg("{{if 1}}{{$y := 1}}{{end}}{{$y}}"), 'template: undefined variable "$y"');
  assertEquals(msg("{{break}}"), "template: {{break}} outside {{range}}");
  // Only the functions it is given exist.
  assertEquals(
    assertThrows(() => parse("{{len .}}", {}), UsageError).message,
    'template: function "len" not defined',
  );
});
