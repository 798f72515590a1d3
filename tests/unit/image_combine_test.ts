import { assertEquals } from "./assert.ts";
import { combineCommand } from "../../src/image/combine.ts";
import { applyChange } from "../../src/image/changes.ts";
import { UsageError } from "../../src/errors.ts";

Deno.test("combineCommand follows docker's rules", () => {
  const img = { Entrypoint: ["/init"], Cmd: ["serve", "--port", "80"] };
  assertEquals(combineCommand(img, undefined, []), ["/init", "serve", "--port", "80"]);
  assertEquals(combineCommand(img, undefined, ["sh"]), ["/init", "sh"]);
  assertEquals(combineCommand(img, "/bin/sh", []), ["/bin/sh"]); // --entrypoint drops image Cmd
  assertEquals(combineCommand(img, "/bin/sh", ["-c", "x"]), ["/bin/sh", "-c", "x"]);
  assertEquals(combineCommand(img, "", ["echo", "hi"]), ["echo", "hi"]);
  assertEquals(combineCommand(img, '["/a","b"]', ["c"]), ["/a", "b", "c"]);
  assertEquals(combineCommand({ Cmd: ["sh"] }, undefined, []), ["sh"]);
  assertEquals(combineCommand({ Cmd: ["sh"] }, undefined, ["ls", "-l"]), ["ls", "-l"]);
  assertEquals(combineCommand({ Entrypoint: null, Cmd: null }, undefined, ["true"]), ["true"]);
  const empty: [Record<string, string[]>, string | undefined][] = [[{}, undefined], [{
    Cmd: [
      "sh",
    ],
  }, ""]];
  for (const [cfg, ep] of empty) {
    let threw = false;
    try {
      combineCommand(cfg, ep, []);
    } catch (err) {
      threw = err instanceof UsageError;
    }
    assertEquals(threw, true);
  }
});

Deno.test("--change instructions", () => {
  const c: Record<string, unknown> = {};
  applyChange(c, 'CMD ["echo", "hi"]');
  applyChange(c, "ENTRYPOINT /bin/sh -c");
  applyChange(c, 'ENV A=1 B="two words"');
  applyChange(c, "ENV C 3 4");
  applyChange(c, "ENV A=9");
  applyChange(c, "WORKDIR /srv");
  applyChange(c, "USER app:staff");
  assertEquals(c.Cmd, ["echo", "hi"]);
  assertEquals(c.Entrypoint, ["/bin/sh", "-c", "/bin/sh -c"]);
  assertEquals(c.Env, ["A=9", "B=two words", "C=3 4"]);
  assertEquals([c.WorkingDir, c.User], ["/srv", "app:staff"]);
  let threw = false;
  try {
    applyChange(c, "RUN rm -rf /");
  } catch (err) {
    threw = err instanceof UsageError;
  }
  assertEquals(threw, true);
});
