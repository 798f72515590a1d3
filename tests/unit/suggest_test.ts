import { assertEquals } from "./assert.ts";
import { didYouMean, editDistance, suggestions } from "../../src/cli/suggest.ts";
import { parseFlags } from "../../src/cli/args.ts";
import { parseGlobal } from "../../main.ts";

Deno.test("editDistance counts a swap of neighbours as one edit, and ignores case", () => {
  assertEquals(editDistance("rnu", "run"), 1);
  assertEquals(editDistance("rmm", "rm"), 1);
  assertEquals(editDistance("RUN", "run"), 0);
  assertEquals(editDistance("", "ps"), 2);
  assertEquals(editDistance("kitten", "sitting"), 3);
});

Deno.test("suggestions prefer names that start with what was typed", () => {
  assertEquals(suggestions("ima", ["images", "rm", "rmi", "import"]), ["images"]);
});

Deno.test("suggestions offer only the nearest names within two edits", () => {
  assertEquals(suggestions("rnu", ["rm", "rmi", "run"]), ["run"]);
  assertEquals(suggestions("rmm", ["rm", "rmi", "run"]), ["rm", "rmi"]);
  assertEquals(suggestions("zzzz", ["rm", "run"]), []);
  assertEquals(suggestions("", ["rm"]), []);
});

Deno.test("didYouMean renders one, two or three names, or nothing", () => {
  assertEquals(didYouMean("rmm", ["rm"], (n) => `--${n}`), " (did you mean --rm?)");
  assertEquals(didYouMean("rmm", ["rm", "rmi"]), " (did you mean rm or rmi?)");
  assertEquals(didYouMean("ab", ["abc", "abd", "abe", "abf"]), " (did you mean abc, abd or abe?)");
  assertEquals(didYouMean("zzzz", ["rm"]), "");
});

Deno.test("an unknown flag names the nearest flag of the command", () => {
  let message = "";
  try {
    parseFlags(["--rmm", "img"], { rm: { type: "boolean" }, rmi: { type: "string" } });
  } catch (err) {
    message = (err as Error).message;
  }
  assertEquals(message, "unknown flag: --rmm (did you mean --rm or --rmi?)");
});

Deno.test("an unknown command names the nearest command, within its group", () => {
  const messageOf = (argv: string[]) => {
    try {
      parseGlobal(argv);
      return "";
    } catch (err) {
      return (err as Error).message;
    }
  };
  assertEquals(
    messageOf(["rnu", "img"]),
    "unrecognized command `berth rnu img` (did you mean run?)",
  );
  assertEquals(
    messageOf(["container", "rmm"]),
    "unrecognized command `berth container rmm` (did you mean rm?)",
  );
  assertEquals(messageOf(["--rooot", "x", "ps"]), "unknown flag: --rooot (did you mean --root?)");
});
