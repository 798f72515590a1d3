import { assert, assertEquals } from "./assert.ts";
import { COMMANDS, REGISTRY } from "../../src/cli/registry.ts";
import { runCommand } from "../../src/cli/command.ts";
import { commandHelp } from "../../src/cli/help.ts";
import { usage } from "../../main.ts";

Deno.test("every registered command has a summary, a usage and a unique name", () => {
  const names = new Set<string>();
  for (const entry of REGISTRY) {
    assert(entry.summary.trim() && !entry.summary.includes("\n"), entry.name);
    assert(entry.usage.startsWith("berth "), entry.name);
    for (const name of [entry.name, ...entry.aliases]) {
      assert(!names.has(name), `${name} registered twice`);
      names.add(name);
      assertEquals(COMMANDS[name], entry);
    }
  }
});

Deno.test("every command's module loads, and its help prints from the registry", async () => {
  for (const entry of REGISTRY) {
    const cmd = await entry.load();
    assertEquals(typeof cmd.run, "function", entry.name);
    assert(!("summary" in cmd) && !("usage" in cmd), `${entry.name} keeps its own usage`);
    const text = commandHelp(entry, cmd.flags, 1000);
    assert(text.startsWith(`${entry.summary}\n`), entry.name);
    assert(text.includes(`\nUsage:\n  ${entry.usage.split("\n")[0]}\n`), entry.name);
  }
});

Deno.test("berth --help lists each command once, with its registry summary", () => {
  const text = usage(1000);
  const lines = text.split("\n");
  for (const entry of REGISTRY) {
    if (entry.hidden) continue;
    const line = (l: string) => l.startsWith(`  ${entry.name} `) && l.endsWith(` ${entry.summary}`);
    assertEquals(lines.filter(line).length, 1, entry.name);
  }
  assert(!text.includes("container ls"), "podman's container mirrors are not listed");
  assert(text.includes("  system info "), "system info is listed");
});

Deno.test("podman's aliases name the same command", () => {
  assertEquals(COMMANDS["container ls"], COMMANDS.ps);
  assertEquals(COMMANDS["container list"], COMMANDS.ps);
  assertEquals(COMMANDS["container rm"], COMMANDS.rm);
  assertEquals(COMMANDS["image rm"], COMMANDS.rmi);
  assertEquals(COMMANDS["image ls"], COMMANDS.images);
  assertEquals(COMMANDS["system info"], COMMANDS.info);
});

Deno.test("berth help CMD runs for every command and exits 0 without opening a store", async () => {
  const global = {
    root: "/nonexistent/berth-help-test",
    runroot: "/nonexistent/berth-help-test-run",
    runtime: "runc",
    logLevel: "warn",
    rawArgs: [],
  };
  for (const entry of REGISTRY) {
    assertEquals(await runCommand(entry, global, [], true), 0, entry.name);
    assertEquals(await runCommand(entry, global, ["--help"]), 0, entry.name);
  }
});
