/**
 * Stress, the exit command's guard (issue #13): a foreground `run` or a `wait` claims the
 * cleanup, and conmon's exit command starts berth only once the claim is free and only if the
 * cleanup is still due. Here the claimer is frozen across the container's exit (so the guard is
 * certainly waiting on its claim) and then SIGKILLed before it could clean up: the guard must
 * then start berth, which records the code and removes the `--rm` container, with no other
 * berth process involved (the state is read straight from the database).
 *
 * @module
 */
import { join } from "node:path";
import { busyboxRootfs, eventually, type Sandbox, sandbox, withDb } from "../helpers.ts";
import {
  assert,
  assertClean,
  assertEquals,
  cleanupPids,
  cmdline,
  killPid,
  readCid,
  sleep,
  SPAWNS,
} from "./_util.ts";

/** The container's row and exit code, straight from the database. */
async function dbFacts(sb: Sandbox, id: string) {
  return await withDb(sb, (db) => {
    const row = db.prepare("SELECT state FROM containers WHERE id = ?").get(id) as
      | { state: string }
      | undefined;
    const code = db.prepare("SELECT code FROM exit_codes WHERE id = ?").get(id) as
      | { code: number }
      | undefined;
    return { state: row?.state, code: code?.code };
  });
}

/** True once process `pid` holds a `flock` on `path` (from `/proc/locks`). */
function holdsFlock(pid: number, path: string): boolean {
  let ino: number;
  try {
    ino = Deno.statSync(path).ino!;
  } catch {
    return false;
  }
  return Deno.readTextFileSync("/proc/locks").split("\n").some((l) => {
    const f = l.trim().split(/\s+/);
    return f[1] === "FLOCK" && Number(f[4]) === pid && f[5]?.split(":")[2] === String(ino);
  });
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name: "stress 13: the claimer (run, wait) SIGKILLed while the exit command waits on its claim",
  ...SPAWNS,
  async fn(t) {
    const rootfs = await busyboxRootfs();
    for (const claimer of ["run --rm", "wait"] as const) {
      await t.step(claimer, async () => {
        const sb = sandbox("berth-stress11-");
        let child: Deno.ChildProcess | undefined;
        try {
          const code = claimer === "wait" ? 42 : 41;
          const script = `sleep 1.5; exit ${code}`;
          let id: string;
          if (claimer === "wait") {
            const d = await sb.berth(["run", "-d", "--rm", "--rootfs", rootfs, "sh", "-c", script]);
            assertEquals(d.code, 0, d.stderr);
            id = d.stdout.trim();
            child = sb.spawn(["wait", id]);
          } else {
            const cid = join(sb.dir, "cid");
            child = sb.spawn([
              "run",
              "--rm",
              "--cidfile",
              cid,
              "--rootfs",
              rootfs,
              "sh",
              "-c",
              script,
            ]);
            id = await readCid(cid);
          }
          const claim = join(sb.runroot, "containers", id, "claim");
          const proc = child;
          // Claimed, and started (a frozen foreground must not stop it before `runtime start`).
          await eventually(async () =>
            holdsFlock(proc.pid, claim) && (await dbFacts(sb, id)).state === "running"
          );
          proc.kill("SIGSTOP");
          const exitFile = join(sb.runroot, "exits", id);
          await eventually(() => exists(exitFile));
          // The guard waits on the frozen claimer; nothing cleans up meanwhile.
          await sleep(500);
          const guards = cleanupPids(sb).filter((p) => cmdline(p).includes(id));
          assertEquals(guards.length, 1, "the exit command runs");
          assertEquals(cmdline(guards[0])[0], "/bin/sh", "the exit command is still the guard");
          assertEquals(await dbFacts(sb, id), { state: "running", code: undefined });
          killPid(proc.pid); // SIGKILL ends a stopped process too
          const st = await proc.status;
          assertEquals(st.signal, "SIGKILL");
          // Now the guard starts berth's cleanup: code recorded, container removed.
          await eventually(async () => {
            const f = await dbFacts(sb, id);
            return f.state === undefined && f.code === code;
          }, 20_000);
          assert(!exists(join(sb.root, "containers", id)), "the container's directory is gone");
          const w = await sb.berth(["wait", id]);
          assertEquals([w.code, w.stdout, w.stderr], [0, `${code}\n`, ""]);
          await assertClean(sb, [id]);
        } finally {
          if (child) killPid(child.pid); // a failed step must not leave it frozen
          await sb.cleanup();
        }
      });
    }
  },
});
