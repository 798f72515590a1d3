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
