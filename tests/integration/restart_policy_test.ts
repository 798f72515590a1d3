/**
 * Restart policies (`--restart`), carried out by the cleanup: counted, exact exit codes,
 * never undoing a `stop`, refused with `--rm`; and `start --all/--filter`, `ps --filter`
 * with podman's rules.
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, eventually, sandbox } from "../helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "on-failure:N restarts a failing container N times, keeping each exit code",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const run = await sb.berth([
        "run",
        "-d",
        "--restart=on-failure:2",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "echo ran; exit 3",
      ]);
      assertEquals(run.code, 0, run.stderr);
      const id = run.stdout.trim();
      const fmt = "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}";
      await eventually(
        async () => (await sb.berth(["inspect", "--format", fmt, id])).stdout === "exited 3 2\n",
        20_000,
      );
      assertEquals((await sb.berth(["logs", id])).stdout, "ran\nran\nran\n");
      assertEquals((await sb.berth(["wait", id])).stdout, "3\n");
      assertEquals(
        (await sb.berth([
          "inspect",
          "--format",
          "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}",
          id,
        ])).stdout,
        "on-failure 2\n",
      );
      // In the foreground, run shows the run that exited and returns its code; the restart
      // comes after.
      const fg = await sb.berth([
        "run",
        "--name",
        "fg",
        "--restart=on-failure:1",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "echo hi; exit 2",
      ]);
      assertEquals([fg.code, fg.stdout], [2, "hi\n"]);
      await eventually(
        async () => (await sb.berth(["inspect", "--format", fmt, "fg"])).stdout === "exited 2 1\n",
        20_000,
      );
      assertEquals((await sb.berth(["logs", "fg"])).stdout, "hi\nhi\n");
      // A clean exit is not a failure; a user's start counts from zero again.
      const ok = (await sb.berth(["run", "-d", "--restart=on-failure", "--rootfs", rootfs, "true"]))
        .stdout.trim();
      assertEquals((await sb.berth(["wait", ok])).stdout, "0\n");
      await new Promise((r) => setTimeout(r, 1000));
      assertEquals((await sb.berth(["inspect", "--format", fmt, ok])).stdout, "exited 0 0\n");
      assertEquals((await sb.berth(["start", id])).code, 0);
      await eventually(
        async () => (await sb.berth(["inspect", "--format", fmt, id])).stdout === "exited 3 2\n",
        20_000,
      );
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "always restarts until stop, which no restart undoes; wait returns each exit",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const id = (await sb.berth([
        "run",
        "-d",
        "--restart=always",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "sleep 0.3; exit 5",
      ])).stdout.trim();
      // wait ends with the code of the run that exited, though the policy starts another.
      const waited = await sb.berth(["wait", id], { timeoutMs: 15_000 });
      assertEquals([waited.code, waited.stdout], [0, "5\n"]);
      const count = async () =>
        Number((await sb.berth(["inspect", "--format", "{{.RestartCount}}", id])).stdout);
      await eventually(async () => await count() >= 2, 20_000);
      // stop at whatever moment of the loop: afterwards it stays exited.
      for (const delay of [0, 150, 300]) {
        await new Promise((r) => setTimeout(r, delay));
        const stop = await sb.berth(["stop", "-t", "1", id]);
        assertEquals(stop.code, 0, stop.stderr);
        const after = await count();
        await new Promise((r) => setTimeout(r, 1500));
        assertEquals(
          (await sb.berth(["inspect", "--format", "{{.State.Status}} {{.RestartCount}}", id]))
            .stdout,
          `exited ${after}\n`,
        );
        assertEquals((await sb.berth(["start", id])).code, 0);
      }
      const rm = await sb.berth(["rm", "-f", "-t", "0", id]);
      assertEquals(rm.code, 0, rm.stderr);
      assertEquals((await sb.berth(["container", "exists", id])).code, 1);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "--restart values as podman checks them; --rm refuses a restarting policy",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const cases: [string[], string][] = [
        [
          ["--rm", "--restart=always"],
          'Error: the --rm option conflicts with --restart, when the restartPolicy is not "" and "no"\n',
        ],
        [["--restart=bogus"], 'Error: "bogus" is not a valid restart policy: invalid argument\n'],
        [
          ["--restart=always:3"],
          "Error: restart policy retries can only be specified with on-failure restart policy\n",
        ],
      ];
      for (const [flags, message] of cases) {
        const r = await sb.berth(["run", ...flags, "--rootfs", rootfs, "true"]);
        assertEquals([r.code, r.stderr], [125, message]);
      }
      assertEquals((await sb.berth(["ps", "-a", "-q"])).stdout, "");
      const r = await sb.berth(["run", "--rm", "--restart=no", "--rootfs", rootfs, "true"]);
      assertEquals(r.code, 0, r.stderr);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("start --all and --filter choose containers as podman's do", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const runD = async (...args: string[]) =>
      (await sb.berth(["run", "-d", ...args])).stdout.trim();
    const ok = await runD("--rootfs", rootfs, "true");
    const failed = await runD("--restart=no", "--rootfs", rootfs, "false");
    const up = await runD("--restart=always", "--rootfs", rootfs, "sleep", "60");
    await sb.berth(["wait", ok, failed]);
    const start = (...args: string[]) => sb.berth(["start", ...args]);
    assertEquals((await start("--all", "--filter", "exited=0")).stdout, `${ok}\n`);
    await sb.berth(["wait", ok]);
    assertEquals((await start("--filter", "restart-policy=always", ok)).stdout, "");
    assertEquals((await start("--filter", "restart-policy=none", ok)).stdout, `${ok}\n`);
    assertEquals((await start("--filter", "restart-policy=no", failed)).stdout, `${failed}\n`);
    await sb.berth(["wait", ok, failed]);
    const all = await start("--all");
    assertEquals([all.code, all.stdout], [0, `${ok}\n${failed}\n`]); // not the running one
    const bad = await start("--filter", "restart-policy=fakepolicy", ok);
    assertEquals([bad.code, bad.stderr], [125, "Error: fakepolicy invalid restart policy\n"]);
    const both = await start("--all", "12333");
    assertEquals([both.code, both.stderr], [
      125,
      "Error: either start all containers or the container(s) provided in the arguments\n",
    ]);
    assertEquals((await start()).stderr, "Error: start requires at least one argument\n");
    assert(up.length === 64);
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "ps --filter: a key's values are alternatives, status implies -a, --noheading",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      assertEquals((await sb.berth(["ps", "--noheading"])).stdout, "");
      await sb.berth(["run", "-d", "--name", "runner", "--rootfs", rootfs, "sleep", "60"]);
      await sb.berth(["run", "--name", "stopped", "--rootfs", rootfs, "true"]);
      await sb.berth(["run", "--name", "failed", "--rootfs", rootfs, "false"]);
      await sb.berth(["create", "--name", "created", "--rootfs", rootfs, "true"]);
      const names = async (...args: string[]) =>
        (await sb.berth(["ps", ...args, "--format", "{{.Names}}"])).stdout;
      assertEquals(
        await names("--filter", "status=stopped", "--sort", "names"),
        "failed\nstopped\n",
      );
      assertEquals(await names("--filter", "status=exited", "--filter", "exited=1"), "failed\n");
      assertEquals(
        await names("-a", "--filter", "status=exited", "--filter", "status=running"),
        "runner\nstopped\nfailed\n",
      );
      assertEquals(await names("--filter", "name=stopped"), "");
      assertEquals(await names("--filter", "status=created"), "created\n");
      assertEquals(
        await names("-a", "--filter", "name=runner", "--filter", "name=created"),
        "runner\ncreated\n",
      );
      const table = (await sb.berth(["ps", "--noheading"])).stdout;
      assert(/^[0-9a-f]{12} .* runner\n$/.test(table), table);
      assertEquals(
        (await sb.berth(["ps", "--noheading", "--format", "table {{.Names}}"])).stdout,
        "runner\n",
      );
    } finally {
      await sb.cleanup();
    }
  },
);
