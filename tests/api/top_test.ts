/**
 * `docker top` against `berth system service`: the Docker body (PID, PPID, CMD; host PIDs)
 * from the same /proc reading as `berth top`, and the refusal of a container not running.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "../unit/assert.ts";
import { importBusybox, startService } from "./service.ts";

Deno.test("docker top: the container's processes with host PIDs; a stopped one is refused", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const id = (await svc.docker(["run", "-d", "bb", "sh", "-c", "sleep 1000 & sleep 1000"]))
      .stdout.trim();
    await new Promise((r) => setTimeout(r, 500));
    const t = await svc.docker(["top", id]);
    assertEquals(t.code, 0, t.stderr);
    const rows = t.stdout.trimEnd().split("\n").map((l) => l.trim().split(/\s+/));
    assertEquals(rows[0], ["PID", "PPID", "CMD"]);
    assertEquals(rows.length, 3, t.stdout);
    const pid = (await svc.docker(["inspect", "-f", "{{.State.Pid}}", id])).stdout.trim();
    assertEquals(rows[1][0], pid);
    assertEquals(rows[2][1], pid, "the second sleep is the first one's child");
    assertEquals(rows[1].slice(2), ["sleep", "1000"]);

    const stopped = (await svc.docker(["create", "bb", "true"])).stdout.trim();
    const s = await svc.docker(["top", stopped]);
    assert(s.code !== 0);
    assertMatch(s.stderr, /is not running/);
  } finally {
    await svc.stop();
  }
});
