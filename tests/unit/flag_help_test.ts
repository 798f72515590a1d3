/**
 * The flag tables are the single source of `--help` and the manual: every visible flag of
 * every registered command (and every global flag) says what it does, every command has a
 * description and examples, and each command's `--help` lists every flag its parser accepts.
 */
import { assert } from "./assert.ts";
import { REGISTRY, VISIBLE } from "../../src/cli/registry.ts";
import { GLOBAL_FLAGS } from "../../src/cli/global_flags.ts";
import { commandHelp, visibleFlags } from "../../src/cli/help.ts";
import type { FlagTable } from "../../src/cli/args.ts";

/** The flags of `table` without a one-line `help`. */
function undescribed(table: FlagTable): string[] {
  return visibleFlags(table).filter(([, spec]) => !spec.help?.trim() || spec.help.includes("\n"))
    .map(([name]) => `--${name}`);
}

Deno.test("every visible flag of every registered command has help", async () => {
  const missing: string[] = [];
  for (const entry of REGISTRY) {
    const flags = (await entry.load()).flags;
    for (const flag of undescribed(flags)) missing.push(`berth ${entry.name} ${flag}`);
  }
  assert(missing.length === 0, `flags without help:\n${missing.join("\n")}`);
});

Deno.test("every global flag has help", () => {
  assert(undescribed(GLOBAL_FLAGS).length === 0, undescribed(GLOBAL_FLAGS).join(" "));
});

Deno.test("every listed command has a description and examples that run berth", () => {
  for (const entry of VISIBLE) {
    assert(entry.description?.trim(), `${entry.name}: no description`);
    assert(entry.examples?.length, `${entry.name}: no examples`);
    for (const e of entry.examples) {
      assert(e.includes("berth "), `${entry.name}: ${e}`);
      // Examples are not wrapped (they are for copying): they fit 80 columns as they are.
      assert(e.length <= 78, `${entry.name}: example longer than 78 characters: ${e}`);
    }
  }
});

Deno.test("each command's --help lists every flag its parser accepts, but hidden ones", async () => {
  for (const entry of REGISTRY) {
    const flags = (await entry.load()).flags;
    const text = commandHelp(entry, flags, 80);
    for (const [name, spec] of Object.entries(flags)) {
      if (name === "help") continue;
      const listed = new RegExp(`^ +(-., )?--${name}( |$)`, "m").test(text);
      assert(listed === !spec.hidden, `${entry.name} --${name}: listed ${listed}`);
      if (spec.short && !spec.hidden) assert(text.includes(`-${spec.short}, --${name}`), name);
    }
  }
});
