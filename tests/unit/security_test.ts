import { assert, assertEquals } from "./assert.ts";
import { ociConfig } from "../../src/oci/config.ts";
import type { ContainerSpec } from "../../src/engine/spec.ts";

const SPEC: ContainerSpec = {
  command: ["sh"],
  rootfs: { kind: "dir", path: "/r" },
  imageName: "/r",
  env: [],
  workdir: "/",
  user: { uid: 0, gid: 0 },
  volumes: [],
  network: "host",
  hostname: "",
  timeout: 0,
  readOnly: false,
  autoRemove: false,
  stopSignal: 15,
  stopTimeout: 10,
  runtime: "runc",
};

interface Mount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

// deno-lint-ignore no-explicit-any
function config(spec: Partial<ContainerSpec>): any {
  return ociConfig({ id: "x", spec: { ...SPEC, ...spec }, rootfsPath: "/r", rlimits: [] });
}

Deno.test("cgroups: a private cgroup namespace and a read-only cgroup mount after /sys", () => {
  for (const network of ["host", "none"] as const) {
    const c = config({ network });
    const types = c.linux.namespaces.map((n: { type: string }) => n.type);
    assert(types.includes("cgroup"), `${network}: no cgroup namespace`);
    const dests = c.mounts.map((m: Mount) => m.destination);
    const cg = c.mounts.find((m: Mount) => m.destination === "/sys/fs/cgroup") as Mount;
    assertEquals(cg.type, "cgroup");
    assert(cg.options.includes("ro"), `${network}: cgroup mount ${cg.options}`);
    assert(dests.indexOf("/sys/fs/cgroup") > dests.indexOf("/sys"), "cgroup before /sys");
  }
  // --privileged may manage its own cgroups.
  const priv = config({ privileged: true }).mounts.find((m: Mount) =>
    m.destination === "/sys/fs/cgroup"
  ) as Mount;
  assert(priv.options.includes("rw") && !priv.options.includes("ro"), String(priv.options));
});

Deno.test("/sys: the host network's bind is read-only recursively (rro), fresh sysfs ro", () => {
  const sys = (spec: Partial<ContainerSpec>) =>
    config(spec).mounts.find((m: Mount) => m.destination === "/sys") as Mount;
  const host = sys({ network: "host" });
  assertEquals([host.type, host.source], ["bind", "/sys"]);
  assert(host.options.includes("rbind") && host.options.includes("rro"), String(host.options));
  assert(!host.options.includes("rw"));
  const none = sys({ network: "none" });
  assertEquals(none.type, "sysfs");
  assert(none.options.includes("ro"));
  assert(sys({ privileged: true }).options.includes("rw"));
});
