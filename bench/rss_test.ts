import assert from "node:assert/strict";
import { emptyPeak, foldSample } from "./rss.ts";

Deno.test("foldSample keeps the peak sum, single and count across samples", () => {
  let p = emptyPeak();
  p = foldSample(p, [100, 200]);
  p = foldSample(p, [250]);
  p = foldSample(p, []);
  assert.deepEqual(p, { peakSumKb: 300, peakSingleKb: 250, peakProcs: 2, samples: 3 });
});
