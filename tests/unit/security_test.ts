import { assert, assertEquals, assertThrows } from "./assert.ts";
import { DEFAULT_CAPS, ociConfig, seccompProfileFor } from "../../src/oci/config.ts";
import {
  compileSeccomp,
  kernelAtLeast,
  type OciSeccomp,
  parseSeccompProfile,
  type SeccompProfile,
} from "../../src/oci/seccomp.ts";
import { DEFAULT_SECCOMP_PROFILE } from "../../src/oci/seccomp_default.ts";
import { parseSecurityOpts } from "../../src/cli/run_options.ts";
import { CREATE_FLAGS } from "../../src/cli/container_flags.ts";
import { UsageError } from "../../src/errors.ts";
import type { ContainerSpec } from "../../src/spec.ts";
import { SPEC } from "./fixtures.ts";

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

const PROFILE: SeccompProfile = {
  defaultAction: "SCMP_ACT_ERRNO",
  defaultErrnoRet: 38,
  archMap: [
    { architecture: "SCMP_ARCH_X86_64", subArchitectures: ["SCMP_ARCH_X86", "SCMP_ARCH_X32"] },
    { architecture: "SCMP_ARCH_AARCH64", subArchitectures: ["SCMP_ARCH_ARM"] },
  ],
  syscalls: [
    { names: ["read", "write"], action: "SCMP_ACT_ALLOW", args: [] },
    { name: "old_form", action: "SCMP_ACT_ALLOW" },
    { names: ["arch_prctl"], action: "SCMP_ACT_ALLOW", includes: { arches: ["amd64"] } },
    { names: ["not_on_arm"], action: "SCMP_ACT_ALLOW", excludes: { arches: ["arm64"] } },
    { names: ["bpf"], action: "SCMP_ACT_ALLOW", includes: { caps: ["CAP_SYS_ADMIN"] } },
    {
      names: ["bpf"],
      action: "SCMP_ACT_ERRNO",
      errnoRet: 1,
      excludes: { caps: ["CAP_SYS_ADMIN"] },
    },
    { names: ["two_caps"], action: "SCMP_ACT_ALLOW", includes: { caps: ["CAP_A", "CAP_B"] } },
    { names: ["new_call"], action: "SCMP_ACT_ALLOW", includes: { minKernel: "5.8" } },
    {
      names: ["personality"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 0, value: 8, valueTwo: 0, op: "SCMP_CMP_EQ" }],
    },
  ],
};

const names = (c: OciSeccomp) => c.syscalls.flatMap((r) => r.names);

Deno.test("seccomp: the host's archMap entry, rules filtered by arch, caps and kernel", () => {
  const x86 = compileSeccomp(PROFILE, { arch: "x86_64", caps: DEFAULT_CAPS, kernel: "6.1.0-13" });
  assertEquals(x86.defaultAction, "SCMP_ACT_ERRNO");
  assertEquals(x86.defaultErrnoRet, 38);
  assertEquals(x86.architectures, ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]);
  assertEquals(names(x86), [
    "read",
    "write",
    "old_form",
    "arch_prctl",
    "not_on_arm",
    "bpf",
    "new_call",
    "personality",
  ]);
  // Without CAP_SYS_ADMIN bpf is refused with EPERM; with it, allowed.
  assertEquals(x86.syscalls.find((r) => r.names[0] === "bpf"), {
    names: ["bpf"],
    action: "SCMP_ACT_ERRNO",
    errnoRet: 1,
  });
  const admin = compileSeccomp(PROFILE, {
    arch: "x86_64",
    caps: [...DEFAULT_CAPS, "CAP_SYS_ADMIN", "CAP_A", "CAP_B"],
    kernel: "6.1",
  });
  assertEquals(admin.syscalls.find((r) => r.names[0] === "bpf")?.action, "SCMP_ACT_ALLOW");
  assert(names(admin).includes("two_caps"));
  assert(!names(compileSeccomp(PROFILE, { arch: "x86_64", caps: ["CAP_A"] })).includes("two_caps"));
  // Empty args are left out; comparisons kept.
  assertEquals(x86.syscalls[0], { names: ["read", "write"], action: "SCMP_ACT_ALLOW" });
  assertEquals(x86.syscalls.at(-1)?.args, [{ index: 0, value: 8, valueTwo: 0, op: "SCMP_CMP_EQ" }]);
  const arm = compileSeccomp(PROFILE, { arch: "aarch64", caps: [], kernel: "5.4.0" });
  assertEquals(arm.architectures, ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"]);
  assertEquals(names(arm).includes("arch_prctl"), false);
  assertEquals(names(arm).includes("not_on_arm"), false);
  assertEquals(names(arm).includes("new_call"), false, "5.4 < 5.8");
  // Unknown kernel: rules that need a version are left out rather than guessed.
  assertEquals(
    names(compileSeccomp(PROFILE, { arch: "x86_64", caps: [] })).includes("new_call"),
    false,
  );
  // A profile in the OCI form (architectures, no archMap) keeps its list.
  const oci = compileSeccomp({
    defaultAction: "SCMP_ACT_ALLOW",
    architectures: ["SCMP_ARCH_X86_64"],
  }, {
    arch: "x86_64",
    caps: [],
  });
  assertEquals(oci, {
    defaultAction: "SCMP_ACT_ALLOW",
    architectures: ["SCMP_ARCH_X86_64"],
    syscalls: [],
  });
});

Deno.test("kernel versions compare by major.minor", () => {
  assert(kernelAtLeast("6.18.44-fc-v1300", "5.8"));
  assert(kernelAtLeast("5.8.0", "5.8"));
  assert(!kernelAtLeast("5.7.19", "5.8"));
  assert(kernelAtLeast("5.10", "4.14"));
  assert(!kernelAtLeast("4.9", "4.14"));
});

Deno.test("berth's default profile: deny by default, user namespaces allowed, the dangerous refused", () => {
  const c = compileSeccomp(DEFAULT_SECCOMP_PROFILE, {
    arch: "x86_64",
    caps: DEFAULT_CAPS,
    kernel: "6.1",
  });
  assertEquals([c.defaultAction, c.defaultErrnoRet], ["SCMP_ACT_ERRNO", 38]);
  const action = (n: string) =>
    c.syscalls.filter((r) => r.names.includes(n) && !r.args).map((r) => r.action);
  for (const n of ["read", "openat", "clone", "clone3", "unshare", "execve", "rseq", "keyctl"]) {
    assertEquals(action(n), ["SCMP_ACT_ALLOW"], n);
  }
  for (const n of ["kexec_load", "userfaultfd", "vmsplice", "bpf", "init_module", "iopl", "acct"]) {
    assertEquals(action(n), ["SCMP_ACT_ERRNO"], n);
  }
  // Never mentioned: the default (ENOSYS) applies.
  for (const n of ["io_uring_setup", "add_key", "request_key"]) assertEquals(action(n), [], n);
  // personality: only the listed domains, not ADDR_NO_RANDOMIZE (0x40000).
  const persona = c.syscalls.filter((r) => r.names.includes("personality"));
  assert(persona.length > 0 && persona.every((r) => r.args?.length === 1));
  assert(!persona.some((r) => r.args![0].value === 0x40000));
  // No name twice with different unconditional verdicts.
  const seen = new Map<string, string>();
  for (const r of c.syscalls.filter((r) => !r.args)) {
    for (const n of r.names) {
      assert(!seen.has(n) || seen.get(n) === r.action, `${n}: conflicting rules`);
      seen.set(n, r.action);
    }
  }
  // With CAP_SYS_ADMIN its calls open up, as in podman's profile.
  const admin = compileSeccomp(DEFAULT_SECCOMP_PROFILE, {
    arch: "x86_64",
    caps: [...DEFAULT_CAPS, "CAP_SYS_ADMIN"],
    kernel: "6.1",
  });
  assertEquals(
    admin.syscalls.filter((r) => r.names.includes("bpf")).map((r) => r.action),
    ["SCMP_ACT_ALLOW"],
  );
});

Deno.test("which profile: default, FILE, unconfined; --privileged drops it unless FILE", () => {
  assertEquals(seccompProfileFor(SPEC), DEFAULT_SECCOMP_PROFILE);
  assertEquals(seccompProfileFor({ ...SPEC, seccomp: "unconfined" }), undefined);
  assertEquals(seccompProfileFor({ ...SPEC, privileged: true }), undefined);
  const mine = { file: "/p.json", profile: PROFILE };
  assertEquals(seccompProfileFor({ ...SPEC, seccomp: mine }), PROFILE);
  assertEquals(seccompProfileFor({ ...SPEC, privileged: true, seccomp: mine }), PROFILE);
  assertEquals(config({}).linux.seccomp.defaultAction, "SCMP_ACT_ERRNO");
  assertEquals(config({ privileged: true }).linux.seccomp, undefined);
  assertEquals(config({ seccomp: "unconfined" }).linux.seccomp, undefined);
  // The profile's caps rules follow the container's capabilities.
  const withAdmin = config({ capabilities: [...DEFAULT_CAPS, "CAP_SYS_ADMIN"] }).linux
    .seccomp as OciSeccomp;
  assertEquals(
    withAdmin.syscalls.filter((r) => r.names.includes("bpf")).map((r) => r.action),
    ["SCMP_ACT_ALLOW"],
  );
});

Deno.test("masked paths include podman's powercap and /proc/interrupts", () => {
  const masked = config({}).linux.maskedPaths as string[];
  assert(masked.includes("/proc/interrupts"));
  assert(masked.includes("/sys/devices/virtual/powercap"));
  assertEquals(config({ privileged: true }).linux.maskedPaths, []);
});

Deno.test("--security-opt: seccomp=, the kinds not applied listed once", () => {
  assertEquals(parseSecurityOpts(["seccomp=unconfined"]).seccomp, "unconfined");
  assertEquals(parseSecurityOpts(["seccomp=/p.json"]).seccomp, { file: "/p.json" });
  assertEquals(parseSecurityOpts(["seccomp:/p.json"]).seccomp, { file: "/p.json" });
  assertEquals(parseSecurityOpts([]).seccomp, undefined);
  assertThrows(() => parseSecurityOpts(["seccomp="]), UsageError);
  assertEquals(
    parseSecurityOpts(["label=disable", "label=type:x", "apparmor=unconfined", "mask=/a:/b"])
      .notApplied,
    ["label", "apparmor", "mask"],
  );
  assertThrows(() => parseSecurityOpts(["selinux=1"]), UsageError);
});

Deno.test("seccomp profile files: JSON with an SCMP_ACT_ default and named rules", () => {
  assertEquals(
    parseSeccompProfile('{"defaultAction":"SCMP_ACT_ALLOW"}', "f").defaultAction,
    "SCMP_ACT_ALLOW",
  );
  for (
    const bad of [
      "nope",
      "[]",
      '{"defaultAction":"ALLOW"}',
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":{}}',
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["x"]}]}',
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"action":"SCMP_ACT_ALLOW"}]}',
    ]
  ) {
    const err = assertThrows(() => parseSeccompProfile(bad, "/p.json"), UsageError);
    assert(err.message.startsWith("invalid seccomp profile /p.json: "), err.message);
  }
});

Deno.test("--help states the default network", () => {
  assertEquals(CREATE_FLAGS.network.defaultText, '"host"');
  assert(/abstract unix sockets/.test(CREATE_FLAGS.network.help ?? ""));
});
