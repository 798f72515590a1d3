/**
 * Isolation a container must not be able to undo: its cgroups, device nodes shipped in its
 * root filesystem, the seccomp filter, masked paths. Each check runs with runc and crun, and
 * with both network modes (the host network binds the host's `/sys`; `none` mounts a fresh one).
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { buildBusyboxRootfs, busyboxRootfs, sandbox } from "../helpers.ts";
import { join } from "node:path";

const opts = { sanitizeOps: false, sanitizeResources: false };
const RUNTIMES = ["runc", "crun"];
const NETWORKS = ["host", "none"];

/** A busybox rootfs with a char (hwrng, 10:183) and a block (loop0, 7:0) device node in it. */
async function rootfsWithDeviceNodes(dir: string): Promise<string> {
  const rootfs = await buildBusyboxRootfs(join(dir, "nodes-rootfs"));
  Deno.mkdirSync(join(rootfs, "nodes"));
  const nodes: [string, string[]][] = [["hwrng", ["c", "10", "183"]], ["loop0", ["b", "7", "0"]]];
  for (const [name, args] of nodes) {
    const out = await new Deno.Command("mknod", { args: [join(rootfs, "nodes", name), ...args] })
      .output();
    assertEquals(out.code, 0, `mknod ${name}`);
  }
  return rootfs;
}

for (const runtime of RUNTIMES) {
  for (const network of NETWORKS) {
    Deno.test(
      `${runtime}, --network ${network}: the container cannot leave its cgroup or open device nodes`,
      opts,
      async () => {
        const sb = sandbox();
        try {
          const rootfs = await rootfsWithDeviceNodes(sb.dir);
          // As an image layer: the nodes come from a read-only lower directory.
          const r = await sb.berth([
            "--runtime",
            runtime,
            "run",
            "--rm",
            "--network",
            network,
            "--pids-limit",
            "50",
            "--rootfs",
            `${rootfs}:O`,
            "sh",
            "-c",
            [
              // v1 controllers, a v2 root, this host's hybrid `unified`: wherever one exists.
              "for f in devices/cgroup.procs pids/cgroup.procs memory/cgroup.procs cgroup.procs unified/cgroup.procs; do",
              "  [ -e /sys/fs/cgroup/$f ] && { echo $$ > /sys/fs/cgroup/$f && echo moved-$f; }",
              "done",
              "head -c1 /nodes/loop0 >/dev/null && echo opened-loop0",
              "head -c1 /nodes/hwrng >/dev/null && echo opened-hwrng",
              "echo done",
            ].join("\n"),
          ]);
          assertEquals(r.stdout, "done\n", r.stderr);
          assert(/loop0: Operation not permitted/.test(r.stderr), r.stderr);
          assert(/hwrng: Operation not permitted/.test(r.stderr), r.stderr);
        } finally {
          await sb.cleanup();
        }
      },
    );

    Deno.test(
      `${runtime}, --network ${network}: /sys and every cgroup mount are read-only, the view is the container's own`,
      opts,
      async () => {
        const sb = sandbox();
        const rootfs = await busyboxRootfs();
        try {
          const r = await sb.berth([
            "--runtime",
            runtime,
            "run",
            "--rm",
            "--network",
            network,
            "--rootfs",
            rootfs,
            "sh",
            "-c",
            "cat /proc/self/mountinfo; echo ---; cat /proc/self/cgroup",
          ]);
          assertEquals(r.code, 0, r.stderr);
          const [mountinfo, cgroup] = r.stdout.split("---\n");
          // mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ... - FSTYPE SOURCE SUPEROPTS
          const sysMounts = mountinfo.split("\n").filter(Boolean).map((l) => {
            const [pre, post] = l.split(" - ");
            const f = pre.split(" ");
            return { point: f[4], opts: f[5].split(","), fstype: post.split(" ")[0] };
          }).filter((m) => m.point === "/sys" || m.point.startsWith("/sys/"));
          const cgroups = sysMounts.filter((m) => m.fstype === "cgroup" || m.fstype === "cgroup2");
          assert(cgroups.length > 0, "no cgroup mount in the container");
          for (const m of sysMounts) {
            // The runtime's own tmpfs that holds the cgroup mount points carries nothing of the host.
            if (m.point === "/sys/fs/cgroup" && m.fstype === "tmpfs") continue;
            assert(m.opts.includes("ro"), `${m.point} (${m.fstype}) is writable: ${m.opts}`);
          }
          // A cgroup namespace: the container sees its own cgroup as the root.
          for (const line of cgroup.split("\n").filter(Boolean)) {
            assert(line.endsWith(":/"), `cgroup outside the namespace: ${line}`);
          }
        } finally {
          await sb.cleanup();
        }
      },
    );
  }
}
