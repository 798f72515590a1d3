/**
 * The lifecycle contract: wait returns only at `exited` with all output in the log; exit
 * codes outlive `--rm`; relative global paths work in the cleanup process; codes are pruned
 * and cleared on reboot; waits never hang on a dead monitor.
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, eventually, sandbox, withDb } from "../helpers.ts";
import { join } from "node:path";

const opts = { sanitizeOps: false, sanitizeResources: false };

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `part` occurs contiguously in `whole`. */
function isSlice(part: Uint8Array, whole: Uint8Array): boolean {
  for (let start = 0; start + part.length <= whole.length; start++) {
    if (sameBytes(part, whole.subarray(start, start + part.length))) return true;
  }
  return false;
}

Deno.test(
  "wait returns only at exited, and logs then hold every byte (1 MiB, binary)",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    const data = Deno.makeTempDirSync();
    try {
      const blob = new Uint8Array(1024 * 1024);
      for (let i = 0; i < blob.length; i += 65536) {
        crypto.getRandomValues(blob.subarray(i, i + 65536));
      }
      for (let i = 0; i < blob.length; i += 4096) blob[i] = 10; // newlines among binary bytes
      blob[blob.length - 1] = 0; // no trailing newline: the last record is partial
      Deno.writeFileSync(join(data, "blob"), blob);
      const id = (await sb.berth([
        "run",
        "-d",
        "-v",
        `${data}:/data:ro`,
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "cat /data/blob; echo MARKER >&2; exit 3",
      ])).stdout.trim();
      assertEquals(id.length, 64);
      const w = await sb.berth(["wait", id]);
      assertEquals(w.stdout, "3\n");
      const state = await sb.berth([
        "inspect",
        "--format",
        "{{.State.Status}} {{.State.ExitCode}}",
        id,
      ]);
      assertEquals(state.stdout, "exited 3\n");
      const logs = await sb.berth(["logs", id]);
      assertEquals(logs.stderr, "MARKER\n");
      assert(sameBytes(logs.stdoutBytes, blob), `logs differ: ${logs.stdoutBytes.length} bytes`);
      // logs --tail counts lines. conmon drains stdout and stderr separately, so whether
      // MARKER or the end of the blob was logged last is a race: the last line is MARKER, or
      // (part of) the blob's unterminated last line, never more.
      const tail = await sb.berth(["logs", "--tail", "1", id]);
      const lastLine = blob.subarray(blob.lastIndexOf(10) + 1);
      assert(tail.stderr === "MARKER\n" || tail.stderr === "", `tail stderr: ${tail.stderr}`);
      assert(
        tail.stdoutBytes.length > 0 || tail.stderr !== "",
        "tail 1 printed nothing",
      );
      assert(
        isSlice(tail.stdoutBytes, lastLine),
        `tail 1 stdout is not within the last line: ${tail.stdoutBytes.length} bytes`,
      );
    } finally {
      Deno.removeSync(data, { recursive: true });
      await sb.cleanup();
    }
  },
);

Deno.test(
  "50 parallel run --rm each get their own code; wait reads codes of removed containers",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const n = 50;
      const results = await Promise.all(Array.from({ length: n }, (_, i) =>
        sb.berth([
          "run",
          "--rm",
          "--cidfile",
          join(sb.dir, `cid${i}`),
          "--rootfs",
          rootfs,
          "sh",
          "-c",
          `exit ${i * 5}`,
        ], { timeoutMs: 120_000 })));
      assertEquals(results.map((r) => r.code), results.map((_, i) => i * 5));
      assertEquals((await sb.berth(["ps", "-a", "-q"])).stdout, "");
      const ids = results.map((_, i) => Deno.readTextFileSync(join(sb.dir, `cid${i}`)));
      const w = await sb.berth(["wait", ...ids]);
      assertEquals(w.code, 0);
      assertEquals(w.stdout, ids.map((_, i) => `${i * 5}\n`).join(""));
      const runtimeState = Array.from(Deno.readDirSync(join(sb.runroot, "runtime", "runc")));
      assertEquals(runtimeState.length, 0);
      // nor lock files of the removed containers
      assertEquals(Array.from(Deno.readDirSync(join(sb.runroot, "locks"))).map((e) => e.name), []);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "relative --root/--runroot from another directory: cleanup works, conmon shares berth's cwd",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    const cwd = join(sb.dir, "work");
    Deno.mkdirSync(cwd);
    const global = ["--root", "../root", "--runroot", "../run"];
    try {
      const id = (await sb.berth(["run", "-d", "--rootfs", rootfs, "sleep", "30"], { cwd, global }))
        .stdout.trim();
      const pid = Number(
        (await sb.berth(["inspect", "--format", "{{.State.ConmonPid}}", id], { cwd, global }))
          .stdout,
      );
      assert(pid > 0, "conmon pid recorded");
      assertEquals(Deno.readLinkSync(`/proc/${pid}/cwd`), cwd);
      const cmd = Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0");
      const i = cmd.indexOf("--exit-command-arg");
      assert(i > 0 && cmd.includes("../root") && cmd.includes("../run"), "flags passed as given");
      assertEquals((await sb.berth(["kill", id], { cwd, global })).code, 0);
      // No foreground process cleans this one up: only conmon's exit command can reach exited.
      await eventually(async () => {
        const s = await sb.berth(["inspect", "--format", "{{.State.Status}}", id]);
        return s.stdout.trim() === "exited";
      });
      const rm = await sb.berth(["run", "-d", "--rm", "--rootfs", rootfs, "true"], { cwd, global });
      const rmId = rm.stdout.trim();
      await eventually(async () =>
        (await sb.berth(["container", "exists", rmId], { cwd, global })).code === 1
      );
      assertEquals((await sb.berth(["wait", rmId], { cwd, global })).stdout, "0\n");
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "exit codes: outlive removal, pruned after 5 minutes, cleared by a reboot",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const gone = (await sb.berth(["run", "-d", "--rm", "--rootfs", rootfs, "sh", "-c", "exit 9"]))
        .stdout.trim();
      await eventually(async () => (await sb.berth(["container", "exists", gone])).code === 1);
      assertEquals((await sb.berth(["wait", gone])).stdout, "9\n");
      assertEquals((await sb.berth(["wait", gone.slice(0, 12)])).stdout, "9\n");

      // Backdate the row by six minutes; the next cleanup prunes it.
      await withDb(
        sb,
        (db) =>
          db.prepare("UPDATE exit_codes SET recorded_at = recorded_at - 360000 WHERE id = ?").run(
            gone,
          ),
      );
      const kept = await sb.berth([
        "run",
        "--name",
        "kept",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "exit 4",
      ]);
      assertEquals(kept.code, 4);
      const w = await sb.berth(["wait", gone]);
      assertEquals(w.code, 125);
      assert(w.stderr.includes("no such container"), w.stderr);
      // A backdated row of a container that still exists is kept.
      await withDb(sb, (db) => db.exec("UPDATE exit_codes SET recorded_at = recorded_at - 360000"));
      await sb.berth(["run", "--rm", "--rootfs", rootfs, "true"]);
      assertEquals((await sb.berth(["wait", "kept"])).stdout, "4\n");

      // A reboot (new boot id): codes cleared, states reset except exited.
      const running =
        (await sb.berth(["run", "-d", "--name", "busy", "--rootfs", rootfs, "sleep", "60"]))
          .stdout.trim();
      await withDb(sb, (db) => db.exec("UPDATE meta SET value = 'old-boot' WHERE key = 'boot_id'"));
      const ps = await sb.berth(["ps", "-a", "--format", "{{.Names}} {{.State}}"]);
      assertEquals(ps.stdout.split("\n").filter(Boolean).sort(), ["busy created", "kept exited"]);
      const noCode = await sb.berth(["wait", "kept"]);
      assertEquals(noCode.code, 125);
      assert(noCode.stderr.includes("no such exit code"), noCode.stderr);
      assertEquals((await sb.berth(["wait", running])).stdout, "0\n"); // reset to created
      const leftovers = Array.from(Deno.readDirSync(join(sb.runroot, "runtime", "runc")));
      assertEquals(leftovers.length, 0);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("wait: never-ran is 0; conditions; bad input is 125", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    await sb.berth(["create", "--name", "fresh", "--rootfs", rootfs, "true"]);
    assertEquals((await sb.berth(["wait", "fresh"])).stdout, "0\n");
    // Long enough to be running still when the next berth process starts on a loaded machine.
    const id = (await sb.berth(["run", "-d", "--rootfs", rootfs, "sleep", "3"])).stdout.trim();
    const running = await sb.berth(["wait", "--condition", "running,exited", id]);
    assertEquals(running.stdout, "-1\n");
    assertEquals((await sb.berth(["wait", "--condition", "stopped", id])).stdout, "0\n");
    assertEquals((await sb.berth(["inspect", "-f", "{{.State.Status}}", id])).stdout, "exited\n");
    for (
      const bad of [
        ["wait", "nosuch"],
        ["wait", "--interval", "100days", id],
        ["wait", "--condition", "bogus", id],
        ["wait"],
      ]
    ) {
      const r = await sb.berth(bad);
      assertEquals(r.code, 125, bad.join(" "));
      assert(/^Error: [^\n]+\n$/.test(r.stderr), r.stderr);
      assertEquals(r.stdout, "");
    }
  } finally {
    await sb.cleanup();
  }
});

/** A conmon wrapper that replaces the exit command with /bin/true: cleanup never runs. */
function conmonWithoutCleanup(dir: string): string {
  const path = join(dir, "conmon-no-cleanup");
  Deno.writeTextFileSync(
    path,
    `#!/bin/sh
args=""
skip=0
for a in "$@"; do
  if [ $skip = 1 ]; then skip=0; continue; fi
  case "$a" in
    --exit-command|--exit-command-arg) skip=1; continue;;
  esac
  args="$args '$(printf %s "$a" | sed "s/'/'\\\\\\\\''/g")'"
done
eval exec /usr/bin/conmon $args --exit-command /bin/true
`,
    { mode: 0o755 },
  );
  return path;
}

Deno.test("wait finishes the cleanup itself when the cleanup process never ran", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const conmon = conmonWithoutCleanup(sb.dir);
    const global = [...sb.global, "--conmon", conmon];
    const id =
      (await sb.berth(["run", "-d", "--rootfs", `${rootfs}:O`, "sh", "-c", "sleep 0.3; exit 5"], {
        global,
      })).stdout.trim();
    assertEquals(id.length, 64);
    const started = Date.now();
    const w = await sb.berth(["wait", id], { global });
    assertEquals(w.stdout, "5\n");
    assert(Date.now() - started < 2000 + 300, `wait took ${Date.now() - started} ms`);
    assertEquals((await sb.berth(["inspect", "-f", "{{.State.Status}}", id])).stdout, "exited\n");
    assert(!Deno.readTextFileSync("/proc/self/mountinfo").includes(sb.root), "overlay released");
    // And for run --rm, whichever process gets there removes it.
    const r = await sb.berth(["run", "--rm", "--rootfs", rootfs, "sh", "-c", "exit 6"], { global });
    assertEquals(r.code, 6);
    assertEquals(
      (await sb.berth(["ps", "-a", "-q", "--filter", "status=exited"])).stdout.split("\n").filter(
        Boolean,
      ).length,
      1,
    );
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "conmon SIGKILLed while the container runs: wait records -1 and says why; rm -f cleans up",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const id = (await sb.berth(["run", "-d", "--rootfs", rootfs, "sleep", "60"])).stdout.trim();
      const info = (await sb.berth(["inspect", "-f", "{{.State.ConmonPid}} {{.State.Pid}}", id]))
        .stdout
        .trim().split(" ").map(Number);
      const [conmonPid, pid] = info;
      Deno.kill(conmonPid, "SIGKILL");
      const waiting = sb.berth(["wait", id]);
      await new Promise((r) => setTimeout(r, 300));
      Deno.kill(pid, "SIGKILL"); // the container's process goes too
      const killedAt = Date.now();
      const w = await waiting;
      assert(
        Date.now() - killedAt < 2000,
        `wait took ${Date.now() - killedAt} ms after the process died`,
      );
      assertEquals(w.stdout, "-1\n");
      assert(w.stderr.includes("conmon exited prematurely"), w.stderr);
      assertEquals((await sb.berth(["rm", "-f", "-t", "0", id])).code, 0);
      assertEquals((await sb.berth(["ps", "-a", "-q"])).stdout, "");

      // With the container still running unmonitored, rm -f kills it and cleans up too.
      const id2 = (await sb.berth(["run", "-d", "--rootfs", rootfs, "sleep", "60"])).stdout.trim();
      const c2 = Number((await sb.berth(["inspect", "-f", "{{.State.ConmonPid}}", id2])).stdout);
      Deno.kill(c2, "SIGKILL");
      const rm = await sb.berth(["rm", "-f", "-t", "0", id2]);
      assertEquals(rm.code, 0, rm.stderr);
      assertEquals((await sb.berth(["ps", "-a", "-q"])).stdout, "");
      assertEquals(Array.from(Deno.readDirSync(join(sb.runroot, "runtime", "runc"))).length, 0);
    } finally {
      await sb.cleanup();
    }
  },
);
