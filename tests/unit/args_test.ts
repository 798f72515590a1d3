import { assertEquals, assertThrows } from "./assert.ts";
import { parseDuration, parseFlags, parseNonNegativeInt } from "../../src/cli/args.ts";
import { parseSignal } from "../../src/signals.ts";
import { UsageError } from "../../src/errors.ts";
import { RUN_FLAGS } from "../../src/cli/container_flags.ts";

Deno.test("run flags stop at the first positional, leaving the command's flags alone", () => {
  const p = parseFlags(
    ["--rm", "-e", "A=1", "-eB=2", "--rootfs", "/r", "sh", "-c", "exit 1", "--rm"],
    RUN_FLAGS,
    true,
  );
  assertEquals(p.values.rm, true);
  assertEquals(p.values.env, ["A=1", "B=2"]);
  assertEquals(p.values.rootfs, "/r");
  assertEquals(p.positionals, ["sh", "-c", "exit 1", "--rm"]);
});

Deno.test("short flag groups and booleans with =false", () => {
  const p = parseFlags(["-dw", "/tmp", "--rm=false", "x"], RUN_FLAGS, true);
  assertEquals(p.values.detach, true);
  assertEquals(p.values.workdir, "/tmp");
  assertEquals(p.values.rm, false);
});

Deno.test("unknown flags and missing values are one-line usage errors", () => {
  const e1 = assertThrows(() => parseFlags(["--bogus"], RUN_FLAGS, true), UsageError);
  assertEquals(e1.message, "unknown flag: --bogus");
  const e2 = assertThrows(() => parseFlags(["--name"], RUN_FLAGS, true), UsageError);
  assertEquals(e2.message, "flag needs an argument: --name");
  assertThrows(() => parseFlags(["-Z"], RUN_FLAGS, true), UsageError);
  assertThrows(() => parseFlags(["--rm=maybe"], RUN_FLAGS, true), UsageError);
});

Deno.test("durations: Go syntax, bare numbers are milliseconds, junk is refused", () => {
  assertEquals(parseDuration("250ms", "x"), 250);
  assertEquals(parseDuration("1.5s", "x"), 1500);
  assertEquals(parseDuration("1m30s", "x"), 90_000);
  assertEquals(parseDuration("5000", "x"), 5000);
  assertThrows(() => parseDuration("100days", "--interval"), UsageError);
  assertThrows(() => parseDuration("", "--interval"), UsageError);
  assertThrows(() => parseDuration("-1s", "--interval"), UsageError);
});

Deno.test("non-negative integers", () => {
  assertEquals(parseNonNegativeInt("10", "-t"), 10);
  assertThrows(() => parseNonNegativeInt("-1", "-t"), UsageError);
  assertThrows(() => parseNonNegativeInt("1.5", "-t"), UsageError);
  assertThrows(() => parseNonNegativeInt("ten", "-t"), UsageError);
});

Deno.test("signals by name, SIG-name, lower case and number", () => {
  assertEquals(parseSignal("KILL"), 9);
  assertEquals(parseSignal("SIGTERM"), 15);
  assertEquals(parseSignal("sigusr1"), 10);
  assertEquals(parseSignal("2"), 2);
  assertEquals(parseSignal("RTMIN+1"), 35);
  assertThrows(() => parseSignal("SIGFOO"), UsageError);
  assertThrows(() => parseSignal("0"), UsageError);
  assertThrows(() => parseSignal("65"), UsageError);
});
