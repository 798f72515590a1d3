/**
 * Stress (issue #15, found by the soak): runc deletes a container whose killed processes have
 * not all left its cgroup yet. It retries the cgroup's removal only briefly, then removes its
 * state anyway and succeeds: the cgroup stayed behind for good. A process of the test's own,
 * placed in one hierarchy of the container's cgroup only (runc kills what it finds in the
 * devices hierarchy), stands in for a killed process that is slow to exit.
 *
 * @module
 */
import { busyboxRootfs, sandbox } from "../helpers.ts";
import { alive, assert, assertClean, assertEquals, leftoverCgroups, SPAWNS } from "./_util.ts";

Deno.test({
  name: "stress 15c: rm -f removes the container's cgroup that runc left with a process exiting",
  ...SPAWNS,
  async fn() {
    const rootfs = await busyboxRootfs();
    const sb = sandbox("berth-stress15c-");
    let straggler: Deno.ChildProcess | undefined;
    try {
      const d = await sb.berth(["run", "-d", "--rootfs", `${rootfs}:O`, "sleep", "600"]);
      assertEquals(d.code, 0, d.stderr);
      const id = d.stdout.trim();
      const pids = `/sys/fs/cgroup/pids/berth/${id}`;
      assert(leftoverCgroups([id]).includes(pids), "the container has a pids cgroup");
      straggler = new Deno.Command("sleep", { args: ["4"] }).spawn();
      Deno.writeTextFileSync(`${pids}/cgroup.procs`, `${straggler.pid}\n`);
      const rm = await sb.berth(["rm", "-f", "-t", "0", id]);
      assertEquals([rm.code, rm.stderr], [0, ""]);
      assertEquals(leftoverCgroups([id]), [], "no cgroup left");
      assert(!alive(straggler.pid), "rm returned once the cgroup was empty");
      await assertClean(sb, [id]);
    } finally {
      await straggler?.status;
      await sb.cleanup();
    }
  },
});
