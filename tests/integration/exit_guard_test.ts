/**
 * conmon's exit command is a shell guard (`src/monitor/exit_command.ts`): while a foreground
 * `run` or a `wait` claims the cleanup, no second berth (Deno) process starts; the claimer
 * cleans up itself. (The guard's race with a claimer that dies is in tests/stress/claim_test.ts.)
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, type Sandbox, sandbox } from "../helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

function argvOf(pid: number): string[] {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Sample `/proc` every millisecond until `stop()`: the argv of every process of this sandbox
 * that runs berth's cleanup under Deno (not the `/bin/sh` guard in front of it).
 */
function watchBerthCleanups(sb: Sandbox): { stop(): Promise<string[][]> } {
  let running = true;
  const seen: string[][] = [];
  const loop = (async () => {
    while (running) {
      for (const e of Deno.readDirSync("/proc")) {
        if (!/^\d+$/.test(e.name)) continue;
        const argv = argvOf(Number(e.name));
        const i = argv.indexOf("container");
        if (i < 0 || argv[i + 1] !== "cleanup" || !argv.some((a) => a.includes(sb.dir))) continue;
        if (argv[0] !== "/bin/sh") seen.push(argv);
      }
      await new Promise((r) => setTimeout(r, 1));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

Deno.test(
  "foreground run --rm and wait clean up themselves: conmon's exit command starts no berth",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const watch = watchBerthCleanups(sb);
      let seen: string[][];
      try {
        const r = await sb.berth(["run", "--rm", "--rootfs", rootfs, "sh", "-c", "exit 4"]);
        assertEquals([r.code, r.stderr], [4, ""]);
        const d = await sb.berth(["run", "-d", "--rootfs", rootfs, "sh", "-c", "sleep 1; exit 5"]);
        assertEquals(d.code, 0, d.stderr);
        const id = d.stdout.trim();
        const w = await sb.berth(["wait", id]);
        assertEquals([w.code, w.stdout, w.stderr], [0, "5\n", ""]);
        const st = await sb.berth(["inspect", "-f", "{{.State.Status}}", id]);
        assertEquals(st.stdout, "exited\n");
        await new Promise((r) => setTimeout(r, 300)); // a late exit command would show now
      } finally {
        seen = await watch.stop();
      }
      assertEquals(seen, [], "no berth cleanup process ran");
      // The guard and conmon are gone too: nothing of the sandbox still runs.
      const left = [...Deno.readDirSync("/proc")].filter((e) =>
        /^\d+$/.test(e.name) && argvOf(Number(e.name)).some((a) => a.includes(sb.dir))
      );
      assertEquals(left.length, 0, "no process left");
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("run -d with nobody waiting: the exit command's berth cleans up", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const d = await sb.berth(["run", "-d", "--rm", "--rootfs", rootfs, "sh", "-c", "exit 6"]);
    assertEquals(d.code, 0, d.stderr);
    const id = d.stdout.trim();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        Deno.statSync(`${sb.root}/containers/${id}`);
      } catch {
        break; // removed by the exit command
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    assert(Date.now() < deadline, "the --rm container was removed by its exit command");
    const w = await sb.berth(["wait", id]);
    assertEquals([w.code, w.stdout], [0, "6\n"]);
  } finally {
    await sb.cleanup();
  }
});
