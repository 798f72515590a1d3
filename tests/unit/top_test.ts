/** `top`'s pure parts: Go's duration and time strings, capability masks, ids and layout. */
import { assertEquals, assertThrows } from "./assert.ts";
import {
  capNames,
  goDuration,
  goTime,
  parseDescriptors,
  ttyName,
} from "../../src/engine/top_descriptors.ts";
import { mapToHost, namesById } from "../../src/engine/top.ts";
import { tabwriter } from "../../src/cli/top.ts";
import { UsageError } from "../../src/errors.ts";

Deno.test("goDuration prints what Go's Duration.String prints", () => {
  assertEquals(goDuration(0), "0s");
  assertEquals(goDuration(10_000_000), "10ms");
  assertEquals(goDuration(1_500_000), "1.5ms");
  assertEquals(goDuration(999), "999ns");
  assertEquals(goDuration(2_500), "2.5µs");
  assertEquals(goDuration(1_328_508_379), "1.328508379s");
  assertEquals(goDuration(62_500_000_000), "1m2.5s");
  assertEquals(goDuration(3_600_000_000_000), "1h0m0s");
  assertEquals(goDuration(3_723_000_000_000), "1h2m3s");
});

Deno.test("goTime prints Go's Time.String to the second", () => {
  const s = goTime(Date.UTC(2026, 11, 7, 23, 59, 4, 700));
  if (new Date().getTimezoneOffset() === 0) assertEquals(s, "2026-12-07 23:59:04 +0000 UTC");
  else assertEquals(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \S+$/.test(s), true);
});

Deno.test("capNames: sorted names, none, full", () => {
  assertEquals(capNames(0n, 40), "none");
  assertEquals(capNames((1n << 41n) - 1n, 40), "full");
  assertEquals(capNames((1n << 0n) | (1n << 18n) | (1n << 31n), 40), "CHOWN,SETFCAP,SYS_CHROOT");
});

Deno.test("ttyName: pseudo-terminals, consoles, none", () => {
  assertEquals(ttyName(0), "?");
  assertEquals(ttyName(136 << 8), "pts/0");
  assertEquals(ttyName((136 << 8) | 5), "pts/5");
  assertEquals(ttyName((4 << 8) | 1), "tty1");
  assertEquals(ttyName((5 << 8) | 1), "console");
});

Deno.test("ids: the first name of an id; user namespace maps to the host's", () => {
  const m = namesById("root:x:0:0::/:/bin/sh\ntoor:x:0:0::/:/bin/sh\n# junk\nbad:x:y:0\n");
  assertEquals([...m], [[0, "root"]]);
  assertEquals(mapToHost("         0     100000      65536\n", 5), 100005);
  assertEquals(mapToHost("         0          0 4294967295\n", 5), 5);
  assertEquals(mapToHost("", 7), 7);
});

Deno.test("parseDescriptors: comma lists, AIX codes, podman's default; refusals", () => {
  assertEquals(parseDescriptors([]).map((d) => d.title), [
    "USER",
    "PID",
    "PPID",
    "%CPU",
    "ELAPSED",
    "TTY",
    "TIME",
    "COMMAND",
  ]);
  assertEquals(parseDescriptors(["pid,%U", "args", ""]).map((d) => d.name), [
    "pid",
    "user",
    "args",
  ]);
  const bogus = assertThrows(() => parseDescriptors(["pid,bogus"]), UsageError);
  assertEquals(bogus.message.startsWith('unknown descriptor "bogus"'), true);
  const ps = assertThrows(() => parseDescriptors(["-ef"]), UsageError);
  assertEquals(ps.message.startsWith("ps(1) options are not supported (-ef)"), true);
});

Deno.test("tabwriter: podman's columns, at least 12 wide, two apart, the last as it is", () => {
  assertEquals(
    tabwriter([["PID", "COMMAND"], ["1", "sleep 1000 "], ["1234567890123", "x"]]),
    "PID            COMMAND\n1              sleep 1000 \n1234567890123  x\n",
  );
});
