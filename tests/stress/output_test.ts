/**
 * Stress, output (issue #15, found by the soak): 1 MiB of short lines reaches the foreground
 * `run` and `logs` byte for byte and promptly. Each k8s-file record used to be written on its own
 * (one write per 4-byte line of `yes`), so 1 MiB took 15–25 s to arrive after the container had
 * exited: far past "returns within 2 s of the exit".
 *
 * @module
 */
import { busyboxRootfs, sandbox } from "../helpers.ts";
import { assert, assertEquals, SPAWNS } from "./_util.ts";

/** What `yes abc | head -c 1048576` prints. */
function expected(): Uint8Array {
  const line = new TextEncoder().encode("abc\n");
  const out = new Uint8Array(1 << 20);
  for (let i = 0; i < out.length; i++) out[i] = line[i % 4];
  return out;
}

/** Generous on 2 shared cores (the container and berth's start-up included); was 15–25 s. */
const BOUND_MS = 8000;

Deno.test({
  name: "stress output: 1 MiB of 4-byte lines, run and logs byte for byte within 8 s",
  ...SPAWNS,
  async fn() {
    const rootfs = await busyboxRootfs();
    const sb = sandbox("berth-stress-out-");
    try {
      const want = expected();
      const t0 = Date.now();
      const r = await sb.berth([
        "run",
        "--name",
        "yes",
        "--rootfs",
        `${rootfs}:O`,
        "sh",
        "-c",
        "yes abc | head -c 1048576; exit 7",
      ], { timeoutMs: 120_000 });
      const runMs = Date.now() - t0;
      assertEquals([r.code, r.stderr], [7, ""]);
      assert(r.stdoutBytes.length === want.length, `run: ${r.stdoutBytes.length} bytes`);
      assert(r.stdoutBytes.every((b, i) => b === want[i]), "run: byte for byte");
      assert(runMs < BOUND_MS, `run took ${runMs} ms`);

      const t1 = Date.now();
      const logs = await sb.berth(["logs", "yes"], { timeoutMs: 120_000 });
      const logsMs = Date.now() - t1;
      assertEquals([logs.code, logs.stderr], [0, ""]);
      assert(logs.stdoutBytes.length === want.length, `logs: ${logs.stdoutBytes.length} bytes`);
      assert(logs.stdoutBytes.every((b, i) => b === want[i]), "logs: byte for byte");
      assert(logsMs < BOUND_MS, `logs took ${logsMs} ms`);
    } finally {
      await sb.cleanup();
    }
  },
});
