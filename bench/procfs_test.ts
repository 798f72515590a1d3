import assert from "node:assert/strict";
import { basename, parseCmdline, parseProcStat, parseStatState, parseStatus } from "./procfs.ts";

const STATUS = `Name:\tdeno
Umask:\t0022
State:\tS (sleeping)
Tgid:\t4242
Pid:\t4242
PPid:\t17
VmPeak:\t  900000 kB
VmRSS:\t   61234 kB
Threads:\t9
`;

Deno.test("parseStatus reads state, parent and resident memory", () => {
  assert.deepEqual(parseStatus(STATUS), { state: "S", ppid: 17, vmRssKb: 61234 });
});

Deno.test("parseStatus of a zombie has no VmRSS", () => {
  const z = "Name:\tconmon\nState:\tZ (zombie)\nPPid:\t1\n";
  assert.deepEqual(parseStatus(z), { state: "Z", ppid: 1, vmRssKb: 0 });
});

Deno.test("parseCmdline splits on NUL and drops the trailing terminator", () => {
  assert.deepEqual(parseCmdline("deno\0run\0-A\0/x/main.ts\0"), [
    "deno",
    "run",
    "-A",
    "/x/main.ts",
  ]);
  assert.deepEqual(parseCmdline(""), []);
});

Deno.test("parseStatState handles a comm with spaces and parentheses", () => {
  assert.equal(parseStatState("123 (a (b) c) Z 1 123 123 0"), "Z");
  assert.equal(parseStatState("7 (conmon) S 1 7 7"), "S");
  assert.equal(parseStatState("garbage"), "?");
});

Deno.test("basename", () => {
  assert.equal(basename("/usr/bin/conmon"), "conmon");
  assert.equal(basename("deno"), "deno");
});

Deno.test("parseProcStat sums busy jiffies without idle and iowait", () => {
  const text = "cpu  100 5 50 1000 20 3 2 0 7 0\ncpu0 50 2 25 500 10 1 1 0 0 0\n";
  assert.deepEqual(parseProcStat(text), { busy: 160, total: 1180 });
  assert.deepEqual(parseProcStat("nothing"), { busy: 0, total: 0 });
});
