/**
 * The real docker CLI (28) against `berth system service`: run --rm with exit codes and the
 * two streams kept apart, 1 MB of output byte for byte, run -i with piped stdin, run -d +
 * wait + logs + ps + inspect + rm, stop -t 1, kill → 137, rm -f, run -d --rm + wait.
 *
 * @module
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { DOCKER, importBusybox, startService } from "./service.ts";

Deno.test("docker CLI: the docker binary is installed", () => {
  // No silent skip: without it every test below would prove nothing.
  assert(Deno.statSync(DOCKER).isFile, `${DOCKER} is missing`);
});

Deno.test("docker CLI: version negotiates 1.44; run --rm keeps codes and streams apart", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const v = await svc.docker([
      "version",
      "--format",
      "{{.Server.APIVersion}} {{.Client.APIVersion}}",
    ]);
    assertEquals([v.code, v.stdout.trim()], [0, "1.44 1.44"]);

    const r = await svc.docker(["run", "--rm", "bb", "sh", "-c", "echo out; echo err >&2; exit 3"]);
    assertEquals([r.code, r.stdout, r.stderr], [3, "out\n", "err\n"]);
    const ok = await svc.docker(["run", "--rm", "bb", "true"]);
    assertEquals([ok.code, ok.stdout, ok.stderr], [0, "", ""]);
    const ps = await svc.docker(["ps", "-aq"]);
    assertEquals(ps.stdout, ""); // --rm removed them

    // 1 MB of output, byte for byte (no trailing newline either).
    const big = await svc.docker([
      "run",
      "--rm",
      "bb",
      "sh",
      "-c",
      "head -c 1048576 /dev/zero | tr '\\0' 'x'; printf end",
    ]);
    assertEquals(big.code, 0);
    assertEquals(big.stdoutBytes.length, 1048576 + 3);
    assertEquals(big.stdout.slice(-5), "xxend");
    assert(/^x+end$/.test(big.stdout));

    const cat = await svc.docker(["run", "-i", "--rm", "bb", "cat"], { input: "a\nb\n" });
    assertEquals([cat.code, cat.stdout], [0, "a\nb\n"]);
    // 1 MiB through stdin, every byte.
    const input = new Uint8Array(1048576).map((_, i) => (i * 7) & 0xff);
    const wc = await svc.docker(["run", "-i", "--rm", "bb", "wc", "-c"], { input });
    assertEquals([wc.code, wc.stdout.trim()], [0, "1048576"]);

    // attach to a running container: its output until it exits, and its code.
    const late = (await svc.docker(["run", "-d", "bb", "sh", "-c", "sleep 1; echo late; exit 6"]))
      .stdout.trim();
    const att = await svc.docker(["attach", late]);
    assertEquals([att.code, att.stdout], [6, "late\n"]);
    // logs of a container that never ran return at once, empty (also with -f).
    const never = (await svc.docker(["create", "bb", "echo", "x"])).stdout.trim();
    assertEquals((await svc.docker(["logs", "-f", never])).stdout, "");
    assertEquals((await svc.docker(["rm", late, never])).code, 0);

    const missing = await svc.docker(["run", "--rm", "bb", "nosuchcmd"]);
    assertEquals(missing.code, 127);
    const notDir = await svc.docker(["run", "--name", "isdir", "bb", "/etc"]);
    assertEquals(notDir.code, 126);
    const failed = await svc.docker([
      "inspect",
      "-f",
      "{{.State.Status}} {{.State.ExitCode}}",
      "isdir",
    ]);
    assertEquals(failed.stdout, "created 126\n");
    assertEquals((await svc.docker(["rm", "isdir"])).code, 0);

    // -e, -w, -v and --mount (bind, tmpfs).
    Deno.writeTextFileSync(`${svc.sb.dir}/hostfile`, "from host\n");
    const opts = await svc.docker([
      "run",
      "--rm",
      "-e",
      "GREETING=hi",
      "-w",
      "/tmp",
      "-v",
      `${svc.sb.dir}:/host:ro`,
      "--mount",
      `type=bind,source=${svc.sb.dir},target=/again`,
      "--mount",
      "type=tmpfs,destination=/scratch",
      "bb",
      "sh",
      "-c",
      "echo $GREETING; pwd; cat /host/hostfile /again/hostfile; grep -c ' /scratch tmpfs' /proc/mounts; touch /host/x",
    ]);
    assertEquals(opts.stdout, "hi\n/tmp\nfrom host\nfrom host\n1\n");
    assertEquals(opts.code, 1); // /host is read-only

    // A foreground run --rm killed from outside: 137, and the container is gone.
    const killed = svc.docker(["run", "--rm", "--name", "victim", "bb", "sleep", "100"]);
    for (let i = 0; i < 100; i++) {
      if ((await svc.docker(["ps", "-q", "--filter", "name=victim"])).stdout.trim()) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assertEquals((await svc.docker(["kill", "victim"])).code, 0);
    assertEquals((await killed).code, 137);
    assertEquals((await svc.docker(["ps", "-aq"])).stdout, "");
  } finally {
    await svc.stop();
  }
});

Deno.test("docker CLI: run -d, wait, logs, ps -a, inspect -f, rm; stop, kill, rm -f, run -d --rm", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const d = await svc.docker([
      "run",
      "-d",
      "--name",
      "job",
      "bb",
      "sh",
      "-c",
      "echo logged; echo e >&2; exit 4",
    ]);
    assertEquals(d.code, 0);
    const id = d.stdout.trim();
    assert(/^[0-9a-f]{64}$/.test(id), d.stdout + d.stderr);
    const w = await svc.docker(["wait", id]);
    assertEquals([w.code, w.stdout], [0, "4\n"]);
    const logs = await svc.docker(["logs", "job"]);
    assertEquals([logs.stdout, logs.stderr], ["logged\n", "e\n"]);
    const ps = await svc.docker(["ps", "-a", "--format", "{{.Names}} {{.State}}"]);
    assertEquals(ps.stdout, "job exited\n");
    const running = await svc.docker(["ps", "-q"]);
    assertEquals(running.stdout, "");
    const insp = await svc.docker([
      "inspect",
      "-f",
      "{{.Name}} {{.State.Status}} {{.State.ExitCode}}",
      "job",
    ]);
    assertEquals(insp.stdout, "/job exited 4\n");
    const again = await svc.docker(["run", "-d", "--name", "job", "bb", "true"]);
    assertEquals(again.code, 125); // the name is taken
    assert(again.stderr.includes("already in use"), again.stderr);
    assertEquals((await svc.docker(["rm", "job"])).code, 0);
    assertEquals((await svc.docker(["inspect", "job"])).code, 1);

    // stop -t 1 of a PID 1 that ignores SIGTERM: SIGKILL after a second → 137.
    const s = (await svc.docker(["run", "-d", "bb", "sleep", "1000"])).stdout.trim();
    const t0 = Date.now();
    assertEquals((await svc.docker(["stop", "-t", "1", s])).code, 0);
    assert(Date.now() - t0 < 8000);
    assertEquals((await svc.docker(["wait", s])).stdout, "137\n");
    assertEquals((await svc.docker(["stop", s])).code, 0); // 304: already stopped

    const k = (await svc.docker(["run", "-d", "bb", "sleep", "1000"])).stdout.trim();
    assertEquals((await svc.docker(["kill", k])).code, 0);
    assertEquals((await svc.docker(["wait", k])).stdout, "137\n");
    assertEquals((await svc.docker(["kill", k])).code, 1); // 409: not running

    const f = (await svc.docker(["run", "-d", "bb", "sleep", "1000"])).stdout.trim();
    const rmPlain = await svc.docker(["rm", f]);
    assertEquals(rmPlain.code, 1);
    assert(rmPlain.stderr.includes("stop the container"), rmPlain.stderr);
    assertEquals((await svc.docker(["rm", "-f", f])).code, 0);
    assertEquals((await svc.docker(["rm", "-f", "nosuch"])).code, 0);

    const auto = (await svc.docker(["run", "-d", "--rm", "bb", "sh", "-c", "sleep 1; exit 5"]))
      .stdout.trim();
    const aw = await svc.docker(["wait", auto]);
    assertEquals([aw.code, aw.stdout], [0, "5\n"]);
    assertEquals(
      (await svc.docker(["ps", "-aq"])).stdout.split("\n").filter(Boolean).sort(),
      [
        k.slice(0, 12),
        s.slice(0, 12),
      ].sort(),
    );
  } finally {
    await svc.stop();
  }
});

Deno.test("docker CLI: logs -f/-t/--tail, start -a of an exited container, 20 parallel runs", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const id = (await svc.docker([
      "run",
      "-d",
      "bb",
      "sh",
      "-c",
      "echo one; sleep 1; echo two >&2; sleep 0.3; echo three; exit 2",
    ])).stdout.trim();
    const follow = await svc.docker(["logs", "-f", id]); // streams until the exit
    assertEquals([follow.stdout, follow.stderr], ["one\nthree\n", "two\n"]);
    const tail = await svc.docker(["logs", "--tail", "1", id]);
    assertEquals(tail.stdout + tail.stderr, "three\n");
    const stamped = await svc.docker(["logs", "-t", id]);
    assert(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z one\n/.test(stamped.stdout),
      JSON.stringify(stamped.stdout),
    );
    const future = await svc.docker(["logs", "--since", "2100-01-01T00:00:00Z", id]);
    assertEquals(future.stdout + future.stderr, "");

    // start -a: attach, wait next-exit, start; only the new run's output, its own code.
    const again = await svc.docker(["start", "-a", id]);
    assertEquals([again.code, again.stdout, again.stderr], [2, "one\nthree\n", "two\n"]);

    const runs = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) => svc.docker(["run", "--rm", "bb", "sh", "-c", `echo r${i}; exit ${i % 5}`]),
      ),
    );
    runs.forEach((r, i) => assertEquals([r.code, r.stdout], [i % 5, `r${i}\n`]));
  } finally {
    await svc.stop();
  }
});

Deno.test("docker CLI: run -t under a pseudo-terminal", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const cmd = `${DOCKER} run --rm -t bb sh -c 'test -t 1 && echo tty; exit 9'`;
    const out = await new Deno.Command("script", {
      args: ["-qec", cmd, "/dev/null"],
      env: { DOCKER_HOST: svc.host },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assertEquals(out.code, 9, text + new TextDecoder().decode(out.stderr));
    assert(text.includes("tty"), JSON.stringify(text));
  } finally {
    await svc.stop();
  }
});

Deno.test("docker CLI: top, restart, container prune; curl's Expect: 100-continue", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const id = (await svc.docker(["run", "-d", "bb", "sleep", "1000"])).stdout.trim();
    const top = await svc.docker(["top", id]);
    assertEquals(top.code, 0, top.stderr);
    assert(top.stdout.includes("sleep 1000"), top.stdout);
    const pid1 = (await svc.docker(["inspect", "-f", "{{.State.Pid}}", id])).stdout.trim();
    assertEquals((await svc.docker(["restart", "-t", "0", id])).code, 0);
    const after = await svc.docker(["inspect", "-f", "{{.State.Status}} {{.State.Pid}}", id]);
    const [status, pid2] = after.stdout.trim().split(" ");
    assertEquals(status, "running");
    assert(pid2 !== pid1 && pid2 !== "0", after.stdout);
    assertEquals((await svc.docker(["rm", "-f", id])).code, 0);

    const done = (await svc.docker(["run", "-d", "bb", "true"])).stdout.trim();
    assertEquals((await svc.docker(["wait", done])).stdout, "0\n");
    const prune = await svc.docker(["container", "prune", "-f"]);
    assertEquals(prune.code, 0, prune.stderr);
    assert(prune.stdout.includes(done), prune.stdout);
    assertEquals((await svc.docker(["ps", "-aq"])).stdout, "");

    // curl, given Expect: 100-continue (it sends it itself for large bodies), waits for the 100.
    const body = JSON.stringify({ Image: "bb", Cmd: ["true"], Labels: { pad: "x".repeat(4096) } });
    const t0 = Date.now();
    const curl = await new Deno.Command("curl", {
      args: [
        "-s",
        "--unix-socket",
        svc.socket,
        "-H",
        "Expect: 100-continue",
        "-H",
        "Content-Type: application/json",
        "-d",
        body,
        "http://x/v1.44/containers/create",
      ],
      stdout: "piped",
    }).output();
    assertEquals(curl.code, 0);
    assert(/"Id":"[0-9a-f]{64}"/.test(new TextDecoder().decode(curl.stdout)));
    assert(Date.now() - t0 < 900, "curl waited for a 100 Continue that never came");
  } finally {
    await svc.stop();
  }
});
