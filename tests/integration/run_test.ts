/**
 * `run`: exit codes, 125/126/127, live streaming, stdout/stderr separation.
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, eventually, sandbox } from "../helpers.ts";
import { pathExists } from "../../src/fs.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("run --rm passes the container's exit code through", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const codes = [0, 1, 2, 42, 125, 255];
    const results = await Promise.all(
      codes.map((n) => sb.berth(["run", "--rm", "--rootfs", rootfs, "sh", "-c", `exit ${n}`])),
    );
    assertEquals(results.map((r) => r.code), codes);
    assertEquals((await sb.berth(["ps", "-a", "-q"])).stdout, "");
  } finally {
    await sb.cleanup();
  }
});

Deno.test("a container killed by a signal exits 128+N", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const run = sb.spawn(["run", "--name", "sig", "--rootfs", rootfs, "sleep", "60"]);
    let state = "";
    for (let i = 0; i < 200 && state !== "running"; i++) {
      state = (await sb.berth(["inspect", "--format", "{{.State.Status}}", "sig"])).stdout.trim();
      await new Promise((r) => setTimeout(r, 25));
    }
    assertEquals(state, "running");
    assertEquals((await sb.berth(["kill", "-s", "KILL", "sig"])).code, 0);
    const out = await run.output();
    assertEquals(out.code, 137);
    assertEquals((await sb.berth(["wait", "sig"])).stdout, "137\n");
    // A child shell killed by SIGTERM: the container's own code 143 passes through unchanged.
    const r = await sb.berth([
      "run",
      "--rm",
      "--rootfs",
      rootfs,
      "sh",
      "-c",
      'sh -c "kill -TERM \\$\\$"; exit $?',
    ]);
    assertEquals(r.code, 143);
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "engine errors exit 125, a non-executable command 126, a missing one 127",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const bad = await sb.berth(["run", "--bogus", "--rootfs", rootfs, "true"]);
      assertEquals(bad.code, 125);
      assertEquals(bad.stderr, "Error: unknown flag: --bogus\n");
      const noRootfs = await sb.berth(["run", "--rootfs", "/does/not/exist", "true"]);
      assertEquals(noRootfs.code, 125);
      assert(
        /^Error: rootfs \/does\/not\/exist does not exist\n$/.test(noRootfs.stderr),
        noRootfs.stderr,
      );

      const dir = await sb.berth(["run", "--rm", "--rootfs", rootfs, "/etc"]);
      assertEquals(dir.code, 126);
      assert(/^Error: .*exec.*\/etc.*permission denied\n$/.test(dir.stderr), dir.stderr);

      const missing = await sb.berth(["run", "--rm", "--rootfs", rootfs, "/no/such/command"]);
      assertEquals(missing.code, 127);
      assert(
        /^Error: .*\/no\/such\/command.*no such file or directory\n$/.test(missing.stderr),
        missing.stderr,
      );

      const notOnPath = await sb.berth(["run", "--rm", "--rootfs", rootfs, "nosuchcmd"]);
      assertEquals(notOnPath.code, 127);
      assert(notOnPath.stderr.includes("executable file not found"), notOnPath.stderr);
      // Failed --rm runs leave nothing behind.
      assertEquals((await sb.berth(["ps", "-a", "-q"])).stdout, "");
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "a failed start without --rm leaves the container created, with the error",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const r = await sb.berth(["run", "--name", "broken", "--rootfs", rootfs, "/no/such"]);
      assertEquals(r.code, 127);
      const state = await sb.berth([
        "inspect",
        "--format",
        "{{.State.Status}}|{{.State.Error}}",
        "broken",
      ]);
      assert(state.stdout.startsWith("created|"), state.stdout);
      assert(state.stdout.includes("no such file or directory"), state.stdout);
      assertEquals((await sb.berth(["wait", "broken"])).stdout, "0\n"); // never ran
      assertEquals((await sb.berth(["start", "broken"])).code, 125);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "foreground run streams output live and keeps stdout and stderr apart",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const child = sb.spawn([
        "run",
        "--rm",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "echo first; echo to-err >&2; sleep 2; echo second",
      ]);
      const reader = child.stdout.getReader();
      const { value } = await reader.read();
      const firstSeenAt = Date.now();
      assertEquals(new TextDecoder().decode(value), "first\n");
      let exitedAt = 0;
      const status = child.status.then((s) => (exitedAt = Date.now(), s));
      let rest = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        rest += new TextDecoder().decode(value);
      }
      const stderr = await new Response(child.stderr).text();
      assertEquals((await status).code, 0);
      assertEquals(rest, "second\n");
      assertEquals(stderr, "to-err\n");
      assert(exitedAt - firstSeenAt > 1000, "the first line arrived before the container ended");
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("--timeout: conmon kills the container and run exits 255", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const r = await sb.berth([
      "run",
      "--name",
      "slow",
      "--timeout",
      "1",
      "--rootfs",
      rootfs,
      "sleep",
      "30",
    ]);
    assertEquals(r.code, 255);
    const s = await sb.berth([
      "inspect",
      "--format",
      "{{.State.Status}} {{.State.ExitCode}}",
      "slow",
    ]);
    assertEquals(s.stdout, "exited -1\n");
  } finally {
    await sb.cleanup();
  }
});

Deno.test("env, workdir, hostname, user, read-only, network none, volumes", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  const host = Deno.makeTempDirSync();
  try {
    Deno.chmodSync(host, 0o777);
    Deno.writeTextFileSync(`${host}/in.txt`, "from-host");
    Deno.writeTextFileSync(`${sb.dir}/env`, "# comment\nFROM_FILE=yes\n");
    const r = await sb.berth([
      "run",
      "--rm",
      "-e",
      "A=1",
      "--env-file",
      `${sb.dir}/env`,
      "-w",
      "/tmp",
      "--hostname",
      "hx",
      "-u",
      "65534",
      "--network",
      "none",
      "-v",
      `${host}:/data`,
      "--rootfs",
      rootfs,
      "sh",
      "-c",
      'echo "$A $FROM_FILE $(pwd) $(hostname) $(id -u)"; cat /data/in.txt; echo; ls /sys/class/net; echo ok > /data/out.txt',
    ]);
    assertEquals(r.stderr, "");
    assertEquals(r.stdout, "1 yes /tmp hx 65534\nfrom-host\nlo\n");
    assertEquals(Deno.readTextFileSync(`${host}/out.txt`), "ok\n");
    const ro = await sb.berth(["run", "--rm", "--read-only", "--rootfs", rootfs, "touch", "/x"]);
    assertEquals(ro.code, 1);
    assert(ro.stderr.includes("Read-only file system"), ro.stderr);
    // As podman's --read-only-tmpfs: /tmp, /var/tmp and /run stay writable (tmpfs).
    const tmp = await sb.berth([
      "run",
      "--rm",
      "--read-only",
      "--rootfs",
      rootfs,
      "sh",
      "-c",
      "touch /tmp/a /var/tmp/b /run/c && grep -c ' /tmp tmpfs' /proc/mounts",
    ]);
    assertEquals([tmp.code, tmp.stdout, tmp.stderr], [0, "1\n", ""]);
  } finally {
    Deno.removeSync(host, { recursive: true });
    await sb.cleanup();
  }
});

Deno.test(
  "/etc/resolv.conf, /etc/hosts, /etc/hostname and HOSTNAME as podman sets them",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    const show =
      "cat /etc/resolv.conf; echo --; cat /etc/hosts; echo --; cat /etc/hostname; hostname; echo $HOSTNAME";
    const hostHosts = Deno.readTextFileSync("/etc/hosts");
    try {
      // Host network: the host's resolver and hosts file, and the host's name.
      const host = await sb.berth(["run", "--rm", "--rootfs", `${rootfs}:O`, "sh", "-c", show]);
      assertEquals(host.code, 0);
      const [resolv, hosts, names] = host.stdout.split("--\n");
      assertEquals(resolv, Deno.readTextFileSync("/etc/resolv.conf"));
      assert(hosts.startsWith(hostHosts), hosts);
      const hn = Deno.hostname();
      assertEquals(names, `${hn}\n${hn}\n${hn}\n`);
      assert(
        hosts.split("\n").some((l) => /^127\.0\.0\.1\s/.test(l) && l.split(/\s+/).includes(hn)),
        hosts,
      );

      // --network none: no resolver; the short ID (or --hostname) with the name on 127.0.0.1.
      const none = await sb.berth([
        "run",
        "--rm",
        "--network",
        "none",
        "--name",
        "svc",
        "--cidfile",
        `${sb.dir}/cid`,
        "--rootfs",
        `${rootfs}:O`,
        "sh",
        "-c",
        show,
      ]);
      const short = Deno.readTextFileSync(`${sb.dir}/cid`).slice(0, 12);
      assertEquals(none.code, 0, none.stderr);
      assert(
        none.stdout.endsWith(`127.0.0.1\t${short} svc\n--\n${short}\n${short}\n${short}\n`),
        none.stdout,
      );
      // No resolver without a network: the image's own file, if any (here absent, or the empty
      // mount point a host-network run of the shared rootfs left behind).
      assert(none.stdout.startsWith("--\n"), "no resolv.conf without a network");
      const named = await sb.berth([
        "run",
        "--rm",
        "--network",
        "none",
        "-h",
        "build-box",
        "--rootfs",
        `${rootfs}:O`,
        "sh",
        "-c",
        "grep build-box /etc/hosts; cat /etc/hostname",
      ]);
      assert(/^127\.0\.0\.1\tbuild-box \S+\nbuild-box\n$/.test(named.stdout), named.stdout);

      // A --user the image does not know gets an entry, as podman adds one (git needs it).
      const uid = await sb.berth([
        "run",
        "--rm",
        "-u",
        "1000:1000",
        "--rootfs",
        `${rootfs}:O`,
        "sh",
        "-c",
        "id -un; id -gn; echo $HOME",
      ]);
      assertEquals([uid.code, uid.stdout], [0, "1000\n1000\n/\n"]);

      // A user's own bind mount of one of them wins.
      Deno.writeTextFileSync(`${sb.dir}/myhosts`, "10.0.0.1 mine\n");
      const own = await sb.berth([
        "run",
        "--rm",
        "-v",
        `${sb.dir}/myhosts:/etc/hosts:ro`,
        "--rootfs",
        `${rootfs}:O`,
        "cat",
        "/etc/hosts",
      ]);
      assertEquals(own.stdout, "10.0.0.1 mine\n");
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "limits, tmpfs, --mount, labels, hosts, DNS, privileges and ports as podman applies them",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    const host = Deno.makeTempDirSync();
    try {
      Deno.writeTextFileSync(`${host}/in`, "bound");
      const r = await sb.berth([
        "run",
        "--name",
        "limited",
        "--ulimit",
        "nofile=512:1024",
        "-m",
        "64m",
        "--pids-limit",
        "50",
        "--tmpfs",
        "/scratch:size=8m",
        "--mount",
        `type=bind,source=${host},target=/in,readonly`,
        "--label",
        "ci.job=42",
        "--add-host",
        "db:10.1.2.3",
        "--dns",
        "9.9.9.9",
        "--group-add",
        "44",
        "--security-opt",
        "no-new-privileges",
        "-p",
        "8080:80",
        "--rootfs",
        `${rootfs}:O`,
        "sh",
        "-c",
        [
          "ulimit -n; ulimit -Hn",
          "grep -c ' /scratch tmpfs .*size=8192k' /proc/mounts",
          "cat /in/in; echo; touch /in/x 2>/dev/null || echo read-only",
          "grep db /etc/hosts; cat /etc/resolv.conf; id -G",
          "grep NoNewPrivs /proc/self/status",
        ].join("; "),
      ]);
      assertEquals(r.code, 0, r.stderr);
      assertEquals(
        r.stdout,
        "512\n1024\n1\nbound\nread-only\n10.1.2.3\tdb\nnameserver 9.9.9.9\n0 44\nNoNewPrivs:\t1\n",
      );
      assert(r.stderr.includes("Port mappings have been discarded"), r.stderr);
      const inspect = await sb.berth([
        "inspect",
        "--format",
        '{{index .Config.Labels "ci.job"}} {{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}',
        "limited",
      ]);
      assertEquals(inspect.stdout, `42 ${64 * 2 ** 20} 50\n`);
      assertEquals(
        (await sb.berth(["ps", "-a", "--filter", "label=ci.job=42", "--format", "{{.Names}}"]))
          .stdout,
        "limited\n",
      );
      // The cgroup holds the limits while it runs.
      const id = (await sb.berth(["run", "-d", "-m", "64m", "--rootfs", rootfs, "sleep", "30"]))
        .stdout.trim();
      const v1 = `/sys/fs/cgroup/memory/berth/${id}/memory.limit_in_bytes`;
      const limit = Deno.readTextFileSync(
        pathExists(v1) ? v1 : `/sys/fs/cgroup/berth/${id}/memory.max`,
      ).trim();
      assertEquals(limit, String(64 * 2 ** 20));
      // --privileged: berth's whole bounding set, no masked paths, a writable /sys.
      const priv = await sb.berth([
        "run",
        "--rm",
        "--privileged",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "grep CapEff /proc/self/status; grep -c ' /sys sysfs rw' /proc/mounts",
      ]);
      const bounding = /CapBnd:\s*(\S+)/.exec(Deno.readTextFileSync("/proc/self/status"))![1];
      assertEquals([priv.code, priv.stdout], [0, `CapEff:\t${bounding}\n1\n`]);
      // Asking for more than the host allows is refused up front.
      const tooMany = await sb.berth([
        "run",
        "--rm",
        "--ulimit",
        "nofile=99999999",
        "--rootfs",
        rootfs,
        "true",
      ]);
      assertEquals(tooMany.code, 125);
      assert(tooMany.stderr.includes("exceeds the host's"), tooMany.stderr);
    } finally {
      Deno.removeSync(host, { recursive: true });
      await sb.cleanup();
    }
  },
);

Deno.test(
  "a foreground run and exec pass SIGTERM on; --sig-proxy=false does not",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    const trap = (code: number, flag: string) =>
      `trap 'exit ${code}' TERM; touch ${flag}; while :; do sleep 0.1; done`;
    const exists = async (path: string) =>
      (await sb.berth(["exec", "svc", "test", "-e", path])).code === 0;
    try {
      await sb.berth(["run", "-d", "--name", "svc", "--rootfs", `${rootfs}:O`, "sleep", "300"]);
      // run: the signal reaches the container, whose own code comes back.
      const run = sb.spawn([
        "run",
        "--rm",
        "--name",
        "fg",
        "--rootfs",
        `${rootfs}:O`,
        "sh",
        "-c",
        trap(7, "/tmp/r"),
      ]);
      await eventually(async () =>
        (await sb.berth(["exec", "fg", "test", "-e", "/tmp/r"])).code === 0
      );
      run.kill("SIGTERM");
      assertEquals((await run.output()).code, 7);
      // exec: the runtime passes it on to the exec'd process.
      const exec = sb.spawn(["exec", "svc", "sh", "-c", trap(9, "/tmp/e")]);
      await eventually(() => exists("/tmp/e"));
      exec.kill("SIGTERM");
      assertEquals((await exec.output()).code, 9);
      // --sig-proxy=false: berth itself dies of the signal; the container runs on.
      const plain = sb.spawn([
        "run",
        "--sig-proxy=false",
        "--name",
        "np",
        "--rootfs",
        `${rootfs}:O`,
        "sh",
        "-c",
        trap(5, "/tmp/n"),
      ]);
      await eventually(async () =>
        (await sb.berth(["exec", "np", "test", "-e", "/tmp/n"])).code === 0
      );
      plain.kill("SIGTERM");
      await plain.output();
      assertEquals(
        (await sb.berth(["inspect", "--format", "{{.State.Status}}", "np"])).stdout,
        "running\n",
      );
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("--rootfs DIR:O never modifies the directory", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const r = await sb.berth([
      "run",
      "--rm",
      "--rootfs",
      `${rootfs}:O`,
      "sh",
      "-c",
      "echo x > /written; rm /bin/true; cat /written",
    ]);
    assertEquals(r.code, 0);
    assertEquals(r.stdout, "x\n");
    let exists = true;
    try {
      Deno.lstatSync(`${rootfs}/written`);
    } catch {
      exists = false;
    }
    assertEquals(exists, false);
    assert(Deno.lstatSync(`${rootfs}/bin/true`).isSymlink);
    const mounts = Deno.readTextFileSync("/proc/self/mountinfo");
    assert(!mounts.includes(sb.root), "the overlay was unmounted");
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "run -i feeds stdin byte-exact and closes it; without -i stdin is empty",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const input = new Uint8Array(200_000);
      for (let i = 0; i < input.length; i += 65536) {
        crypto.getRandomValues(input.subarray(i, i + 65536));
      }
      const out = await sb.berth(["run", "-i", "--rm", "--rootfs", rootfs, "cat"], { input });
      assertEquals(out.code, 0);
      assertEquals(out.stdoutBytes.length, input.length);
      assert(out.stdoutBytes.every((b, i) => b === input[i]), "stdin came back byte for byte");
      const noInput = await sb.berth(["run", "--rm", "--rootfs", rootfs, "cat"], {
        timeoutMs: 10_000,
      });
      assertEquals([noInput.code, noInput.stdout], [0, ""]);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "-t gives the container a terminal; -it from a pipe ends the input with ^D",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      // One stream, with the terminal's CRLF, as podman gives it; TERM=xterm unless set.
      const t = await sb.berth([
        "run",
        "--rm",
        "-t",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "echo out; echo err >&2; tty; echo $TERM; exit 3",
      ]);
      assertEquals([t.code, t.stdout, t.stderr], [3, "out\r\nerr\r\n/dev/pts/0\r\nxterm\r\n", ""]);
      const term = await sb.berth([
        "run",
        "--rm",
        "-t",
        "-e",
        "TERM=dumb",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "echo $TERM",
      ]);
      assertEquals(term.stdout, "dumb\r\n");
      // Without -t, no terminal; TERM=xterm all the same (podman's default environment).
      const noTty = await sb.berth([
        "run",
        "--rm",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "tty; echo x$TERM",
      ]);
      assertEquals([noTty.code, noTty.stdout], [0, "not a tty\nxxterm\n"]);

      // -it fed from a pipe: the terminal echoes the input, cat repeats it, and the input's
      // end reaches cat as ^D (an unfinished last line needs two), so nothing hangs.
      for (const [input, expected] of [["hello\n", "hello\r\nhello\r\n"], ["abc", "abcabc"]]) {
        const out = await sb.berth(["run", "-i", "-t", "--rm", "--rootfs", rootfs, "cat"], {
          input,
          timeoutMs: 20_000,
        });
        assertEquals([out.code, out.stdout], [0, expected]);
      }
      // The log holds the terminal's output as stdout.
      const id =
        (await sb.berth(["run", "-d", "-t", "--rootfs", rootfs, "sh", "-c", "echo logged"]))
          .stdout.trim();
      assertEquals((await sb.berth(["wait", id])).stdout, "0\n");
      const logs = await sb.berth(["logs", id]);
      assertEquals([logs.stdout, logs.stderr], ["logged\r\n", ""]);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("--runtime crun works through the hybrid-cgroup wrapper", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  const global = [...sb.global, "--runtime", "crun"];
  try {
    const r = await sb.berth(["run", "--rm", "--rootfs", rootfs, "sh", "-c", "echo hi; exit 3"], {
      global,
    });
    assertEquals([r.code, r.stdout, r.stderr], [3, "hi\n", ""]);
    assertEquals(
      (await sb.berth(["run", "--rm", "--rootfs", rootfs, "/etc"], { global })).code,
      126,
    );
    assertEquals(
      (await sb.berth(["run", "--rm", "--rootfs", rootfs, "/nope"], { global })).code,
      127,
    );
    const info = await sb.berth(["info", "--format", "{{.Host.OCIRuntime.Name}}"], { global });
    assertEquals(info.stdout, "crun\n");
  } finally {
    await sb.cleanup();
  }
});
