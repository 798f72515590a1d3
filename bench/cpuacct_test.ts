import assert from "node:assert/strict";
import { findCpuacctMount, parseCpuStatUsec, wrapArgv } from "./cpuacct.ts";

const V1 = [
  "30 25 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755",
  "31 30 0:27 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu",
  "32 30 0:28 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct",
  "40 30 0:35 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw",
].join("\n");

Deno.test("findCpuacctMount prefers a v1 cpuacct hierarchy, else cgroup2", () => {
  assert.deepEqual(findCpuacctMount(V1), { path: "/sys/fs/cgroup/cpuacct", version: 1 });
  const v2 = "50 1 0:40 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate";
  assert.deepEqual(findCpuacctMount(v2), { path: "/sys/fs/cgroup", version: 2 });
  assert.equal(findCpuacctMount("1 0 0:1 / / rw - ext4 /dev/vda rw"), null);
});

Deno.test("findCpuacctMount finds cpuacct co-mounted with cpu", () => {
  const m = "31 30 0:27 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct";
  assert.deepEqual(findCpuacctMount(m), { path: "/sys/fs/cgroup/cpu,cpuacct", version: 1 });
});

Deno.test("parseCpuStatUsec", () => {
  assert.equal(parseCpuStatUsec("usage_usec 123456\nuser_usec 100000\n"), 123456);
  assert.equal(parseCpuStatUsec(""), 0);
});

Deno.test("wrapArgv joins the group, then execs the command unchanged", () => {
  assert.deepEqual(wrapArgv("/cg/x", ["runc", "run", "a b"]), [
    ...["/bin/sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', "/cg/x"],
    ...["runc", "run", "a b"],
  ]);
});
