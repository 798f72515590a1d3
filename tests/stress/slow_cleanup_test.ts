/**
 * Stress (issue #15, found by the soak): `wait` returns within 2 s of the exit even when the
 * cleanup process is slow to come (on a loaded machine its deno takes seconds to start, and
 * conmon lives until it is done). A conmon wrapper makes the exit command sleep 6 s first.
 *
 * @module
 */
import { join } from "node:path";
import { busyboxRootfs, type Sandbox, sandbox } from "../helpers.ts";
import { assert, assertClean, assertEquals, inspect, sleep, SPAWNS } from "./_util.ts";

/** The bound on "returns promptly". */
const PROMPT_MS = 2000;

/** A `--conmon` wrapper whose exit command sleeps 6 s before it runs berth's. */
function slowExitCommandConmon(sb: Sandbox): string {
  const conmon = new TextDecoder().decode(
    new Deno.Command("sh", { args: ["-c", "command -v conmon"], stdout: "piped" }).outputSync()
      .stdout,
  ).trim();
  assert(conmon, "conmon is not installed");
  const path = join(sb.dir, "conmon-slow-exit");
  Deno.writeTextFileSync(
    path,
    `#!/bin/sh
next=0
for a do
  shift
  if [ "$next" = 1 ]; then
    next=0
    set -- "$@" /bin/sh --exit-command-arg -c --exit-command-arg 'sleep 6; exec "$0" "$@"' \\
      --exit-command-arg "$a"
    continue
  fi
  [ "$a" = --exit-command ] && next=1
  set -- "$@" "$a"
done
exec ${conmon} "$@"
`,
    { mode: 0o755 },
  );
  return path;
}

/** When the exit file of `id` appears (polled every 5 ms). */
async function exitSeen(sb: Sandbox, id: string): Promise<number> {
  const path = join(sb.runroot, "exits", id);
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(5)) {
    try {
      Deno.statSync(path);
      return Date.now();
    } catch { /* not yet */ }
  }
  throw new Error(`no exit file for ${id}`);
}

Deno.test({
  name: "stress 15d: wait returns promptly while the cleanup process is slow to come",
  ...SPAWNS,
  async fn(t) {
    const rootfs = await busyboxRootfs();
    for (const rm of [false, true]) {
      await t.step(rm ? "run -d --rm + wait" : "run -d + wait", async () => {
        const sb = sandbox("berth-stress15d-");
        const global = [...sb.global, "--conmon", slowExitCommandConmon(sb)];
        try {
          const d = await sb.berth([
            "run",
            "-d",
            ...(rm ? ["--rm"] : []),
            "--rootfs",
            `${rootfs}:O`,
            "sh",
            "-c",
            "sleep 1.5; exit 9",
          ], { global });
          assertEquals(d.code, 0, d.stderr);
          const id = d.stdout.trim();
          const wait = sb.berth(["wait", id], { global });
          const t0 = await exitSeen(sb, id);
          const w = await wait;
          const took = Date.now() - t0;
          assertEquals([w.code, w.stdout, w.stderr], [0, "9\n", ""]);
          assert(took < PROMPT_MS, `wait returned ${took} ms after the exit`);
          if (rm) {
            const ps = await sb.berth(["ps", "-a", "-q", "--no-trunc"], { global });
            assertEquals(ps.stdout, "", "an --rm container is gone when wait returns");
          } else {
            assertEquals(await inspect(sb, id, ".State.Status"), "exited");
            assertEquals((await sb.berth(["rm", id], { global })).code, 0);
          }
          // The late cleanup process finds nothing left to do, and leaves nothing behind.
          await assertClean(sb, [id]);
        } finally {
          await sb.cleanup();
        }
      });
    }
  },
});
