/** `--network container:X` (joining X's network namespace) and `rm --depend`. */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, sandbox } from "../helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("--network container:X joins X's namespace, starting X first", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const target = (await sb.berth([
      "create",
      "--name",
      "target",
      "--network",
      "none",
      "--rootfs",
      rootfs,
      "sleep",
      "60",
    ])).stdout.trim();
    const dep = await sb.berth([
      "create",
      "--name",
      "dep",
      "--network",
      "container:target",
      "--rootfs",
      rootfs,
      "sh",
      "-c",
      "readlink /proc/self/ns/net; ls /sys/class/net",
    ]);
    assertEquals(dep.code, 0, dep.stderr);
    assertEquals(
      (await sb.berth(["inspect", "--format", "{{.HostConfig.NetworkMode}}", "dep"])).stdout,
      `container:${target}\n`,
    );
    // Starting the dependent starts the container whose network it joins.
    const run = await sb.berth(["start", "-a", "dep"]);
    assertEquals(run.code, 0, run.stderr);
    const [ns, links] = run.stdout.split("\n");
    assert(/^net:\[\d+\]$/.test(ns), run.stdout);
    assertEquals(links, "lo"); // the target's loopback only: not the host's interfaces
    const inTarget = await sb.berth(["exec", "target", "readlink", "/proc/self/ns/net"]);
    assertEquals(inTarget.stdout, `${ns}\n`);
    const host = await Deno.readLink("/proc/self/ns/net");
    assert(ns !== host, "joined the host's namespace");
    const missing = await sb.berth([
      "create",
      "--network",
      "container:nosuch",
      "--rootfs",
      rootfs,
      "true",
    ]);
    assertEquals([missing.code, missing.stderr], [
      125,
      'Error: no container with name or ID "nosuch" found: no such container\n',
    ]);
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "rm refuses a container others depend on; rm --depend removes them first",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const base = (await sb.berth(["create", "--rootfs", rootfs, "true"])).stdout.trim();
      const mid =
        (await sb.berth(["create", `--net=container:${base}`, "--rootfs", rootfs, "true"]))
          .stdout.trim();
      const top = (await sb.berth(["create", `--net=container:${mid}`, "--rootfs", rootfs, "true"]))
        .stdout.trim();
      const refused = await sb.berth(["rm", "-f", base]);
      assertEquals([refused.code, refused.stdout], [125, ""]);
      assertEquals(
        refused.stderr,
        `Error: container ${base} has dependent containers which must be removed before it: ${mid}: container already exists\n`,
      );
      const rm = await sb.berth(["rm", "--depend", base]);
      assertEquals([rm.code, rm.stdout], [0, `${top}\n${mid}\n${base}\n`]);
      assertEquals((await sb.berth(["ps", "-a", "-q"])).stdout, "");
      // rm -a orders dependents first by itself.
      const a = (await sb.berth(["create", "--rootfs", rootfs, "true"])).stdout.trim();
      const b = (await sb.berth(["create", `--net=container:${a}`, "--rootfs", rootfs, "true"]))
        .stdout.trim();
      const all = await sb.berth(["rm", "-a"]);
      assertEquals([all.code, all.stdout], [0, `${b}\n${a}\n`]);
    } finally {
      await sb.cleanup();
    }
  },
);
