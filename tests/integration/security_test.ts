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

/** `grep Seccomp:` plus whether personality(ADDR_NO_RANDOMIZE), refused by the profile, ran. */
const PROBE = [
  "grep '^Seccomp:' /proc/self/status",
  "linux64 -R true && echo personality-allowed",
  "unshare -U -r true && echo userns-allowed",
  'echo "interrupts=$(wc -c < /proc/interrupts)"',
].join("\n");

for (const runtime of RUNTIMES) {
  Deno.test(
    `${runtime}: a default seccomp filter; unconfined and --privileged drop it`,
    opts,
    async () => {
      const sb = sandbox();
      const rootfs = await busyboxRootfs();
      const run = (flags: string[]) =>
        sb.berth([
          "--runtime",
          runtime,
          "run",
          "--rm",
          ...flags,
          "--rootfs",
          rootfs,
          "sh",
          "-c",
          PROBE,
        ]);
      try {
        const def = await run([]);
        assertEquals(def.code, 0, def.stderr);
        // The filter is on, refuses what it does not list, and still allows user namespaces
        // (nested builds). /proc/interrupts is masked.
        assertEquals(def.stdout, "Seccomp:\t2\nuserns-allowed\ninterrupts=0\n");
        assert(/personality\(0x40000\): Function not implemented/.test(def.stderr), def.stderr);
        for (const flags of [["--security-opt", "seccomp=unconfined"], ["--privileged"]]) {
          const r = await run(flags);
          assertEquals(r.code, 0, r.stderr);
          const lines = r.stdout.split("\n");
          assertEquals(
            lines.slice(0, 3),
            ["Seccomp:\t0", "personality-allowed", "userns-allowed"],
            flags.join(" "),
          );
        }
        // --privileged masks nothing.
        assert(!(await run(["--privileged"])).stdout.includes("interrupts=0\n"));
        // exec'd processes get the container's filter too.
        const cases: [string, string[], string][] = [
          ["f", [], "2"],
          ["u", ["--security-opt", "seccomp=unconfined"], "0"],
        ];
        for (const [name, flags, want] of cases) {
          const d = await sb.berth([
            "--runtime",
            runtime,
            "run",
            "-d",
            "--name",
            name,
            ...flags,
            "--rootfs",
            rootfs,
            "sleep",
            "60",
          ]);
          assertEquals(d.code, 0, d.stderr);
          const e = await sb.berth([
            "--runtime",
            runtime,
            "exec",
            name,
            "grep",
            "^Seccomp:",
            "/proc/self/status",
          ]);
          assertEquals(e.stdout, `Seccomp:\t${want}\n`, e.stderr);
        }
        const inspect = await sb.berth(["inspect", "--format", "{{.HostConfig.SecurityOpt}}", "u"]);
        assertEquals(inspect.stdout, "[seccomp=unconfined]\n", inspect.stderr);
      } finally {
        await sb.cleanup();
      }
    },
  );

  Deno.test(
    `${runtime}: --security-opt seccomp=FILE applies that profile, even with --privileged`,
    opts,
    async () => {
      const sb = sandbox();
      const rootfs = await busyboxRootfs();
      try {
        const file = join(sb.dir, "no-mkdir.json");
        Deno.writeTextFileSync(
          file,
          JSON.stringify({
            defaultAction: "SCMP_ACT_ALLOW",
            syscalls: [{ names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 1 }],
          }),
        );
        for (const extra of [[], ["--privileged"]]) {
          const r = await sb.berth([
            "--runtime",
            runtime,
            "run",
            "--rm",
            ...extra,
            "--security-opt",
            `seccomp=${file}`,
            "--rootfs",
            rootfs,
            "sh",
            "-c",
            "grep '^Seccomp:' /proc/self/status; mkdir /tmp/d && echo made",
          ]);
          assertEquals(r.stdout, "Seccomp:\t2\n", r.stderr);
          assert(/Operation not permitted/.test(r.stderr), r.stderr);
        }
        // A file that is not a profile is refused before anything is created.
        Deno.writeTextFileSync(file, "{}");
        const bad = await sb.berth([
          "run",
          "--security-opt",
          `seccomp=${file}`,
          "--rootfs",
          rootfs,
          "true",
        ]);
        assertEquals(bad.code, 125);
        assert(/^Error: invalid seccomp profile .*defaultAction/.test(bad.stderr), bad.stderr);
        assertEquals((await sb.berth(["ps", "-aq"])).stdout, "");
      } finally {
        await sb.cleanup();
      }
    },
  );
}

Deno.test("--security-opt kinds berth does not apply warn once each", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const r = await sb.berth([
      "run",
      "--rm",
      ...["--security-opt", "label=disable", "--security-opt", "label=type:spc_t"],
      ...["--security-opt", "apparmor=unconfined", "--security-opt", "mask=/proc/cpuinfo"],
      "--rootfs",
      rootfs,
      "true",
    ]);
    assertEquals(r.code, 0, r.stderr);
    const warns = r.stderr.split("\n").filter((l) => l.startsWith("WARN["));
    assertEquals(warns.length, 3, r.stderr);
    for (const kind of ["label", "apparmor", "mask"]) {
      assertEquals(warns.filter((w) => w.includes(`--security-opt ${kind}=`)).length, 1, kind);
    }
    // Without such flags, nothing.
    assertEquals((await sb.berth(["run", "--rm", "--rootfs", rootfs, "true"])).stderr, "");
  } finally {
    await sb.cleanup();
  }
});

Deno.test("run --help and create --help state the default network", opts, async () => {
  const sb = sandbox();
  try {
    for (const cmd of ["run", "create"]) {
      const r = await sb.berth([cmd, "--help"]);
      assertEquals(r.code, 0);
      assert(/--network mode +Network mode: host shares the host's network/.test(r.stdout));
      assert(/loopback\s+services and abstract unix sockets/.test(r.stdout), r.stdout);
      assert(/\(default\s+"host"\)/.test(r.stdout), r.stdout);
    }
  } finally {
    await sb.cleanup();
  }
});
