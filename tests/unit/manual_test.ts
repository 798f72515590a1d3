/**
 * The manual in docs/commands/ is what `deno task docs` makes from the tables now: a flag, a
 * description or a command changed without regenerating it fails here.
 */
import { assert, assertEquals } from "./assert.ts";
import { checkedIn, generateManual } from "../../scripts/gen_docs.ts";
import { commandPage, indexPage, pageName } from "../../src/cli/manual.ts";
import { COMMANDS, VISIBLE } from "../../src/cli/registry.ts";

Deno.test("the checked-in manual is what deno task docs generates", async () => {
  const want = await generateManual();
  const have = checkedIn();
  assertEquals([...have.keys()].sort(), [...want.keys()].sort(), "pages added or removed");
  for (const [name, text] of want) {
    assert(have.get(name) === text, `docs/commands/${name} is out of date: run deno task docs`);
  }
});

Deno.test("a command's page: usage, aliases, description, every visible flag, examples", () => {
  const entry = COMMANDS.rm;
  const page = commandPage(entry, {
    force: { type: "boolean", short: "f", help: "Stop it first" },
    time: { type: "string", short: "t", value: "uint", defaultText: "10", help: "Seconds" },
    env: { type: "string", multiple: true, help: "Set a variable." },
    gone: { type: "boolean", hidden: true, help: "Hidden" },
  });
  assertEquals(pageName(entry), "berth-rm.md");
  assertEquals(pageName(COMMANDS["container prune"]), "berth-container-prune.md");
  assert(page.startsWith(`# berth rm\n\n${entry.summary}\n\n## Usage\n\n\`\`\`\n`), page);
  assert(page.includes("Also: `berth container rm`."), page);
  assert(page.includes("### `-f`, `--force`\n\nStop it first.\n"), page);
  assert(page.includes("### `-t`, `--time uint`\n\nSeconds. Default: `10`.\n"), page);
  assert(page.includes("### `--env stringArray`\n\nSet a variable. May be given more than"), page);
  assert(!page.includes("--gone"), page);
  assert(page.includes("## Examples\n\n```sh\nberth rm"), page);
});

Deno.test("the index links every listed command's page and lists the global options", () => {
  const index = indexPage(VISIBLE, { root: { type: "string", help: "State" } });
  for (const e of VISIBLE) assert(index.includes(`](${pageName(e)}): ${e.summary}\n`), e.name);
  assert(!index.includes("__complete"), "hidden commands have no page");
  assert(index.includes("### `--root string`\n\nState.\n"), index);
});
