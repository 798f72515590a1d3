import { assertEquals } from "./assert.ts";
import { goTime } from "../../src/cli/views.ts";

Deno.test("goTime prints as Go's time.Time.String() in UTC", () => {
  assertEquals(goTime(Date.UTC(2026, 10, 29, 4, 47, 54, 676)), "2026-11-29 04:47:54.676 +0000 UTC");
  assertEquals(goTime(Date.UTC(2026, 10, 29, 4, 47, 54, 500)), "2026-11-29 04:47:54.5 +0000 UTC");
  assertEquals(goTime(Date.UTC(2026, 0, 2, 3, 4, 5)), "2026-01-02 03:04:05 +0000 UTC");
  assertEquals(goTime(0), "0001-01-01 00:00:00 +0000 UTC");
});
