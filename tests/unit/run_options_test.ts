import { assertEquals, assertThrows } from "./assert.ts";
import {
  checkTimezone,
  humanSizeDecimal,
  parseAddHost,
  parseBytes,
  parseDecimalSize,
  parseDeviceRule,
  parseLabels,
  parseLogOpts,
  parseMount,
  parseResources,
  parseSecurityOpts,
  parseTmpfs,
  parseUlimit,
  RLIM_INFINITY,
} from "../../src/cli/run_options.ts";
import { capsFromMask, cgroupResources, withUlimits } from "../../src/oci/config.ts";
import { resolvConfContent } from "../../src/engine/etc_files.ts";
import { UsageError } from "../../src/errors.ts";

Deno.test("--ulimit: NAME=SOFT[:HARD], -1 unlimited", () => {
  assertEquals(parseUlimit("nofile=1024:2048"), { type: "RLIMIT_NOFILE", soft: 1024, hard: 2048 });
  assertEquals(parseUlimit("core=0"), { type: "RLIMIT_CORE", soft: 0, hard: 0 });
  assertEquals(parseUlimit("memlock=-1:-1").hard, RLIM_INFINITY);
  for (const bad of ["nofile", "bogus=1", "nofile=2:1", "nofile=-5", "nofile=a"]) {
    assertThrows(() => parseUlimit(bad), UsageError);
  }
  // a --ulimit replaces the host default of its type only
  assertEquals(
    withUlimits([{ type: "RLIMIT_NOFILE", soft: 1, hard: 2 }, {
      type: "RLIMIT_NPROC",
      soft: 3,
      hard: 4,
    }], [
      { type: "RLIMIT_NOFILE", soft: 5, hard: 6 },
    ]),
    [{ type: "RLIMIT_NOFILE", soft: 5, hard: 6 }, { type: "RLIMIT_NPROC", soft: 3, hard: 4 }],
  );
});

Deno.test("resources: sizes, cpus, shares, pids into OCI linux.resources", () => {
  assertEquals(parseBytes("512m", "-m"), 512 * 2 ** 20);
  assertEquals(parseBytes("1G", "-m"), 2 ** 30);
  assertEquals(parseBytes("100kb", "-m"), 102400);
  assertEquals(parseBytes("4096", "-m"), 4096);
  assertThrows(() => parseBytes("1x", "-m"), UsageError);
  const r = parseResources({
    memory: "64m",
    memorySwap: "-1",
    cpus: "1.5",
    cpuShares: "512",
    pidsLimit: "100",
  })!;
  assertEquals(cgroupResources(r), {
    memory: { limit: 64 * 2 ** 20, swap: -1 },
    cpu: { shares: 512, quota: 150000, period: 100000 },
    pids: { limit: 100 },
  });
  assertEquals(parseResources({}), undefined);
  assertEquals(parseResources({ pidsLimit: "-1" }), undefined);
  assertThrows(() => parseResources({ memory: "1k" }), UsageError);
  assertThrows(() => parseResources({ memorySwap: "1g" }), UsageError);
  assertThrows(() => parseResources({ memory: "1g", memorySwap: "512m" }), UsageError);
  assertThrows(() => parseResources({ cpus: "0" }), UsageError);
  assertThrows(() => parseResources({ cpus: "two" }), UsageError);
});

Deno.test("--tmpfs and --mount follow podman's defaults and forms", () => {
  assertEquals(parseTmpfs("/run"), {
    destination: "/run",
    options: ["rw", "noexec", "nosuid", "nodev"],
  });
  assertEquals(parseTmpfs("/x:exec,size=8m").options, ["rw", "exec", "nosuid", "nodev", "size=8m"]);
  assertThrows(() => parseTmpfs("rel"), UsageError);
  assertEquals(parseMount("type=bind,source=/a,target=/b,readonly"), {
    bind: { source: "/a", destination: "/b", readOnly: true },
  });
  assertEquals(parseMount("type=bind,src=/a,dst=/b"), {
    bind: { source: "/a", destination: "/b", readOnly: false },
  });
  assertEquals(parseMount("type=tmpfs,target=/t,tmpfs-size=1m"), {
    tmpfs: { destination: "/t", options: ["rw", "noexec", "nosuid", "nodev", "size=1m"] },
  });
  for (const bad of ["type=volume,target=/x", "type=bind,target=/x", "type=bind,source=/a"]) {
    assertThrows(() => parseMount(bad), UsageError);
  }
});

Deno.test("labels, hosts, DNS, security options, capability masks", () => {
  assertEquals(parseLabels(["a=1", "b", "a=2", "c=x=y"]), { a: "2", b: "", c: "x=y" });
  assertThrows(() => parseLabels(["=v"]), UsageError);
  assertEquals(parseAddHost("db:10.0.0.2"), "10.0.0.2\tdb");
  assertEquals(parseAddHost("db=::1"), "::1\tdb");
  assertThrows(() => parseAddHost("nohost"), UsageError);
  assertEquals(
    resolvConfContent({ servers: ["1.1.1.1"], search: ["a.b"], options: ["ndots:2"] }, ""),
    "search a.b\nnameserver 1.1.1.1\noptions ndots:2\n",
  );
  assertEquals(
    resolvConfContent({ servers: [], search: ["a.b"], options: [] }, "nameserver 10.0.0.53\n"),
    "search a.b\nnameserver 10.0.0.53\n",
  );
  assertEquals(parseSecurityOpts(["label=disable", "seccomp=unconfined"]).noNewPrivileges, false);
  assertEquals(parseSecurityOpts(["no-new-privileges"]).noNewPrivileges, true);
  assertEquals(parseSecurityOpts(["no-new-privileges:true"]).noNewPrivileges, true);
  assertThrows(() => parseSecurityOpts(["bogus"]), UsageError);
  assertEquals(capsFromMask("1"), ["CAP_CHOWN"]);
  assertEquals(capsFromMask("000001fffeffffff").includes("CAP_SYS_RESOURCE"), false);
  assertEquals(capsFromMask("000001fffeffffff").length, 40);
});

Deno.test("--memory=0 means no limit, as podman", () => {
  assertEquals(parseResources({ memory: "0" }), undefined);
});

Deno.test("--device-cgroup-rule: type, major:minor (* = any), access", () => {
  assertEquals(parseDeviceRule("b 7:* rmw"), {
    type: "b",
    major: 7,
    minor: undefined,
    access: "rmw",
  });
  assertEquals(parseDeviceRule("a 7 rw"), { type: "a", major: 7, minor: undefined, access: "rw" });
  assertEquals(parseDeviceRule("c 1:3 r"), { type: "c", major: 1, minor: 3, access: "r" });
  for (const bad of ["b 7:2", "x 7:* rmw", "b 7:* rmX", "a a:* rmw"]) {
    assertThrows(() => parseDeviceRule(bad), UsageError);
  }
});

Deno.test("--log-opt max-size in go-units' decimal sizes; inspect's four digits", () => {
  assertEquals(parseLogOpts(["max-size=1.085m"]), { maxSize: 1_085_000 });
  assertEquals(parseDecimalSize("10k", "x"), 10_000);
  assertEquals(parseDecimalSize("2GB", "x"), 2e9);
  assertThrows(() => parseLogOpts(["max-size"]), UsageError);
  assertThrows(() => parseLogOpts(["tag=x"]), UsageError);
  assertEquals(humanSizeDecimal(1_085_000), "1.085MB");
  assertEquals(humanSizeDecimal(1_080_000), "1.08MB");
  assertEquals(humanSizeDecimal(501_000), "501kB");
  assertEquals(humanSizeDecimal(0), "0B");
});

Deno.test("--tz: local or a zone under zoneinfo, never a path out of it", () => {
  assertEquals(checkTimezone("local"), "local");
  assertEquals(checkTimezone("MST7MDT"), "MST7MDT");
  for (const bad of ["Nowhere/Else", "../../etc/passwd", "/etc/localtime", ""]) {
    assertThrows(() => checkTimezone(bad), UsageError);
  }
});
