import { assertEquals, assertThrows } from "./assert.ts";
import { type LogRecord, parseRecords, tailRecords } from "../../src/logs/k8s_file.ts";
import { coalesce } from "../../src/logs/pump.ts";
import { inTimeWindow, podmanTimestamp } from "../../src/cli/logs.ts";
import { parseTimeFlag } from "../../src/cli/args.ts";
import { UsageError } from "../../src/errors.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

Deno.test("F records get their newline back, P records do not, binary survives", () => {
  const log = new Uint8Array([
    ...enc.encode("2026-11-29T01:57:16.2+00:00 stdout F a\n"),
    ...enc.encode("2026-11-29T01:57:16.2+00:00 stdout P b"),
    0,
    255,
    ...enc.encode("\n2026-11-29T01:57:16.3+00:00 stderr P err\n"),
    ...enc.encode("2026-11-29T01:57:16.3+00:00 stdout F \n"),
    ...enc.encode("2026-11-29T01:57:16.4+00:00 stdout F incomplete"),
  ]);
  const { records, consumed } = parseRecords(log);
  assertEquals(records.length, 4);
  assertEquals(records.map((r) => r.stream), ["stdout", "stdout", "stderr", "stdout"]);
  assertEquals(dec.decode(records[0].data), "a\n");
  assertEquals([...records[1].data], [...enc.encode("b"), 0, 255]);
  assertEquals(dec.decode(records[2].data), "err");
  assertEquals(dec.decode(records[3].data), "\n");
  assertEquals(
    dec.decode(log.subarray(consumed)),
    "2026-11-29T01:57:16.4+00:00 stdout F incomplete",
  );
});

Deno.test("tail counts lines, not records", () => {
  const text =
    ["t stdout F one", "t stdout P tw", "t stdout F o", "t stdout F three", "t stdout P fo"]
      .join("\n") + "\n";
  const { records } = parseRecords(enc.encode(text));
  const joined = (n: number) => tailRecords(records, n).map((r) => dec.decode(r.data)).join("");
  assertEquals(joined(1), "fo");
  assertEquals(joined(2), "three\nfo");
  assertEquals(joined(3), "two\nthree\nfo");
  assertEquals(joined(0), "");
  assertEquals(joined(-1), "one\ntwo\nthree\nfo");
});

Deno.test("podman's timestamps and --since/--until windows", () => {
  assertEquals(
    podmanTimestamp("2026-11-29T04:52:48.785712922+00:00"),
    "2026-11-29T04:52:48.785712922Z",
  );
  assertEquals(podmanTimestamp("2026-11-29T05:52:48.7+01:00"), "2026-11-29T05:52:48.7+01:00");
  const rec: LogRecord = {
    time: "2026-11-29T04:52:48.785712922+00:00",
    stream: "stdout",
    full: true,
    data: new Uint8Array(),
  };
  const t = Date.UTC(2026, 10, 29, 4, 52, 48, 785);
  assertEquals(inTimeWindow(rec), true);
  assertEquals(inTimeWindow(rec, t - 1, t + 1), true);
  assertEquals(inTimeWindow(rec, t + 1), false);
  assertEquals(inTimeWindow(rec, undefined, t - 1), false);
});

Deno.test("--since/--until: timestamps, Unix times, durations back from now", () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);
  assertEquals(parseTimeFlag("1795910400", "--since", now), 1795910400_000);
  assertEquals(parseTimeFlag("1795910400.5", "--since", now), 1795910400_500);
  assertEquals(parseTimeFlag("10m", "--since", now), now - 600_000);
  assertEquals(parseTimeFlag("1h30m", "--since", now), now - 5_400_000);
  assertEquals(parseTimeFlag("2026-11-29T11:00:00Z", "--since", now), now - 3_600_000);
  assertEquals(parseTimeFlag("2026-11-29T12:00:00+01:00", "--since", now), now - 3_600_000);
  for (const bad of ["yesterday", "", "10x", "-5m"]) {
    assertThrows(() => parseTimeFlag(bad, "--since", now), UsageError);
  }
});

Deno.test("coalesce: runs of one stream become one buffer each, in order", () => {
  const rec = (stream: "stdout" | "stderr", s: string) => ({
    time: "t",
    stream,
    data: new TextEncoder().encode(s),
    full: true,
  });
  const out = coalesce([
    rec("stdout", "a\n"),
    rec("stdout", "b\n"),
    rec("stderr", "c\n"),
    rec("stdout", "d"),
  ])
    .map((r) => [r.stream, new TextDecoder().decode(r.data)]);
  assertEquals(out, [["stdout", "a\nb\n"], ["stderr", "c\n"], ["stdout", "d"]]);
  assertEquals(coalesce([]), []);
});
