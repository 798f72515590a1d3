/** `logs` of several containers: each line prefixed with its container, as podman prints. */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, sandbox } from "../helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("logs -f of two containers interleaves their lines in arrival order", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const runD = async (name: string, script: string) =>
      (await sb.berth([
        "run",
        "-d",
        "--rm",
        "--name",
        name,
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        script,
      ]))
        .stdout.trim().slice(0, 12);
    const c1 = await runD("c1", "echo a; sleep 2; echo d; sleep 1");
    const c2 = await runD("c2", "sleep 1; echo b >&2; sleep 0.5; echo c; sleep 1");
    const followed = await sb.berth(["logs", "-f", "c1", "c2"], { timeoutMs: 20_000 });
    assertEquals(followed.code, 0, followed.stderr);
    assertEquals(followed.stdout, `${c1} a\n${c2} c\n${c1} d\n`);
    assertEquals(followed.stderr, `${c2} b\n`);
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "logs of several containers, one after another; --names; -t after the prefix",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const id1 = (await sb.berth([
        "run",
        "--name",
        "one",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "echo x; printf y",
      ]))
        .stdout;
      assertEquals(id1, "x\ny");
      await sb.berth(["run", "--name", "two", "--rootfs", rootfs, "echo", "z"]);
      const ids = (await sb.berth(["ps", "-a", "--format", "{{.ID}}"])).stdout.trim().split("\n");
      assertEquals(
        (await sb.berth(["logs", "one", "two"])).stdout,
        `${ids[0]} x\n${ids[0]} y${ids[1]} z\n`,
      );
      assertEquals(
        (await sb.berth(["logs", "--names", "two", "one"])).stdout,
        "two z\none x\none y",
      );
      const stamped = (await sb.berth(["logs", "-t", "two", "one"])).stdout.split("\n")[0];
      assert(new RegExp(`^${ids[1]} \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z z$`).test(stamped), stamped);
      assertEquals((await sb.berth(["logs", "two"])).stdout, "z\n"); // one container: no prefix
    } finally {
      await sb.cleanup();
    }
  },
);
