/**
 * Stress (issue #15, found by the soak): the foreground `run` SIGKILLed in the middle of its
 * start, after it mounted the container's root filesystem and before conmon reported the
 * runtime container. A `--conmon` wrapper that sleeps holds the start at that moment.
 *
 * @module
 */
import { join } from "node:path";
import { busyboxRootfs, eventually, type Sandbox, sandbox } from "../helpers.ts";
import {
  assert,
  assertClean,
  assertEquals,
  cmdline,
  inspect,
  killPid,
  pidsMatching,
  readCid,
  sandboxMounts,
  SPAWNS,
} from "./_util.ts";

/** A `--conmon` wrapper that sleeps a minute before it runs conmon. */
function sleepyConmon(sb: Sandbox): string {
  const path = join(sb.dir, "conmon-sleepy");
  Deno.writeTextFileSync(path, `#!/bin/sh\nsleep 60\nexec conmon "$@"\n`, { mode: 0o755 });
  return path;
}

/**
 * A `--runtime` wrapper around runc named `name` in the sandbox: `onStart` is the shell run for
 * runc's `start` (`$RUNC` is runc's path); every other call goes to runc as it is.
 */
function startWrapperRuntime(sb: Sandbox, name: string, onStart: string): string {
  const runc = new TextDecoder().decode(
    new Deno.Command("sh", { args: ["-c", "command -v runc"], stdout: "piped" }).outputSync()
      .stdout,
  ).trim();
  assert(runc, "runc is not installed");
  const path = join(sb.dir, name);
  Deno.writeTextFileSync(
    path,
    `#!/bin/sh\nRUNC=${runc}\ncase " $* " in *" start "*) ${onStart};; esac\nexec $RUNC "$@"\n`,
    { mode: 0o755 },
  );
  return path;
}

/** A `--runtime` wrapper whose `start` sleeps a minute before it runs runc's. */
function sleepyStartRuntime(sb: Sandbox): string {
  return startWrapperRuntime(sb, "runc-sleepy-start", "sleep 60");
}

Deno.test({
  name: "stress 15f: a run killed between runc create and runc start: wait does not hang",
  ...SPAWNS,
  async fn(t) {
    // Found by the soak: the container stayed `initialized`, its runc init waiting for a
    // `start` nobody would send, conmon with it, and `wait` hung for good.
    const rootfs = await busyboxRootfs();
    for (const rm of [true, false]) {
      await t.step(rm ? "run --rm -i" : "run -i", async () => {
        const sb = sandbox("berth-stress15f-");
        const runtime = sleepyStartRuntime(sb);
        const global = [...sb.global, "--runtime", runtime];
        const cidfile = join(sb.dir, "cid");
        const sleepy = () =>
          pidsMatching(runtime).filter((pid) =>
            cmdline(pid)[1] === runtime && cmdline(pid).includes("start")
          );
        try {
          const fg = sb.spawn([
            "run",
            ...(rm ? ["--rm"] : []),
            "-i",
            "--cidfile",
            cidfile,
            "--rootfs",
            `${rootfs}:O`,
            "cat",
          ], { global, input: "" });
          const id = await readCid(cidfile);
          await eventually(() => sleepy().length > 0, 30_000);
          fg.kill("SIGKILL");
          await fg.output().catch(() => {});
          for (const pid of sleepy()) killPid(pid);
          // The next berth process to look (here `wait`, which hung) undoes the start.
          const w = await sb.berth(["wait", id], { global, timeoutMs: 20_000 });
          if (rm) assertEquals(w.code, 125, `gone, and never ran: ${w.stderr}`);
          else {
            assertEquals([w.code, w.stdout], [0, "0\n"], "never ran: 0, as podman");
            assertEquals(await inspect(sb, id, ".State.Status"), "created");
          }
          if (!rm) assertEquals((await sb.berth(["rm", id], { global })).code, 0);
          await assertClean(sb, [id]);
        } finally {
          for (const pid of sleepy()) killPid(pid);
          await sb.cleanup();
        }
      });
    }
  },
});

Deno.test({
  name: "stress 15e: a run killed mid-start leaves nothing once berth looks again; --rm goes",
  ...SPAWNS,
  async fn(t) {
    const rootfs = await busyboxRootfs();
    for (const rm of [true, false]) {
      await t.step(rm ? "run --rm" : "run", async () => {
        const sb = sandbox("berth-stress15e-");
        const conmon = sleepyConmon(sb);
        const cidfile = join(sb.dir, "cid");
        try {
          const fg = sb.spawn([
            "--conmon",
            conmon,
            "run",
            ...(rm ? ["--rm"] : []),
            "--cidfile",
            cidfile,
            "--rootfs",
            `${rootfs}:O`,
            "true",
          ]);
          const id = await readCid(cidfile);
          // The start is held in the wrapper: the overlay is mounted, conmon not yet run.
          // (The foreground's own command line names the wrapper too.)
          const wrapper = () => pidsMatching(conmon).filter((pid) => cmdline(pid)[1] === conmon);
          await eventually(() => wrapper().length > 0, 30_000);
          assert(sandboxMounts(sb).some((m) => m.includes(id)), "the overlay is mounted");
          fg.kill("SIGKILL");
          await fg.output();
          for (const pid of wrapper()) killPid(pid);
          // The next berth process to look at the container undoes the start.
          const ps = await sb.berth(["ps", "-a", "-q", "--no-trunc"]);
          assertEquals(ps.code, 0, ps.stderr);
          if (rm) assertEquals(ps.stdout, "", "the --rm container is gone");
          else {
            assertEquals(ps.stdout.trim(), id);
            assertEquals(await inspect(sb, id, ".State.Status"), "created");
          }
          assertEquals(sandboxMounts(sb), [], "no overlay left mounted");
          if (!rm) assertEquals((await sb.berth(["rm", id])).code, 0);
          await assertClean(sb, [id]);
        } finally {
          for (const pid of pidsMatching(conmon)) killPid(pid);
          await sb.cleanup();
        }
      });
    }
  },
});

/** A `--runtime` wrapper whose `start` runs runc's, then holds its caller a minute. */
function startThenHoldRuntime(sb: Sandbox): string {
  return startWrapperRuntime(
    sb,
    "runc-hold-after-start",
    '$RUNC "$@"; s=$?; sleep 60; exit $s',
  );
}

Deno.test({
  name: "stress 15g: run -i killed right after runc start: the container's stdin closes, --rm goes",
  ...SPAWNS,
  async fn() {
    // Found by the soak: the foreground attached its stdin only after the start returned, so
    // one killed in between was a client conmon never saw; `cat` waited for input for good.
    const rootfs = await busyboxRootfs();
    const sb = sandbox("berth-stress15g-");
    const runtime = startThenHoldRuntime(sb);
    const global = [...sb.global, "--runtime", runtime];
    const cidfile = join(sb.dir, "cid");
    const holding = () =>
      pidsMatching(runtime).filter((pid) =>
        cmdline(pid)[1] === runtime && cmdline(pid).includes("start")
      );
    try {
      // stdin piped and never closed: only conmon closing the container's stdin ends `cat`.
      const fg = sb.spawn(
        ["run", "--rm", "-i", "--cidfile", cidfile, "--rootfs", `${rootfs}:O`, "cat"],
        { global, input: "" },
      );
      const id = await readCid(cidfile);
      await eventually(() => holding().length > 0, 30_000);
      fg.kill("SIGKILL");
      await fg.output().catch(() => {});
      for (const pid of holding()) killPid(pid);
      await eventually(async () => {
        const ps = await sb.berth(["ps", "-a", "-q", "--no-trunc"], { global });
        return ps.code === 0 && !ps.stdout.includes(id);
      }, 30_000);
      await assertClean(sb, [id]);
    } finally {
      for (const pid of holding()) killPid(pid);
      await sb.cleanup();
    }
  },
});
