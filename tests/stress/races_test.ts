/**
 * Stress, races (issue #3, items 1–5): many real containers through conmon and runc at once,
 * with `stop`/`kill`/`rm -f`/`wait`/readers racing each other and the containers' own exits.
 *
 * @module
 */
import { join } from "node:path";
import {
  busyboxRootfs,
  eventually,
  type Result,
  type Sandbox,
  sandbox,
  withDb,
} from "../helpers.ts";
import {
  assert,
  assertClean,
  assertEquals,
  assertNoError,
  assertOneLineError,
  inspect,
  pool,
  sleep,
  SPAWNS,
  tally,
} from "./_util.ts";

/** 200 distinct codes in 0–255: the interesting ones first, then the rest in a spread order. */
const CODES = (() => {
  const first = [0, 1, 125, 126, 127, 128, 137, 143, 255];
  const rest = Array.from({ length: 256 }, (_, i) => (i * 9 + 7) % 256) // 9 is coprime to 256
    .filter((c) => !first.includes(c));
  return [...first, ...rest].slice(0, 200);
})();

function codeFor(i: number): number {
  return CODES[i];
}

Deno.test({
  name: "stress 1: 200 run --rm, 50 at a time, each exits with its own code and leaves nothing",
  ...SPAWNS,
  async fn() {
    const rootfs = await busyboxRootfs();
    const sb = sandbox("berth-stress1-");
    const ids: string[] = [];
    try {
      const codes = Array.from({ length: 200 }, (_, i) => codeFor(i));
      for (const c of [0, 125, 126, 127, 137, 255]) assert(codes.includes(c), `code ${c} covered`);
      const results = await pool(codes, 50, async (code, i) => {
        const cid = join(sb.dir, `cid-${i}`);
        const r = await sb.berth([
          "run",
          "--rm",
          "--cidfile",
          cid,
          "--rootfs",
          i % 3 === 0 ? `${rootfs}:O` : rootfs,
          "sh",
          "-c",
          `echo out-${i}; echo err-${i} >&2; exit ${code}`,
        ], { timeoutMs: 180_000 });
        try {
          ids.push(Deno.readTextFileSync(cid).trim());
        } catch { /* never created */ }
        return r;
      });
      const bad: string[] = [];
      results.forEach((r, i) => {
        const want = codeFor(i);
        if (r.code !== want || r.stdout !== `out-${i}\n` || r.stderr !== `err-${i}\n`) {
          bad.push(`#${i} want ${want}: got ${r.code} out=${r.stdout} err=${r.stderr}`);
        }
      });
      // Check leftovers first so that one run reports every kind of failure.
      const clean = await assertClean(sb, ids).then(() => "", (e) => (e as Error).message);
      assertEquals(bad, [], "runs with a wrong status or output");
      assertEquals(ids.length, 200, "every run wrote its cidfile");
      assertEquals(clean, "");
    } finally {
      await sb.cleanup();
    }
  },
});

Deno.test({
  name: "stress 2: run -d --rm then wait gets the code before and after the cleanup removed it",
  ...SPAWNS,
  async fn() {
    const rootfs = await busyboxRootfs();
    const sb = sandbox("berth-stress2-");
    const ids: string[] = [];
    try {
      const N = 100;
      const outcomes = await pool(Array.from({ length: N }, (_, i) => i), 10, async (i) => {
        const code = (i * 7 + 3) % 256;
        const d = await sb.berth([
          "run",
          "-d",
          "--rm",
          "--rootfs",
          i % 2 ? `${rootfs}:O` : rootfs,
          "sh",
          "-c",
          `exit ${code}`,
        ]);
        if (d.code !== 0) return `#${i}: run -d failed ${d.code}: ${d.stderr}`;
        const id = d.stdout.trim();
        ids.push(id);
        // Vary where the wait lands: immediately, during conmon's cleanup, after removal.
        if (i % 5 === 4) {
          await eventually(async () => (await sb.berth(["container", "exists", id])).code === 1);
        } else await sleep((i % 5) * 80);
        const w = await sb.berth(["wait", id], { timeoutMs: 60_000 });
        if (w.code !== 0 || w.stdout !== `${code}\n` || w.stderr !== "") {
          return `#${i} (code ${code}): wait ${w.code} out=${w.stdout} err=${w.stderr}`;
        }
        return "";
      });
      assertEquals(outcomes.filter(Boolean), [], "waits that missed the code");
      await assertClean(sb, ids);
    } finally {
      await sb.cleanup();
    }
  },
});

async function exitCodeRows(sb: Sandbox, id: string): Promise<number> {
  return await withDb(sb, (db) =>
    Number(
      (db.prepare("SELECT count(*) AS n FROM exit_codes WHERE id = ?").get(id) as { n: number })
        .n,
    ));
}

/** Accept an action's status: 0, or a clean one-line refusal because the container is done. */
function okOrTooLate(r: Result, what: string): void {
  if (r.code === 0) return;
  assertOneLineError(r, 125, what);
}

Deno.test({
  name: "stress 3: stop and kill race the exit and each other; the code is recorded once",
  ...SPAWNS,
  async fn(t) {
    const rootfs = await busyboxRootfs();
    const sb = sandbox("berth-stress3-");
    try {
      await t.step("stop / kill near the container's own exit", async () => {
        const trials = Array.from({ length: 16 }, (_, i) => i);
        const seen: string[] = [];
        const problems = await pool(trials, 4, async (i) => {
          const d = await sb.berth([
            "run",
            "-d",
            "--rootfs",
            rootfs,
            "sh",
            "-c",
            "sleep 2; exit 7",
          ]);
          if (d.code !== 0) return `#${i}: run -d ${d.code} ${d.stderr}`;
          const id = d.stdout.trim();
          // Land before, at and after the exit (under load the CLI needs ~1 s to act).
          await sleep((i % 8) * 250);
          const useStop = i % 2 === 0;
          const act = useStop
            ? sb.berth(["stop", "-t", "1", id], { timeoutMs: 30_000 })
            : sb.berth(["kill", "-s", "KILL", id], { timeoutMs: 30_000 });
          const w = sb.berth(["wait", id], { timeoutMs: 30_000 });
          const [a, wr] = await Promise.all([act, w]);
          try {
            okOrTooLate(a, `${useStop ? "stop" : "kill"} #${i}`);
          } catch (e) {
            return (e as Error).message;
          }
          const code = wr.stdout.trim();
          seen.push(`${useStop ? "stop" : "kill"}:${code}`);
          if (wr.code !== 0 || !["7", "137"].includes(code)) {
            return `#${i}: wait ${wr.code} ${wr.stdout} ${wr.stderr}`;
          }
          const again = await sb.berth(["wait", id]);
          const exitCode = await inspect(sb, id, ".State.ExitCode");
          const rows = await exitCodeRows(sb, id);
          if (again.stdout.trim() !== code || exitCode !== code || rows !== 1) {
            return `#${i}: code ${code} then wait ${again.stdout} inspect ${exitCode} rows ${rows}`;
          }
          return "";
        });
        console.log(`  outcomes: ${tally(seen)}`);
        assertEquals(problems.filter(Boolean), [], "stop/kill vs exit");
      });

      await t.step("concurrent stop -t 1 and kill of a SIGTERM-ignoring container", async () => {
        const problems = await pool([0, 1, 2, 3, 4, 5], 3, async (i) => {
          const d = await sb.berth([
            "run",
            "-d",
            "--rootfs",
            rootfs,
            "sh",
            "-c",
            'trap "" TERM; while :; do sleep 0.1; done',
          ]);
          if (d.code !== 0) return `#${i}: run -d ${d.code} ${d.stderr}`;
          const id = d.stdout.trim();
          const stop = sb.berth(["stop", "-t", "1", id], { timeoutMs: 30_000 });
          await sleep(i * 100);
          const kill = sb.berth(["kill", id], { timeoutMs: 30_000 });
          const wait = sb.berth(["wait", id], { timeoutMs: 30_000 });
          const [s, k, w] = await Promise.all([stop, kill, wait]);
          const out: string[] = [];
          if (s.code !== 0) out.push(`stop ${s.code} ${s.stderr}`);
          try {
            okOrTooLate(k, "kill");
          } catch (e) {
            out.push((e as Error).message);
          }
          if (w.code !== 0 || w.stdout !== "137\n") {
            out.push(`wait ${w.code} ${w.stdout} ${w.stderr}`);
          }
          const state = await inspect(sb, id, ".State.Status");
          if (state !== "exited") out.push(`state ${state}`);
          if ((await exitCodeRows(sb, id)) !== 1) out.push("exit_codes rows != 1");
          return out.length ? `#${i}: ${out.join("; ")}` : "";
        });
        assertEquals(problems.filter(Boolean), [], "concurrent stop");
      });
      const rm = await sb.berth(["rm", "-af", "-t", "0"]);
      assertEquals(rm.code, 0, rm.stderr);
      await assertClean(sb);
    } finally {
      await sb.cleanup();
    }
  },
});

Deno.test({
  name: "stress 4: rm -f racing run: run exits 137 or the container's code, never 0, no hang",
  ...SPAWNS,
  async fn() {
    const rootfs = await busyboxRootfs();
    const sb = sandbox("berth-stress4-");
    try {
      const outcomes: number[] = [];
      const problems = await pool(Array.from({ length: 20 }, (_, i) => i), 5, async (i) => {
        const name = `race-${i}`;
        const run = sb.berth([
          "run",
          ...(i % 2 ? ["--rm"] : []),
          "--name",
          name,
          "--rootfs",
          i % 3 ? rootfs : `${rootfs}:O`,
          "sh",
          "-c",
          "sleep 1.5; exit 5",
        ], { timeoutMs: 60_000 });
        let settled = false;
        run.then(() => settled = true);
        await sleep(200 + (i % 5) * 200);
        const rms: Result[] = [];
        // `rm -f` of a missing container is a silent success: wait until it exists.
        while (!settled && (await sb.berth(["container", "exists", name])).code !== 0) {
          await sleep(20);
        }
        if (!settled) {
          rms.push(await sb.berth(["rm", "-f", "-t", "0", name], { timeoutMs: 60_000 }));
        }
        const r = await run;
        outcomes.push(r.code);
        const out: string[] = [];
        if (r.code !== 137 && r.code !== 5) {
          // Removed between create and start: run may only fail cleanly, never exit 0.
          if (!(r.code === 125 && /^Error: .*no such container/m.test(r.stderr))) {
            out.push(`run exited ${r.code}: ${r.stderr}`);
          }
        }
        for (const rm of rms) {
          if (rm.code !== 0) {
            out.push(`rm -f ${rm.code}: ${rm.stderr}`);
          }
        }
        return out.length ? `#${i}: ${out.join("; ")}` : "";
      });
      console.log(`  run statuses: ${tally(outcomes)}`);
      assertEquals(problems.filter(Boolean), [], "rm -f vs run");
      assert(outcomes.includes(137), "the race was exercised: rm -f killed at least one run");
      await sb.berth(["rm", "-af", "-t", "0"]);
      await assertClean(sb);
    } finally {
      await sb.cleanup();
    }
  },
});

Deno.test({
  name:
    "stress 5: concurrent ps/inspect/wait while containers come and go: no error reaches a user",
  ...SPAWNS,
  async fn() {
    const rootfs = await busyboxRootfs();
    const sb = sandbox("berth-stress5-");
    try {
      // Stable containers for inspect: one running, one exited.
      const long = await sb.berth([
        "run",
        "-d",
        "--name",
        "long",
        "--rootfs",
        rootfs,
        "sleep",
        "600",
      ]);
      assertEquals(long.code, 0, long.stderr);
      const done = await sb.berth([
        "run",
        "--name",
        "done",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "exit 4",
      ]);
      assertEquals(done.code, 4, done.stderr);

      let churning = true;
      const failures: string[] = [];
      const check = (r: Result, what: string) => {
        try {
          assertNoError(r, what);
          if (r.code !== 0) throw new Error(`${what}: status ${r.code}`);
        } catch (e) {
          failures.push((e as Error).message);
        }
      };
      let reads = 0;
      const reader = async (k: number) => {
        while (churning) {
          const which = k % 3;
          if (which === 0) check(await sb.berth(["ps", "-a"]), "ps -a");
          else if (which === 1) {
            check(await sb.berth(["inspect", "long", "done"]), "inspect");
          } else {
            const w = await sb.berth(["wait", "--condition", "running", "long"]);
            check(w, "wait --condition running");
          }
          reads++;
        }
      };
      const churn = pool(Array.from({ length: 30 }, (_, i) => i), 6, async (i) => {
        if (i % 2) {
          const r = await sb.berth(["run", "--rm", "--rootfs", rootfs, "sh", "-c", `exit ${i}`]);
          if (r.code !== i || r.stderr !== "") failures.push(`run #${i}: ${r.code} ${r.stderr}`);
          return;
        }
        const d = await sb.berth([
          "run",
          "-d",
          "--rm",
          "--rootfs",
          rootfs,
          "sh",
          "-c",
          `exit ${i}`,
        ]);
        if (d.code !== 0) {
          failures.push(`run -d #${i}: ${d.code} ${d.stderr}`);
          return;
        }
        const w = await sb.berth(["wait", d.stdout.trim()]);
        check(w, `wait #${i}`);
        if (w.stdout !== `${i}\n`) failures.push(`wait #${i}: got ${w.stdout}`);
      });
      const readers = Array.from({ length: 12 }, (_, k) => reader(k));
      await churn;
      churning = false;
      await Promise.all(readers);
      assertEquals(failures, [], `failures among ${reads} reads`);
      assert(reads >= 12, `readers ran (${reads})`);
      const rm = await sb.berth(["rm", "-af", "-t", "0"]);
      assertEquals(rm.code, 0, rm.stderr);
      await assertClean(sb);
    } finally {
      await sb.cleanup();
    }
  },
});
