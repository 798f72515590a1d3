import { assertEquals } from "./assert.ts";
import { humanDuration } from "../../src/format/table.ts";

const H = 3_600_000;

Deno.test("humanDuration: go-units' steps, as podman prints ages", () => {
  assertEquals(humanDuration(400), "Less than a second");
  assertEquals(humanDuration(90_000), "2 minutes");
  assertEquals(humanDuration(47 * H), "47 hours");
  assertEquals(humanDuration(13 * 24 * H), "13 days");
  assertEquals(humanDuration(20 * 24 * H), "2 weeks");
  assertEquals(humanDuration(100 * 24 * H), "3 months");
  assertEquals(humanDuration(705 * 24 * H + 23 * H), "23 months");
  assertEquals(humanDuration(731 * 24 * H), "2 years");
});
