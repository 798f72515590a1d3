/** Containerfile syntax: directives, comments, continuations, flags, exec vs shell form. */
import { assertEquals, assertThrows } from "./assert.ts";
import { parseContainerfile } from "../../src/build/parse.ts";
import { BuildError } from "../../src/errors.ts";

Deno.test("parse: instructions with their lines, keywords in any case, comments dropped", () => {
  const cf = parseContainerfile('# comment\nfrom busybox\n\n  run echo hi\n# x\nCMD ["sh"]\n');
  assertEquals(cf.instructions.map((i) => [i.keyword, i.line, i.args]), [
    ["FROM", 2, "busybox"],
    ["RUN", 4, "echo hi"],
    ["CMD", 6, '["sh"]'],
  ]);
  assertEquals(cf.instructions[2].json, ["sh"]);
  assertEquals(cf.instructions[1].json, undefined);
});

Deno.test("parse: continuations join lines, skipping comments and blank lines inside", () => {
  const cf = parseContainerfile("FROM x\nRUN echo a \\\n# inside\n\n  && echo b\nENV A=1\n");
  assertEquals(cf.instructions[1].args, "echo a   && echo b");
  assertEquals(cf.instructions[1].line, 2);
  assertEquals(cf.instructions[2].line, 6);
  // An escaped escape at the end is a literal backslash, not a continuation.
  const lit = parseContainerfile("FROM x\nRUN echo a\\\\\nENV B=2\n");
  assertEquals(lit.instructions.length, 3);
});

Deno.test("parse: # escape=` directive; # syntax ignored; directives only at the top", () => {
  const cf = parseContainerfile("# syntax=docker/dockerfile:1\n# escape=`\nFROM x\nRUN a `\n b\n");
  assertEquals(cf.escape, "`");
  assertEquals(cf.instructions[1].args, "a  b");
  const late = parseContainerfile("FROM x\n# escape=`\nRUN a \\\n b\n");
  assertEquals(late.escape, "\\");
  assertEquals(late.instructions[1].args, "a  b");
});

Deno.test("parse: --flags of COPY/FROM/RUN; invalid JSON is shell form", () => {
  const cf = parseContainerfile(
    "FROM --platform=linux/amd64 x AS b\nCOPY --from=b --chown=1:2 /a /b\nCMD [not json]\n",
  );
  assertEquals(cf.instructions[0].flags, { platform: "linux/amd64" });
  assertEquals(cf.instructions[0].args, "x AS b");
  assertEquals(cf.instructions[1].flags, { from: "b", chown: "1:2" });
  assertEquals(cf.instructions[1].args, "/a /b");
  assertEquals(cf.instructions[2].json, undefined);
});

Deno.test("parse: an unknown instruction is an error naming its line", () => {
  const e = assertThrows(() => parseContainerfile("FROM x\n\nFOO bar\n"), BuildError);
  assertEquals(e.message, "line 3: unknown instruction: FOO");
});

Deno.test("parse: flags berth does not carry out are refused at their line", () => {
  const e = assertThrows(
    () => parseContainerfile("FROM x\nRUN --mount=type=cache,target=/c make\n"),
    BuildError,
  );
  assertEquals(e.message, "line 2: RUN --mount is not supported by berth");
  assertThrows(() => parseContainerfile("FROM x\nCOPY --parents a /b\n"), BuildError);
  assertEquals(parseContainerfile("FROM x\nCOPY --link a /b\n").instructions[1].flags, {
    link: "true",
  });
});
