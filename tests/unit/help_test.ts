/**
 * The help renderer (src/cli/help.ts): wrapping, the flag column (short names, value types,
 * defaults), hidden flags left out, the sections in podman's order.
 */
import { assert, assertEquals } from "./assert.ts";
import {
  commandHelp,
  defaultShown,
  flagLines,
  flagNames,
  mainHelp,
  twoColumns,
  visibleFlags,
  wrap,
} from "../../src/cli/help.ts";
import type { FlagTable } from "../../src/cli/args.ts";

const FLAGS: FlagTable = {
  rm: { type: "boolean", help: "Remove the container when it exits" },
  env: { type: "string", short: "e", multiple: true, help: "Set an environment variable" },
  time: { type: "string", short: "t", value: "uint", defaultText: "10", help: "Seconds to wait" },
  "sig-proxy": { type: "boolean", default: true, help: "Forward signals" },
  net: { type: "string", hidden: true, help: "Same as --network" },
  help: { type: "boolean", short: "h" },
};

Deno.test("wrap breaks at spaces within the width; a long word keeps its own line", () => {
  assertEquals(wrap("one two three", 8), ["one two", "three"]);
  assertEquals(wrap("a verylongword b", 5), ["a", "verylongword", "b"]);
  assertEquals(wrap("line one\nline two", 80), ["line one", "line two"]);
  assertEquals(wrap("", 10), [""]);
});

Deno.test("a flag's names: short and long, cobra's value type or the table's value name", () => {
  assertEquals(flagNames("rm", FLAGS.rm), "    --rm");
  assertEquals(flagNames("env", FLAGS.env), "-e, --env stringArray");
  assertEquals(flagNames("time", FLAGS.time), "-t, --time uint");
  assertEquals(flagNames("name", { type: "string" }), "    --name string");
});

Deno.test("defaults: the parser's default or the stated one, as cobra prints them", () => {
  assertEquals(defaultShown(FLAGS["sig-proxy"]), "true");
  assertEquals(defaultShown(FLAGS.time), "10");
  assertEquals(defaultShown({ type: "string", default: "x" }), '"x"');
  assertEquals(defaultShown({ type: "string", multiple: true, default: ["a", "b"] }), "[a,b]");
  assertEquals(defaultShown({ type: "boolean", default: false }), undefined);
  assertEquals(defaultShown(FLAGS.rm), undefined);
  const lines = flagLines(FLAGS, 80);
  assert(lines.some((l) => l.endsWith("Seconds to wait (default 10)")), lines.join("\n"));
  assert(lines.some((l) => l.endsWith("Forward signals (default true)")), lines.join("\n"));
  assert(lines.some((l) => l.endsWith("Remove the container when it exits")), lines.join("\n"));
});

Deno.test("hidden flags and a command's --help are left out; the rest sorted by name", () => {
  assertEquals(visibleFlags(FLAGS).map(([n]) => n), ["env", "rm", "sig-proxy", "time"]);
  assertEquals(visibleFlags(FLAGS, true).map(([n]) => n), [
    "env",
    "help",
    "rm",
    "sig-proxy",
    "time",
  ]);
  const text = flagLines(FLAGS, 80).join("\n");
  assert(!text.includes("--net") && !text.includes("--help"), text);
});

Deno.test("the flag column lines up, and text wraps under it within the width", () => {
  const long = "word ".repeat(40).trim();
  const lines = flagLines({ ...FLAGS, rm: { type: "boolean", help: long } }, 60);
  for (const l of lines) assert(l.length <= 60, `${l.length}: ${l}`);
  const column = lines[0].indexOf("Set an");
  assertEquals(column, "  -e, --env stringArray   ".length);
  const rm = lines.findIndex((l) => l.startsWith("      --rm "));
  assert(lines[rm + 1].startsWith(" ".repeat(column) + "word"), lines[rm + 1]);
  assert(lines.filter((l) => l.trim().startsWith("word")).length >= 3);
});

Deno.test("a left cell too wide for half the width puts its text on the next line", () => {
  const lines = twoColumns([["x".repeat(30), "text"], ["short", "more"]], 40);
  assertEquals(lines, ["  " + "x".repeat(30), "          text", "  short   more"]);
});

Deno.test("a command's help: summary, Description, Usage, Aliases, Examples, Options", () => {
  const entry = {
    summary: "Remove one or more containers",
    description: "Removes containers.",
    usage: "berth rm [flags] CONTAINER...",
    aliases: ["container rm"],
    examples: ["berth rm -f web"],
  };
  const text = commandHelp(entry, FLAGS, 80);
  assertEquals(text.split("\n").filter((l) => /^\S/.test(l)), [
    "Remove one or more containers",
    "Description:",
    "Usage:",
    "Aliases:",
    "Examples:",
    "Options:",
  ]);
  assert(text.includes("\nUsage:\n  berth rm [flags] CONTAINER...\n"), text);
  assert(text.includes("\nExamples:\n  berth rm -f web\n"), text);
  assert(text.endsWith("  -t, --time uint         Seconds to wait (default 10)\n"), text);
  assertEquals(commandHelp(entry, FLAGS, 80), text, "the same tables give the same text");
});

Deno.test("sections without content are left out; a long usage line wraps with an indent", () => {
  const text = commandHelp(
    {
      summary: "S",
      usage: `berth ps ${"[--flag] ".repeat(12).trim()}`,
      aliases: [],
    },
    {},
    40,
  );
  assert(!text.includes("Description:") && !text.includes("Options:"), text);
  const usage = text.split("\n").filter((l) => l.includes("[--flag]"));
  assert(usage.length > 1, text);
  assert(usage.slice(1).every((l) => l.startsWith("      [--flag]")), text);
  for (const l of text.split("\n")) assert(l.length <= 40, l);
});

Deno.test("berth --help: commands with summaries, then the global flags with --help", () => {
  const text = mainHelp(
    { summary: "berth", usage: "berth [options] COMMAND", flags: FLAGS },
    [{ names: ["run", "container run"], summary: "Run a command" }],
    80,
  );
  assert(text.includes("\nAvailable Commands:\n  run             Run a command\n"), text);
  assert(text.includes("\n  container run   Run a command\n"), text);
  assert(text.includes("\nOptions:\n"), text);
  assert(text.includes("  -h, --help"), text);
  assert(!text.includes("--net"), text);
});
