import { assertEquals } from "./assert.ts";
import { usesSystemd } from "../../src/engine/spec_builder.ts";
import { hostSystemdCgroup, withContainerUuid } from "../../src/oci/systemd.ts";
import { ociConfig } from "../../src/oci/config.ts";
import { withoutTtys } from "../../src/oci/devices.ts";
import type { ContainerSpec } from "../../src/spec.ts";

Deno.test("systemd mode: always, or true for an init or a program named systemd", () => {
  assertEquals(usesSystemd("always", ["sh"]), true);
  assertEquals(usesSystemd("true", ["/sbin/init"]), true);
  assertEquals(usesSystemd(undefined, ["/usr/local/sbin/init", "--x"]), true);
  assertEquals(usesSystemd("true", ["/lib/systemd/systemd"]), true);
  assertEquals(usesSystemd("true", ["/bin/sh", "-c", "/usr/sbin/init"]), true);
  assertEquals(usesSystemd("true", ["init"]), false);
  assertEquals(usesSystemd("false", ["/sbin/init"]), false);
  assertEquals(usesSystemd("true", []), false);
});

Deno.test("systemd cgroup: unified, the v1 hierarchy with its mount flags, or none", () => {
  const line = "40 31 0:37 / /sys/fs/cgroup/systemd rw,nosuid,nodev,relatime - cgroup cgroup rw";
  assertEquals(hostSystemdCgroup(line, false), {
    kind: "v1",
    options: ["bind", "rprivate", "nodev", "nosuid"],
  });
  assertEquals(hostSystemdCgroup(line, true), { kind: "unified" });
  assertEquals(hostSystemdCgroup("", false), { kind: "none" });
});

Deno.test("container_uuid is the ID's first 32 digits unless given; no host ttys", () => {
  assertEquals(withContainerUuid(["A=1"], "ab".repeat(32)), [
    "A=1",
    `container_uuid=${"ab".repeat(16)}`,
  ]);
  assertEquals(withContainerUuid(["container_uuid=x"], "ab".repeat(32)), ["container_uuid=x"]);
  const dev = (path: string) => ({
    path,
    type: "c" as const,
    major: 4,
    minor: 1,
    fileMode: 0o620,
    uid: 0,
    gid: 5,
  });
  assertEquals(
    withoutTtys([dev("/dev/tty"), dev("/dev/tty1"), dev("/dev/ttyS0"), dev("/dev/kvm")]),
    [
      dev("/dev/kvm"),
    ],
  );
});

Deno.test("OCI config in systemd mode: tmpfs, rw systemd cgroup, masked release_agent", () => {
  const spec: ContainerSpec = {
    command: ["/sbin/init"],
    rootfs: { kind: "dir", path: "/r" },
    imageName: "/r",
    env: [],
    workdir: "/",
    user: { uid: 0, gid: 0 },
    volumes: [{ source: "/h", destination: "/tmp", readOnly: false }],
    network: "host",
    hostname: "h",
    timeout: 0,
    readOnly: false,
    autoRemove: false,
    stopSignal: 37,
    stopTimeout: 10,
    runtime: "runc",
    systemd: true,
  };
  type Mount = { destination: string; type: string; options: string[] };
  const c = ociConfig({
    id: "f".repeat(64),
    spec,
    rootfsPath: "/r",
    rlimits: [],
    systemdCgroup: { kind: "v1", options: ["bind", "rprivate"] },
  }) as {
    mounts: Mount[];
    linux: { maskedPaths: string[] };
    process: { env: string[] };
  };
  const at = (d: string) => c.mounts.filter((m) => m.destination === d);
  for (const d of ["/run", "/run/lock", "/var/log/journal"]) assertEquals(at(d)[0].type, "tmpfs");
  assertEquals(at("/tmp").map((m) => m.type), ["bind"]); // the user's wins
  assertEquals(at("/sys/fs/cgroup/systemd")[0].options, ["bind", "rprivate"]);
  assertEquals(c.linux.maskedPaths.includes("/sys/fs/cgroup/systemd/release_agent"), true);
  assertEquals(c.process.env.includes(`container_uuid=${"f".repeat(32)}`), true);
});
