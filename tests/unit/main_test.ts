import { assertEquals, assertThrows } from "./assert.ts";
import { parseGlobal } from "../../main.ts";
import { UsageError } from "../../src/errors.ts";

Deno.test("global flags come before the command and are kept as given", () => {
  const g = parseGlobal(["--root", "rel/root", "--runroot=/r", "ps", "-a"]);
  assertEquals([g.command, g.args, g.global.root, g.global.runroot], [
    "ps",
    ["-a"],
    "rel/root",
    "/r",
  ]);
  assertEquals(g.global.rawArgs, ["--root", "rel/root", "--runroot=/r"]);
  assertEquals(parseGlobal(["container", "ls"]).command, "container ls");
  assertThrows(() => parseGlobal(["--bogus", "ps"]), UsageError);
  assertThrows(() => parseGlobal(["frobnicate"]), UsageError);
});

Deno.test("podman's log level spellings; help and --version", () => {
  assertEquals(parseGlobal(["--log-level", "trace", "ps"]).global.logLevel, "debug");
  assertEquals(parseGlobal(["--log-level=warning", "ps"]).global.logLevel, "warn");
  assertThrows(() => parseGlobal(["--log-level", "loud", "ps"]), UsageError);
  const help = parseGlobal(["help", "run"]);
  assertEquals([help.command, help.help], ["run", true]);
  assertEquals(parseGlobal(["--version"]).command, "version");
});

Deno.test("--noout is a boolean global flag, not handed on to the cleanup process", () => {
  const g = parseGlobal(["--noout", "--root", "/r", "rm", "x"]);
  assertEquals([g.noout, g.command, g.args, g.global.rawArgs], [true, "rm", ["x"], [
    "--root",
    "/r",
  ]]);
  assertEquals(parseGlobal(["ps"]).noout, false);
});
