/**
 * podman's command-line behaviour: statuses of rm/kill/stop, start -a, restarts, ps and
 * inspect formats, names and prefixes.
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, eventually, sandbox } from "../helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("rm, kill and stop statuses and messages follow podman", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const id = (await sb.berth(["run", "-d", "--name", "s1", "--rootfs", rootfs, "sleep", "100"]))
      .stdout.trim();
    const rm = await sb.berth(["rm", "s1"]);
    assertEquals(rm.code, 2);
    assert(rm.stderr.includes("cannot remove container") && rm.stderr.includes("without force"));
    assertEquals((await sb.berth(["rm", "bogus"])).code, 1);
    // podman's setExitCode: a missing container's 1 wins over a running one's 2, in any order;
    // every target is tried and each failure gets its own Error: line.
    for (const args of [["bogus", "s1"], ["s1", "bogus"]]) {
      const both = await sb.berth(["rm", ...args]);
      assertEquals([both.code, both.stdout, both.stderr.split("Error: ").length], [1, "", 3]);
    }
    const quiet = await sb.berth(["rm", "-f", "bogus"]);
    assertEquals([quiet.code, quiet.stdout, quiet.stderr], [0, "", ""]);
    const dup = await sb.berth(["create", "--name", "s1", "--rootfs", rootfs, "true"]);
    assertEquals(dup.code, 125);
    assert(dup.stderr.includes("already in use"), dup.stderr);
    assertEquals((await sb.berth(["ps", "-q"])).stdout, `${id.slice(0, 12)}\n`);
    assertEquals(
      (await sb.berth(["ps", "--format", "{{.ID}} {{.Names}}"])).stdout,
      `${id.slice(0, 12)} s1\n`,
    );
    assertEquals(
      (await sb.berth(["inspect", "-f", "{{.State.Running}} {{.Name}}", id.slice(0, 8)])).stdout,
      "true s1\n",
    );

    // sleep as PID 1 ignores SIGTERM: stop falls back to SIGKILL after the timeout.
    const stop = await sb.berth(["stop", "-t", "1", "s1"]);
    assertEquals([stop.code, stop.stdout], [0, "s1\n"]);
    assert(
      stop.stderr.includes("StopSignal SIGTERM failed to stop container s1 in 1 seconds"),
      stop.stderr,
    );
    assertEquals(
      (await sb.berth(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "s1"])).stdout,
      "exited 137\n",
    );
    const kill = await sb.berth(["kill", "s1"]);
    assertEquals(kill.code, 125);
    assert(kill.stderr.includes("can only kill running containers"), kill.stderr);
    assertEquals((await sb.berth(["stop", "s1"])).code, 0); // already stopped: a no-op
    assertEquals((await sb.berth(["stop", "nosuch"])).code, 125);
    assertEquals((await sb.berth(["stop", "--ignore", "nosuch"])).code, 0);
    assertEquals((await sb.berth(["rm", "s1"])).stdout, "s1\n");
    assertEquals((await sb.berth(["container", "exists", "s1"])).code, 1);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("stop lets a container trap SIGTERM and exit by itself", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    await sb.berth([
      "run",
      "-d",
      "--name",
      "t",
      "--rootfs",
      rootfs,
      "sh",
      "-c",
      "trap 'echo got-term; exit 0' TERM; echo ready; while :; do sleep 0.1; done",
    ]);
    const started = Date.now();
    const stop = await sb.berth(["stop", "-t", "5", "t"]);
    assertEquals(stop.code, 0);
    assert(Date.now() - started < 4000, "stopped by its own trap, not by SIGKILL");
    assertEquals((await sb.berth(["wait", "t"])).stdout, "0\n");
    assertEquals((await sb.berth(["logs", "t"])).stdout, "ready\ngot-term\n");
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "ps lists oldest first; -l and -n pick the newest of any state; filters",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      await sb.berth(["run", "--name", "old", "--rootfs", rootfs, "true"]);
      await sb.berth(["run", "-d", "--name", "mid", "--rootfs", rootfs, "sleep", "60"]);
      await sb.berth(["create", "--name", "new", "--rootfs", rootfs, "true"]);
      const names = async (...args: string[]) =>
        (await sb.berth(["ps", ...args, "--format", "{{.Names}}"])).stdout;
      assertEquals(await names("-a"), "old\nmid\nnew\n");
      assertEquals(await names(), "mid\n");
      assertEquals(await names("-l"), "new\n");
      assertEquals(await names("-n", "2"), "mid\nnew\n");
      assertEquals(await names("-a", "--filter", "status=exited"), "old\n");
      const bad = await sb.berth(["ps", "-a", "--filter", "status=bogus"]);
      assertEquals([bad.code, bad.stdout, bad.stderr], [
        125,
        "",
        "Error: unknown container state: bogus\n",
      ]);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("logs -t stamps as podman; --since/--until pick lines by time", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const id = (await sb.berth([
      "run",
      "-d",
      "--rootfs",
      rootfs,
      "sh",
      "-c",
      "echo one; sleep 1.2; echo two >&2",
    ])).stdout.trim();
    await sb.berth(["wait", id]);
    const stamped = await sb.berth(["logs", "-t", id]);
    const stamp = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z) /;
    const one = stamp.exec(stamped.stdout)?.[1];
    const two = stamp.exec(stamped.stderr)?.[1];
    assert(one && two, `stamps: ${stamped.stdout} ${stamped.stderr}`);
    assertEquals([stamped.stdout.slice(one.length), stamped.stderr.slice(two.length)], [
      " one\n",
      " two\n",
    ]);
    const between = new Date(Date.parse(one) + 600).toISOString();
    const since = await sb.berth(["logs", "--since", between, id]);
    assertEquals([since.stdout, since.stderr], ["", "two\n"]);
    const until = await sb.berth(["logs", "--until", between, id]);
    assertEquals([until.stdout, until.stderr], ["one\n", ""]);
    assertEquals((await sb.berth(["logs", "--since", "10m", id])).stdout, "one\n");
    const bad = await sb.berth(["logs", "--since", "yesterday", id]);
    assertEquals([bad.code, bad.stdout], [125, ""]);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("restart stops and starts again: new process, appended log", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    await sb.berth([
      "run",
      "-d",
      "--name",
      "svc",
      "--rootfs",
      rootfs,
      "sh",
      "-c",
      "echo up; sleep 60",
    ]);
    const pid = async () =>
      (await sb.berth(["inspect", "--format", "{{.State.Pid}} {{.State.Status}}", "svc"])).stdout;
    const before = await pid();
    const r = await sb.berth(["restart", "-t", "0", "svc"]);
    assertEquals([r.code, r.stdout], [0, "svc\n"]);
    const after = await pid();
    assert(after.endsWith(" running\n") && after !== before, `${before} -> ${after}`);
    await eventually(async () => (await sb.berth(["logs", "svc"])).stdout === "up\nup\n");
    // An exited container runs again; a missing one is an engine error.
    await sb.berth(["run", "--name", "once", "--rootfs", rootfs, "sh", "-c", "echo ran; exit 3"]);
    assertEquals((await sb.berth(["restart", "once"])).code, 0);
    assertEquals((await sb.berth(["wait", "once"])).stdout, "3\n");
    assertEquals((await sb.berth(["logs", "once"])).stdout, "ran\nran\n");
    assertEquals((await sb.berth(["restart", "nosuch"])).code, 125);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("--latest acts on the newest container; inspect also finds images", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    await sb.berth(["run", "--name", "older", "--rootfs", rootfs, "true"]);
    const id = (await sb.berth([
      "run",
      "-d",
      "--name",
      "newest",
      "--rootfs",
      rootfs,
      "sh",
      "-c",
      "echo hi; sleep 60",
    ]))
      .stdout.trim();
    assertEquals((await sb.berth(["inspect", "-l", "--format", "{{.Name}}"])).stdout, "newest\n");
    assertEquals(
      (await sb.berth(["exec", "-l", "sh", "-c", "echo in-newest"])).stdout,
      "in-newest\n",
    );
    await eventually(async () => (await sb.berth(["logs", "-l"])).stdout === "hi\n");
    assertEquals((await sb.berth(["stop", "-l", "-t", "0"])).stdout, `${id}\n`);
    assertEquals(
      (await sb.berth(["inspect", "--format", "{{.State.Status}}", "older"])).stdout,
      "exited\n",
    );
    const both = await sb.berth(["stop", "-l", "older"]);
    assertEquals(both.code, 125);
    assertEquals((await sb.berth(["rm", "-l"])).code, 0);
    assertEquals((await sb.berth(["ps", "-a", "--format", "{{.Names}}"])).stdout, "older\n");

    // A name that is no container may be an image (podman's plain inspect); --type narrows it.
    const tar = `${sb.dir}/rootfs.tar`;
    const t = await new Deno.Command("tar", { args: ["-C", rootfs, "-cf", tar, "."] }).output();
    assertEquals(t.code, 0);
    assertEquals((await sb.berth(["import", tar, "bb"])).code, 0);
    assertEquals(
      (await sb.berth(["inspect", "--format", "{{.RepoTags}}", "bb"])).stdout,
      "[localhost/bb:latest]\n",
    );
    assertEquals((await sb.berth(["inspect", "--type", "container", "bb"])).code, 125);
    assertEquals(
      (await sb.berth(["inspect", "--type", "image", "--format", "{{.RepoTags}}", "bb"])).stdout,
      "[localhost/bb:latest]\n",
    );
  } finally {
    await sb.cleanup();
  }
});

Deno.test("container prune and system prune remove what is not running; help", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    await sb.berth(["run", "--name", "done", "--rootfs", rootfs, "true"]);
    await sb.berth(["create", "--name", "idle", "--rootfs", rootfs, "true"]);
    await sb.berth(["run", "-d", "--name", "busy", "--rootfs", rootfs, "sleep", "60"]);
    const names = async () => (await sb.berth(["ps", "-a", "--format", "{{.Names}}"])).stdout;
    // Without -f it asks; no "y" on stdin keeps everything.
    const asked = await sb.berth(["container", "prune"]);
    assertEquals([asked.code, asked.stdout], [0, ""]);
    assert(asked.stderr.includes("Are you sure you want to continue?"), asked.stderr);
    assertEquals(await names(), "done\nidle\nbusy\n");
    const pruned = await sb.berth(["container", "prune", "-f"]);
    assertEquals([pruned.code, pruned.stdout.split("\n").filter(Boolean).length], [0, 2]);
    assertEquals(await names(), "busy\n");
    await sb.berth(["stop", "-t", "0", "busy"]);
    const system = await sb.berth(["system", "prune", "-f"]);
    assertEquals(system.code, 0, system.stderr);
    assert(system.stdout.startsWith("Deleted Containers\n"), system.stdout);
    assertEquals(await names(), "");
    const help = await sb.berth(["help", "ps"]);
    assertEquals(help.code, 0);
    assert(help.stdout.startsWith("List containers\n\nDescription:\n"), help.stdout);
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "attach follows a running container from now on and exits with its code",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      await sb.berth([
        "run",
        "-d",
        "--name",
        "a",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "echo before; sleep 1.5; echo after; echo err >&2; exit 6",
      ]);
      await eventually(async () => (await sb.berth(["logs", "a"])).stdout === "before\n");
      const r = await sb.berth(["attach", "a"]);
      assertEquals([r.code, r.stdout, r.stderr], [6, "after\n", "err\n"]);
      const late = await sb.berth(["attach", "a"]);
      assertEquals(late.code, 125);
      assert(late.stderr.includes("you can only attach to running containers"), late.stderr);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("rm -f sends the stop signal first, SIGKILL after -t, as podman", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const id = (await sb.berth([
      "run",
      "-d",
      "--rootfs",
      rootfs,
      "sh",
      "-c",
      "trap 'exit 7' TERM; echo ready; while :; do sleep 0.1; done",
    ])).stdout.trim();
    await eventually(async () => (await sb.berth(["logs", id])).stdout === "ready\n");
    const rm = await sb.berth(["rm", "-f", id]);
    assertEquals([rm.code, rm.stdout, rm.stderr], [0, `${id}\n`, ""]);
    // The trap ran: the recorded code is the container's own, not SIGKILL's.
    assertEquals((await sb.berth(["wait", id])).stdout, "7\n");

    // A container that ignores the stop signal is killed after -t, with podman's warning.
    const stubborn = (await sb.berth([
      "run",
      "-d",
      "--name",
      "stubborn",
      "--rootfs",
      rootfs,
      "sh",
      "-c",
      "trap '' TERM; echo ready; while :; do sleep 0.1; done",
    ])).stdout.trim();
    await eventually(async () => (await sb.berth(["logs", stubborn])).stdout === "ready\n");
    const started = Date.now();
    const rm2 = await sb.berth(["rm", "-f", "-t", "1", "stubborn"]);
    assertEquals([rm2.code, rm2.stdout], [0, "stubborn\n"]);
    assert(Date.now() - started >= 1000, "waited for the stop signal's timeout");
    assert(rm2.stderr.includes("resorting to SIGKILL"), rm2.stderr);
    assertEquals((await sb.berth(["wait", stubborn])).stdout, "137\n");
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "start -a of a created --rm container prints its output and removes it",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      await sb.berth([
        "create",
        "--rm",
        "--name",
        "c1",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "echo msg; exit 5",
      ]);
      const r = await sb.berth(["start", "-a", "c1"]);
      assertEquals([r.code, r.stdout], [5, "msg\n"]);
      assertEquals((await sb.berth(["container", "exists", "c1"])).code, 1);
      assertEquals((await sb.berth(["wait", "c1"])).stdout, "5\n"); // by its former name
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "a restarted container appends to its log; start -a shows only the new run",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      await sb.berth(["run", "--name", "r", "--rootfs", rootfs, "sh", "-c", "echo a; echo b"]);
      const again = await sb.berth(["start", "-a", "r"]);
      assertEquals([again.code, again.stdout], [0, "a\nb\n"]);
      assertEquals((await sb.berth(["logs", "r"])).stdout, "a\nb\na\nb\n");
      assertEquals((await sb.berth(["logs", "--tail", "1", "r"])).stdout, "b\n");
      const follow = await sb.berth(["logs", "-f", "r"], { timeoutMs: 10_000 });
      assertEquals([follow.code, follow.stdout], [0, "a\nb\na\nb\n"]);
      const ps = await sb.berth(["ps", "-a", "--format", "json"]);
      const [view] = JSON.parse(ps.stdout);
      // podman's JSON: Names and Command are arrays
      assertEquals([view.Names, view.Command, view.State, view.ExitCode], [
        ["r"],
        ["sh", "-c", "echo a; echo b"],
        "exited",
        0,
      ]);
      assert(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC\n$/.test(
        (await sb.berth(["ps", "-a", "--format", "{{.CreatedAt}}"])).stdout,
      ));
      const inspect = JSON.parse((await sb.berth(["inspect", "r"])).stdout)[0];
      assertEquals(inspect.State.Status, "exited");
      assertEquals(inspect.Name, "r");
      assert(inspect.HostConfig.LogConfig.Path.endsWith("ctr.log"));
      assertEquals((await sb.berth(["inspect", "nope"])).code, 125);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("version answers podman's templates and JSON shape", async () => {
  const sb = sandbox();
  try {
    const v = await sb.berth(["version", "--format", "{{.Client.Version}}"]);
    assertEquals(v.code, 0);
    assert(/^\d+\.\d+\.\d+\n$/.test(v.stdout), v.stdout);
    assertEquals((await sb.berth(["--version"])).stdout, `berth version ${v.stdout}`);
    const json = JSON.parse((await sb.berth(["version", "--format", "json"])).stdout);
    assertEquals(json.Client.Version, v.stdout.trim());
    assert(/^linux\/(amd64|arm64)$/.test(json.Client.OsArch), json.Client.OsArch);
    const bad = await sb.berth(["version", "--format", "{{.Nope}}"]);
    assertEquals([bad.code, bad.stdout], [125, ""]);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("bad input: one Error line, status 125, nothing created", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    Deno.writeTextFileSync(`${sb.dir}/bad.env`, "GOOD=1\nnot valid=2\n");
    Deno.writeTextFileSync(`${sb.dir}/file`, "x");
    const cases = [
      ["run", "--bogus", "--rootfs", rootfs, "true"],
      ["run", "--rootfs"],
      ["run", "--name", "a b", "--rootfs", rootfs, "true"],
      ["run", "--name", "a/b", "--rootfs", rootfs, "true"],
      ["run", "--rootfs", `${sb.dir}/file`, "true"],
      ["run", "--rootfs", "/no/such/dir", "true"],
      ["run", "-v", "relative:/x", "--rootfs", rootfs, "true"],
      ["run", "-v", "/no/such/host:/x", "--rootfs", rootfs, "true"],
      ["run", "--env-file", `${sb.dir}/bad.env`, "--rootfs", rootfs, "true"],
      ["run", "--timeout", "-1", "--rootfs", rootfs, "true"],
      ["run", "--network", "bridge", "--rootfs", rootfs, "true"],
      ["run", "--rootfs", rootfs],
      ["kill", "-s", "SIGFOO", "x"],
      ["stop", "-t", "-3", "x"],
      ["--log-level", "loud", "ps"],
      ["frobnicate"],
    ];
    for (const args of cases) {
      const r = await sb.berth(args);
      assertEquals(r.code, 125, args.join(" "));
      assert(/^Error: [^\n]+\n$/.test(r.stderr), `${args.join(" ")}: ${JSON.stringify(r.stderr)}`);
    }
    assertEquals((await sb.berth(["ps", "-a", "-q"])).stdout, "");
  } finally {
    await sb.cleanup();
  }
});
