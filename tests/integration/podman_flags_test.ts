/**
 * podman's global and run/create flags that its own system tests exercise: `--noout`,
 * `--memory=0`, `--tz`, `--runtime PATH`, `--device-cgroup-rule`, `--log-opt`, `-a STREAM`,
 * the default environment and `--unsetenv`, `/run/.containerenv`, a missing `--workdir`.
 */
import { assert, assertEquals, assertMatch } from "../unit/assert.ts";
import { busyboxRootfs, sandbox } from "../helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("--noout discards stdout of run, create, rm and stop but not errors", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const created = await sb.berth([
      "--noout",
      "create",
      "--name",
      "c1",
      "--rootfs",
      rootfs,
      "true",
    ]);
    assertEquals([created.code, created.stdout], [0, ""]);
    const run = await sb.berth(["--noout", "run", "--rm", "--rootfs", rootfs, "echo", "hi"]);
    assertEquals([run.code, run.stdout], [0, ""]);
    const d = await sb.berth([
      "--noout",
      "run",
      "-d",
      "--name",
      "c2",
      "--rootfs",
      rootfs,
      "sleep",
      "60",
    ]);
    assertEquals([d.code, d.stdout], [0, ""]);
    const stop = await sb.berth(["--noout", "stop", "-t", "0", "c2"]);
    assertEquals([stop.code, stop.stdout], [0, ""]);
    const rm = await sb.berth(["--noout", "rm", "c1", "c2"]);
    assertEquals([rm.code, rm.stdout], [0, ""]);
    const bad = await sb.berth(["--noout", "rm", "nosuch"]);
    assert(bad.code !== 0);
    assertMatch(bad.stderr, /^Error: .*nosuch/);
    // A container's exit status still passes through.
    const code = await sb.berth([
      "--noout",
      "run",
      "--rm",
      "--rootfs",
      rootfs,
      "sh",
      "-c",
      "exit 3",
    ]);
    assertEquals(code.code, 3);
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "--memory=0 is no limit; --kernel-memory is accepted with podman's warning",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const r = await sb.berth(["run", "--memory=0", "--rm", "--rootfs", rootfs, "echo", "hello"]);
      assertEquals([r.code, r.stdout], [0, "hello\n"]);
      const k = await sb.berth([
        "run",
        "--rm",
        "--kernel-memory",
        "100",
        "--rootfs",
        rootfs,
        "true",
      ]);
      assertEquals(k.code, 0);
      assertMatch(
        k.stderr,
        /The --kernel-memory flag is no longer supported\. This flag is a noop\./,
      );
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("--tz binds a copy of the zone at /etc/localtime; the last --tz wins", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const date = ["date", "-d", "@1600000000"];
    const r = await sb.berth([
      "run",
      "--rm",
      "--tz=US/Eastern",
      "--tz=MST7MDT",
      "--rootfs",
      rootfs,
      ...date,
    ]);
    assertEquals([r.code, r.stdout], [0, "Sun Sep 13 06:26:40 MDT 2020\n"]);
    // local: the host's /etc/localtime, not berth's $TZ.
    const host = await new Deno.Command("date", {
      args: ["--date=@1600000000", "--iso=seconds"],
      stdout: "piped",
    }).output();
    const local = await sb.berth(
      ["run", "--rm", "--tz=local", "--rootfs", rootfs, "date", "-Iseconds", "-d", "@1600000000"],
      { env: { TZ: "Pacific/Chatham" } },
    );
    assertEquals(local.stdout, new TextDecoder().decode(host.stdout));
    const c = await sb.berth([
      "create",
      "--name",
      "z",
      "--tz",
      "Iceland",
      "--rootfs",
      rootfs,
      "true",
    ]);
    assertEquals(c.code, 0);
    const tz = await sb.berth(["inspect", "--format", "{{.Config.Timezone}}", "z"]);
    assertEquals(tz.stdout, "Iceland\n");
    const bad = await sb.berth(["run", "--rm", "--tz", "Mars/Olympus", "--rootfs", rootfs, "true"]);
    assertEquals(bad.code, 125);
    assertMatch(bad.stderr, /unknown time zone Mars\/Olympus/);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("run/create --runtime PATH: the container keeps that runtime", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  const runc = new TextDecoder().decode(
    (await new Deno.Command("sh", { args: ["-c", "command -v runc"], stdout: "piped" }).output())
      .stdout,
  ).trim();
  const copy = `${sb.dir}/myruntime`;
  Deno.copyFileSync(runc, copy);
  Deno.chmodSync(copy, 0o755);
  try {
    const r = await sb.berth(["run", "-d", "--runtime", copy, "--rootfs", rootfs, "sleep", "60"]);
    assertEquals(r.code, 0, r.stderr);
    const id = r.stdout.trim();
    assertEquals(
      (await sb.berth(["inspect", "--format", "{{.OCIRuntime}}", id])).stdout,
      `${copy}\n`,
    );
    assertEquals((await sb.berth(["kill", id])).code, 0);
    assertEquals((await sb.berth(["wait", id])).stdout, "137\n");
    assertEquals((await sb.berth(["rm", id])).code, 0);
    const missing = await sb.berth([
      "create",
      "--runtime",
      `${sb.dir}/nope`,
      "--rootfs",
      rootfs,
      "true",
    ]);
    assertEquals(missing.code, 125);
    assertMatch(missing.stderr, /OCI runtime ".*nope" not found/);
    assertEquals((await sb.berth(["ps", "-aq"])).stdout, "");
  } finally {
    await sb.cleanup();
  }
});

Deno.test("-p on the host network: podman's warning, bare, before the output", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const r = await sb.berth([
      "run",
      "--rm",
      "-p",
      "8080",
      "--net=host",
      "--rootfs",
      rootfs,
      "echo",
      "x",
    ]);
    assertEquals(r.code, 0);
    assertEquals(
      r.stderr,
      "Port mappings have been discarded as one of the Host, Container, Pod, and None network modes are in use\n",
    );
    assertEquals(r.stdout, "x\n");
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "--device-cgroup-rule lets the container use the device; bad rules as podman",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      // /dev/loop-control (10:237) is not among the default devices. Make its node in the
      // container's own /dev (a tmpfs) and open it: the device cgroup decides.
      const use = [
        "--cap-add",
        "MKNOD",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "mknod /dev/lc c 10 237 && (exec 3</dev/lc) 2>/dev/null; echo $?",
      ];
      const denied = await sb.berth(["run", "--rm", ...use]);
      assertEquals([denied.code, denied.stdout], [0, "1\n"]);
      for (const rule of ["c 10:237 rwm", "c 10:* rw", "a 10 rwm"]) {
        const ok = await sb.berth(["run", "--rm", `--device-cgroup-rule=${rule}`, ...use]);
        assertEquals([ok.code, ok.stdout], [0, "0\n"], rule);
      }
      const messages: [string, string][] = [
        ["b 7:* rmX", "Error: invalid device access in device-access-add: X\n"],
        [
          "b 7:2",
          'Error: invalid device cgroup rule requires type, major:Minor, and access rules: "b 7:2"\n',
        ],
        ["x 7:* rmw", "Error: invalid device type in device-access-add: x\n"],
        ["a a:* rmw", 'Error: strconv.ParseUint: parsing "a": invalid syntax\n'],
      ];
      for (const [rule, message] of messages) {
        const bad = await sb.berth([
          "run",
          "--rm",
          `--device-cgroup-rule=${rule}`,
          "--rootfs",
          rootfs,
          "true",
        ]);
        assertEquals([bad.code, bad.stderr], [125, message]);
      }
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "--log-opt max-size: conmon caps the log; inspect shows podman's size",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const r = await sb.berth([
        "run",
        "--name",
        "big",
        "--log-opt",
        "max-size=1.085k",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "i=0; while [ $i -lt 200 ]; do echo line-$i-padding-padding; i=$((i+1)); done",
      ]);
      assertEquals(r.code, 0);
      const size = await sb.berth([
        "inspect",
        "--format",
        "{{ .HostConfig.LogConfig.Size }}",
        "big",
      ]);
      assertEquals(size.stdout, "1.085kB\n");
      const path =
        (await sb.berth(["inspect", "--format", "{{.HostConfig.LogConfig.Path}}", "big"]))
          .stdout.trim();
      assert(Deno.statSync(path).size <= 1085 + 200, `log is ${Deno.statSync(path).size} bytes`);
      const bad = await sb.berth([
        "run",
        "--rm",
        "--log-opt",
        "max-size=lots",
        "--rootfs",
        rootfs,
        "true",
      ]);
      assertEquals(bad.code, 125);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "default env TERM=xterm and container=podman; --unsetenv, --unsetenv-all",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      // `env` in a shell would show the shell's own PATH default: read what was exec'ed.
      // /bin/sh by its path: with --unsetenv-all there is no PATH to find it on.
      const environ = ["/bin/sh", "-c", "tr '\\0' '\\n' </proc/$$/environ | sort"];
      const env = async (...flags: string[]) =>
        (await sb.berth(["run", "--rm", ...flags, "--rootfs", rootfs, ...environ])).stdout;
      const all = await env();
      assertMatch(all, /^TERM=xterm$/m);
      assertMatch(all, /^container=podman$/m);
      assertMatch(all, /^PATH=/m);
      const noTerm = await env("--unsetenv=TERM", "--unsetenv", "container");
      assert(!/TERM|container/.test(noTerm), noTerm);
      assertMatch(noTerm, /^PATH=/m);
      const none = await env("--unsetenv-all");
      assert(!/TERM|container|PATH/.test(none), none);
      assertMatch(await env("--unsetenv-all", "--env", "TERM=abc"), /^TERM=abc$/m);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("run -a STREAM relays only that stream; -a stdin alone prints the ID", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const both = ["--rootfs", rootfs, "sh", "-c", "echo out; echo err >&2; exit 4"];
    const err = await sb.berth(["run", "--name", "e", "--attach", "stderr", ...both]);
    assertEquals([err.code, err.stdout, err.stderr], [4, "", "err\n"]);
    // The log keeps both streams.
    assertEquals((await sb.berth(["logs", "e"])).stdout, "out\n");
    const o = await sb.berth(["run", "--rm", "-a", "stdout", ...both]);
    assertEquals([o.code, o.stdout, o.stderr], [4, "out\n", ""]);
    const all = await sb.berth(["run", "--rm", "-a", "stdout", "-a", "STDERR", ...both]);
    assertEquals([all.stdout, all.stderr], ["out\n", "err\n"]);
    const id = await sb.berth(["run", "--name", "i", "--attach", "stdin", ...both]);
    const full = (await sb.berth(["inspect", "--format", "{{.Id}}", "i"])).stdout;
    assertEquals([id.code, id.stdout, id.stderr], [4, full, ""]);
    // stdin is fed with -i only when attached.
    const cat = ["--rootfs", rootfs, "sh", "-c", "cat; echo done"];
    const fed = await sb.berth(["run", "--rm", "-i", "-a", "stdin", "-a", "stdout", ...cat], {
      input: "in\n",
    });
    assertEquals(fed.stdout, "in\ndone\n");
    const bad = await sb.berth(["run", "--rm", "-a", "stdmiddle", ...both]);
    assertEquals([bad.code, bad.stderr], [
      125,
      'Error: invalid stream "stdmiddle" for --attach - must be one of stdin, stdout, or stderr: invalid argument\n',
    ]);
    assertEquals(
      (await sb.berth(["ps", "-a", "--format", "{{.Names}}"])).stdout.split("\n").sort(),
      [
        "",
        "e",
        "i",
      ],
    );
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "/run/.containerenv: empty, or with --privileged what the container is",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const plain = await sb.berth([
        "run",
        "--rm",
        "--rootfs",
        `${rootfs}:O`,
        "stat",
        "-c",
        "%s",
        "/run/.containerenv",
      ]);
      assertEquals([plain.code, plain.stdout], [0, "0\n"]);
      // Also over the /run tmpfs of --read-only.
      const ro = await sb.berth([
        "run",
        "--rm",
        "--read-only",
        "--rootfs",
        `${rootfs}:O`,
        "stat",
        "-c",
        "%s",
        "/run/.containerenv",
      ]);
      assertEquals([ro.code, ro.stdout], [0, "0\n"]);
      const priv = await sb.berth([
        "run",
        "--privileged",
        "--name",
        "pc",
        "--rootfs",
        `${rootfs}:O`,
        "sh",
        "-c",
        ". /run/.containerenv; echo $engine; echo $name; echo $id; echo $rootless",
      ]);
      const id = (await sb.berth(["inspect", "--format", "{{.Id}}", "pc"])).stdout.trim();
      const lines = priv.stdout.split("\n");
      assertMatch(lines[0], /^berth-\d+\.\d+\.\d+$/);
      assertEquals(lines.slice(1), ["pc", id, "0", ""]);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "a --workdir missing in the container is an error (126), unless a mount makes it",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    const vol = `${sb.dir}/vol`;
    Deno.mkdirSync(vol);
    Deno.writeTextFileSync(`${vol}/content`, "hello\n");
    try {
      const root = ["--rootfs", `${rootfs}:O`];
      const missing = await sb.berth([
        "run",
        "--rm",
        "--workdir",
        "/i/do/not/exist",
        ...root,
        "pwd",
      ]);
      assertEquals(missing.code, 126);
      assertMatch(
        missing.stderr,
        /^Error: workdir "\/i\/do\/not\/exist" does not exist on container [0-9a-f]{64}\n$/,
      );
      assertEquals(missing.stdout, "");
      assertEquals((await sb.berth(["ps", "-aq"])).stdout, "");
      const file = await sb.berth(["run", "--rm", "--workdir", "/bin/sh", ...root, "pwd"]);
      assertEquals(file.code, 126);
      assertMatch(file.stderr, /exists on container .*, but is not a directory/);
      const onVolume = await sb.berth([
        "run",
        "--rm",
        "--workdir",
        "/v",
        "-v",
        `${vol}:/v`,
        ...root,
        "cat",
        "content",
      ]);
      assertEquals([onVolume.code, onVolume.stdout], [0, "hello\n"]);
      const parent = await sb.berth([
        "run",
        "--rm",
        "--workdir",
        "/w",
        "-v",
        `${vol}/content:/w/foo`,
        ...root,
        "cat",
        "foo",
      ]);
      assertEquals([parent.code, parent.stdout], [0, "hello\n"]);
      const tmpfs = await sb.berth([
        "run",
        "--rm",
        "--workdir",
        "/scratch",
        "--tmpfs",
        "/scratch",
        ...root,
        "pwd",
      ]);
      assertEquals([tmpfs.code, tmpfs.stdout], [0, "/scratch\n"]);
      // A symlink to a directory is followed inside the container.
      const link = await sb.berth(["run", "--rm", "--workdir", "/tmp/..", ...root, "pwd"]);
      assertEquals([link.code, link.stdout], [0, "/\n"]);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "--privileged gets the host's devices, an unprivileged container the default few",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    // Whichever char/block devices this host has beyond the defaults (ttyN, loopN, ...).
    const defaults = new Set([
      "null",
      "zero",
      "full",
      "random",
      "urandom",
      "tty",
      "console",
      "ptmx",
    ]);
    const host = [...Deno.readDirSync("/dev")].filter((e) => {
      if (defaults.has(e.name)) return false;
      const info = Deno.lstatSync(`/dev/${e.name}`);
      return info.isCharDevice || info.isBlockDevice;
    }).map((e) => e.name).sort();
    assert(host.length > 0, "this host has no devices beyond the defaults to test with");
    try {
      const list = ["--rootfs", `${rootfs}:O`, "sh", "-c", "ls /dev"];
      const priv = (await sb.berth(["run", "--rm", "--privileged", ...list])).stdout.split("\n");
      for (const name of host) assert(priv.includes(name), `--privileged lacks /dev/${name}`);
      const plain = (await sb.berth(["run", "--rm", ...list])).stdout.split("\n");
      for (const name of host) assert(!plain.includes(name), `unprivileged has /dev/${name}`);
      // The node is the host's device: same type and numbers.
      const [name] = host;
      const want = Deno.lstatSync(`/dev/${name}`);
      const stat = await sb.berth([
        "run",
        "--rm",
        "--privileged",
        "--rootfs",
        `${rootfs}:O`,
        "stat",
        "-c",
        "%t:%T",
        `/dev/${name}`,
      ]);
      const major = ((want.rdev! >> 8) & 0xfff).toString(16);
      const minor = ((want.rdev! & 0xff) | ((want.rdev! >> 12) & 0xfff00)).toString(16);
      assertEquals(stat.stdout, `${major}:${minor}\n`);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("--systemd: podman's systemd mode for an init, or always", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const mode = async (...args: string[]) => {
      const c = await sb.berth(["create", ...args]);
      assertEquals(c.code, 0, c.stderr);
      return (await sb.berth([
        "inspect",
        "--format",
        "{{.Config.SystemdMode}} {{.Config.StopSignal}}",
        c.stdout.trim(),
      ])).stdout;
    };
    const root = ["--rootfs", `${rootfs}:O`];
    assertEquals(await mode(...root, "/sbin/init"), "true 37\n");
    assertEquals(await mode(...root, "/bin/sh", "-c", "/usr/lib/systemd/systemd"), "true 37\n");
    assertEquals(await mode("--systemd=false", ...root, "/sbin/init"), "false 15\n");
    assertEquals(await mode("--systemd=always", "--stop-signal", "INT", ...root, "sh"), "true 2\n");
    assertEquals(await mode(...root, "sh"), "false 15\n");
    const bad = await sb.berth(["create", "--systemd=maybe", ...root, "sh"]);
    assertEquals(bad.code, 125);

    // In the container: its own tmpfs, container_uuid, and (privileged) no host ttys.
    const look = [
      "sh",
      "-c",
      "ls /dev/tty*; for d in /run /run/lock /tmp /var/log/journal; do " +
      'grep -q " $d tmpfs " /proc/mounts && echo tmpfs $d; done; echo ${#container_uuid}',
    ];
    const sd = await sb.berth([
      "run",
      "--rm",
      "--privileged",
      "--systemd=always",
      ...root,
      ...look,
    ]);
    assertEquals(
      sd.stdout,
      "/dev/tty\ntmpfs /run\ntmpfs /run/lock\ntmpfs /tmp\ntmpfs /var/log/journal\n32\n",
    );
    const priv = await sb.berth(["run", "--rm", "--privileged", ...root, ...look]);
    assertMatch(priv.stdout, /^\/dev\/tty\n\/dev\/tty\d+\n/);
    assertMatch(priv.stdout, /\n0\n$/);
  } finally {
    await sb.cleanup();
  }
});

/** Run a host tool; fail the test when it fails (a missing tool too). */
async function tool(cmd: string, args: string[], cwd?: string): Promise<string> {
  const r = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  assertEquals(r.code, 0, `${cmd} ${args.join(" ")}: ${text(r.stderr)}`);
  return text(r.stdout);
}

Deno.test(
  "image mount: a read-only view of one layer or several; rmi refuses it",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const tar = `${sb.dir}/bb.tar`;
      await tool("tar", ["-C", rootfs, "-cf", tar, "."]);
      assertEquals((await sb.berth(["import", tar, "bb"])).code, 0);
      const m = await sb.berth(["image", "mount", "bb"]);
      assertEquals(m.code, 0, m.stderr);
      const path = m.stdout.trim();
      assert(Deno.statSync(`${path}/bin/busybox`).isFile);
      let writable = true;
      try {
        Deno.writeTextFileSync(`${path}/x`, "x");
      } catch {
        writable = false;
      }
      assert(!writable, "the image's view is writable");
      // Mounting again gives the same view; no arguments lists it.
      assertEquals((await sb.berth(["image", "mount", "bb"])).stdout, m.stdout);
      assertMatch(
        (await sb.berth(["image", "mount"])).stdout,
        new RegExp(`^\\S*bb\\S*\\s+${path}\\n$`),
      );
      const run = await sb.berth(["run", "--rm", "--rootfs", `${path}:O`, "echo", "Hello world"]);
      assertEquals([run.code, run.stdout], [0, "Hello world\n"]);
      const rmi = await sb.berth(["rmi", "bb"]);
      assertEquals(rmi.code, 2);
      assertMatch(rmi.stderr, /is mounted/);
      const id = (await sb.berth(["image", "inspect", "--format", "{{.Id}}", "bb"])).stdout;
      assertEquals((await sb.berth(["image", "unmount", "bb"])).stdout, id);
      assertEquals((await sb.berth(["image", "mount"])).stdout, "");
      assertEquals((await sb.berth(["rmi", "bb"])).code, 0);

      // Two layers (umoci): an overlay of lower directories only.
      const lay = `${sb.dir}/lay`;
      await tool("umoci", ["init", "--layout", lay]);
      await tool("umoci", ["new", "--image", `${lay}:t`]);
      for (const [n, file] of [["1", "one"], ["2", "two"]]) {
        const b = `${sb.dir}/b${n}`;
        await tool("umoci", ["unpack", "--rootless", "--image", `${lay}:t`, b]);
        Deno.mkdirSync(`${b}/rootfs/a`, { recursive: true });
        Deno.writeTextFileSync(`${b}/rootfs/a/${file}`, `${file}\n`);
        await tool("umoci", ["repack", "--image", `${lay}:t`, b]);
      }
      const loaded = await sb.berth(["load", "-i", lay]);
      assertEquals(loaded.code, 0, loaded.stderr);
      const two = /sha256:([0-9a-f]{64})/.exec(loaded.stdout)![1];
      const view = (await sb.berth(["image", "mount", two])).stdout.trim();
      assertEquals([...Deno.readDirSync(`${view}/a`)].map((e) => e.name).sort(), ["one", "two"]);
      assertMatch(await tool("findmnt", ["-n", "-o", "FSTYPE,OPTIONS", view]), /^overlay\s+ro,/);
      // Forced removal unmounts first.
      assertEquals((await sb.berth(["rmi", "-f", two])).code, 0);
      assertEquals((await sb.berth(["image", "mount"])).stdout, "");
    } finally {
      await sb.berth(["image", "unmount", "-a"]); // a failed assertion must not leak a mount
      await sb.cleanup();
    }
  },
);
