import { assertEquals } from "./assert.ts";
import { parseRecords, tailRecords } from "../../src/logs/k8s_file.ts";

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
