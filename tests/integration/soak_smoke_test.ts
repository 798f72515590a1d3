/**
 * The soak (`deno task soak`, issue #15) kept from rotting: 5 seeded iterations against berth
 * give a report of the documented shape, and a deliberately broken invariant
 * (`--break-invariant`: every expected code off by one) is counted, not asserted away.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals } from "../unit/assert.ts";
import { NOTES, VIOLATIONS } from "../../bench/soak/check.ts";
import { FAULTS, WORKLOADS } from "../../bench/soak/plan.ts";
import type { SoakSummary } from "../../bench/soak/report.ts";

const SOAK = fileURLToPath(new URL("../../bench/soak/main.ts", import.meta.url));

/** Run the soak with `args`; its berth entry of the JSON it wrote, and its stdout. */
async function soak(args: string[]): Promise<{ s: SoakSummary; stdout: string }> {
  const dir = Deno.makeTempDirSync({ prefix: "berth-soak-smoke-" });
  const out = join(dir, "soak.json");
  try {
    const r = await new Deno.Command(Deno.execPath(), {
      // A subnet of its own: a full soak may be running on the default one.
      args: [
        "run",
        "-A",
        "--no-config",
        SOAK,
        "--out",
        out,
        "--quiet",
        "--subnet",
        "10.213.9.0/24",
        ...args,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(r.stdout);
    assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
    return { s: JSON.parse(Deno.readTextFileSync(out)).berth, stdout };
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/** Sum of a count record. */
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

Deno.test({
  name: "soak smoke: 5 seeded iterations, a report of the right shape",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const { s, stdout } = await soak(["--runs", "5", "--seed", "7", "--concurrency-max", "2"]);
    assertEquals([s.engine, s.seed, s.iterations, s.concurrencyMax], ["berth", 7, 5, 2]);
    assertEquals(Object.keys(s.violations).sort(), [...VIOLATIONS, ...NOTES].sort());
    assertEquals(Object.keys(s.faults).sort(), [...FAULTS].sort());
    assertEquals(Object.keys(s.workloads).sort(), [...WORKLOADS].sort());
    assertEquals(sum(s.faults), 5);
    assertEquals(sum(s.workloads), 5);
    assert(s.calls >= 5, `calls: ${s.calls}`);
    assert(s.wallSeconds >= 0);
    for (const v of ["| iterations | 5 |", "| seed | 7 |", "| violation | berth |"]) {
      assert(stdout.includes(v), `table lacks ${v}:\n${stdout}`);
    }
  },
});

Deno.test({
  name: "soak smoke: a deliberately broken invariant is counted",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const { s } = await soak([
      "--runs",
      "3",
      "--seed",
      "7",
      "--concurrency-max",
      "1",
      "--break-invariant",
    ]);
    assert(s.violations["wrong-code"] >= 3, JSON.stringify(s.violations));
    assert(
      s.examples.some((e) => e.kind === "wrong-code" && e.iteration < 3),
      "with its iteration",
    );
  },
});
