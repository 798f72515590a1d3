/**
 * One style for warnings: what the engine reports (a stop that had to resort to SIGKILL)
 * prints as berth's own log warnings do, `WARN[…] berth[pid] …`, podman's `WARN[0000] …`.
 */
import { assertEquals, assertMatch } from "../unit/assert.ts";
import { busyboxRootfs, eventually, sandbox } from "../helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "an engine warning prints as a WARN[…] log line; --log-level error hides it",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      const stubborn = async (name: string) => {
        const r = await sb.berth([
          "run",
          "-d",
          "--name",
          name,
          "--rootfs",
          rootfs,
          "sh",
          "-c",
          "trap '' TERM; echo ready; while :; do sleep 0.1; done",
        ]);
        assertEquals(r.code, 0, r.stderr);
        await eventually(async () => (await sb.berth(["logs", name])).stdout === "ready\n");
      };
      await stubborn("loud");
      const stop = await sb.berth(["stop", "-t", "1", "loud"]);
      assertEquals([stop.code, stop.stdout], [0, "loud\n"]);
      assertMatch(
        stop.stderr,
        /^WARN\[[\d.]+ms\] berth\[\d+\] StopSignal SIGTERM failed to stop container loud in 1 seconds, resorting to SIGKILL\n$/,
      );
      await stubborn("quiet");
      const quiet = await sb.berth(["--log-level", "error", "stop", "-t", "1", "quiet"]);
      assertEquals([quiet.code, quiet.stdout, quiet.stderr], [0, "quiet\n", ""]);
    } finally {
      await sb.cleanup();
    }
  },
);
