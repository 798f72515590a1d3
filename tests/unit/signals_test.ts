import { assertEquals, assertThrows } from "./assert.ts";
import { parseSignal } from "../../src/signals.ts";
import { errorMessage, UsageError } from "../../src/errors.ts";

Deno.test("parseSignal: podman's forms (one dash dropped, SIG optional, any case)", () => {
  const cases: [string, number][] = [
    ["HUP", 1],
    ["-1", 1],
    ["-INT", 2],
    ["sigusr1", 10],
    ["-SIGUSR1", 10],
    ["+15", 15],
    ["RTMIN", 34],
    ["rtmin+15", 49],
    ["RTMAX-14", 50],
    ["-RTMAX", 64],
    ["64", 64],
  ];
  for (const [text, n] of cases) assertEquals(parseSignal(text), n, text);
});

Deno.test("parseSignal: podman's two messages, with the text minus its dash", () => {
  const cases: [string, string][] = [
    ["0", "invalid signal: 0"],
    ["-0", "invalid signal: 0"],
    ["SIG", "invalid signal: SIG"],
    ["-SIGBADSIG", "invalid signal: SIGBADSIG"],
    ["-", "invalid signal: "],
    ["", "invalid signal: "],
    ["RTMIN+16", "invalid signal: RTMIN+16"],
    ["--5", "valid signals are 1 through 64"],
    ["65", "valid signals are 1 through 64"],
    ["-65", "valid signals are 1 through 64"],
    ["99999999", "valid signals are 1 through 64"],
    // Beyond int64 Go's Atoi fails, so it is looked up as a name.
    ["99999999999999999999", "invalid signal: 99999999999999999999"],
  ];
  for (const [text, message] of cases) {
    const err = assertThrows(() => parseSignal(text), UsageError);
    assertEquals(errorMessage(err), message, JSON.stringify(text));
  }
});

Deno.test("errorMessage folds line breaks but keeps the message's own blanks", () => {
  assertEquals(errorMessage(new Error("invalid signal: ")), "invalid signal: ");
  assertEquals(errorMessage(new Error("\n runc said:\n  no\n")), "runc said: no");
});
