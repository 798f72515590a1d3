/**
 * Signals as podman parses them (`-HUP`, `-9`, `SIGUSR1`, `usr2`; podman's two messages), the
 * `pod` commands of an engine without pods, and the `info` fields podman's tests read.
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, eventually, sandbox } from "../helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "kill -s takes podman's spellings: a leading dash, SIG or not, any case",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const script = 'for i in 1 2 8 10 12 64; do trap "echo got: $i" $i; done; echo READY; ' +
        "while ! test -e /stop; do sleep 0.05; done";
      const run = await sb.berth([
        "run",
        "-d",
        "--name",
        "t",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        script,
      ]);
      assertEquals(run.code, 0, run.stderr);
      const logs = async () => (await sb.berth(["logs", "t"])).stdout;
      await eventually(async () => (await logs()).includes("READY"));
      const sent: [string, number][] = [
        ["-1", 1],
        ["-INT", 2],
        ["FPE", 8],
        ["-SIGUSR1", 10],
        ["usr2", 12],
        ["-RTMAX", 64],
      ];
      let want = "READY\n";
      for (const [signal, n] of sent) {
        const kill = await sb.berth(["kill", "-s", signal, "t"]);
        assertEquals([kill.code, kill.stdout, kill.stderr], [0, "t\n", ""], `kill -s ${signal}`);
        want += `got: ${n}\n`;
        await eventually(async () => (await logs()) === want).catch(async (e) => {
          throw new Error(`${e.message}: ${JSON.stringify(await logs())}`);
        });
      }
      await sb.berth(["exec", "t", "touch", "/stop"]);
      assertEquals((await sb.berth(["wait", "t"])).stdout, "0\n");
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("bad signals: podman's messages, before any container is looked up", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const cases: [string, string][] = [
      ["0", "invalid signal: 0"],
      ["SIG", "invalid signal: SIG"],
      ["SIGBADSIG", "invalid signal: SIGBADSIG"],
      ["%%", "invalid signal: %%"],
      ["-0", "invalid signal: 0"],
      ["-BADSIG", "invalid signal: BADSIG"],
      // Only the dash is dropped: podman's message keeps the space after the colon.
      ["-", "invalid signal: "],
      ["65", "valid signals are 1 through 64"],
      ["-65", "valid signals are 1 through 64"],
      ["99999999", "valid signals are 1 through 64"],
    ];
    for (const [signal, message] of cases) {
      const kill = await sb.berth(["kill", "-s", signal, "nosuchcontainer"]);
      assertEquals([kill.code, kill.stderr], [125, `Error: ${message}\n`], `kill -s ${signal}`);
    }
    const create = await sb.berth(["create", "--stop-signal=99", "--rootfs", rootfs, "true"]);
    assertEquals([create.code, create.stderr], [125, "Error: valid signals are 1 through 64\n"]);
    assertEquals((await sb.berth(["ps", "-a", "-q"])).stdout, "");
  } finally {
    await sb.cleanup();
  }
});

Deno.test("pod commands: berth has no pods, and says so as podman does", opts, async () => {
  const sb = sandbox();
  try {
    const bad = await sb.berth(["pod", "kill", "-s", "0", "nosuchpod"]);
    assertEquals([bad.code, bad.stderr], [125, "Error: invalid signal: 0\n"]);
    const kill = await sb.berth(["pod", "kill", "-s", "HUP", "p1"]);
    assertEquals([kill.code, kill.stderr], [
      125,
      "Error: no pod with name or ID p1 found: no such pod\n",
    ]);
    assertEquals((await sb.berth(["pod", "kill", "--all"])).code, 0);
    const none = await sb.berth(["pod", "kill"]);
    assertEquals([none.code, none.stderr], [
      125,
      "Error: you must provide at least one name or id\n",
    ]);
    const rm = await sb.berth(["pod", "rm", "p1"]);
    assertEquals([rm.code, rm.stderr], [
      1,
      "Error: no pod with name or ID p1 found: no such pod\n",
    ]);
    const tidy = await sb.berth(["pod", "rm", "-t", "0", "--all", "--force", "--ignore"]);
    assertEquals([tidy.code, tidy.stdout, tidy.stderr], [0, "", ""]);
    assertEquals((await sb.berth(["pod", "rm", "-f", "p1"])).code, 0);
    const time = await sb.berth(["pod", "rm", "-t", "3", "p1"]);
    assertEquals(time.stderr, "Error: --force option must be specified to use the --time option\n");
    assertEquals((await sb.berth(["pod", "exists", "p1"])).code, 1);
    const prune = await sb.berth(["network", "prune", "--force"]);
    assertEquals([prune.code, prune.stdout, prune.stderr], [0, "", ""]);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("info answers .Host.LogDriver and .Host.EventLogger", opts, async () => {
  const sb = sandbox();
  try {
    const r = await sb.berth(["info", "--format", "{{.Host.LogDriver}} {{.Host.EventLogger}}"]);
    assertEquals([r.code, r.stdout], [0, "k8s-file none\n"], r.stderr);
    const json = JSON.parse((await sb.berth(["info"])).stdout);
    assert(json.Host.LogDriver === "k8s-file", JSON.stringify(json.Host));
  } finally {
    await sb.cleanup();
  }
});
