import { assertEquals, assertThrows } from "./assert.ts";
import { mergeEnv, parseEnvText, parseVolume } from "../../src/cli/container_flags.ts";
import { UsageError } from "../../src/errors.ts";
import { ociConfig } from "../../src/oci/config.ts";
import {
  containerHostname,
  groupWithGid,
  hostsFileContent,
  passwdWithUser,
} from "../../src/engine/etc_files.ts";
import type { ContainerSpec } from "../../src/spec.ts";

Deno.test("env files: comments, blanks, K=V; a bad line names file and line", () => {
  assertEquals(parseEnvText("# c\n\nA=1\nB=x=y\r\n", "f"), ["A=1", "B=x=y"]);
  const err = assertThrows(() => parseEnvText("A=1\nbad name=2\n", "/e.env"), UsageError);
  assertEquals(err.message, 'invalid env file /e.env line 2: "bad name=2"');
  assertThrows(() => parseEnvText("=v\n", "f"), UsageError);
  assertEquals(parseEnvText("  F=sp \n\t# indented comment\n", "f"), ["F=sp "]);
});

Deno.test("later env entries win", () => {
  assertEquals(mergeEnv(["PATH=/bin", "A=1", "A=2"]), ["PATH=/bin", "A=2"]);
});

Deno.test("volumes: absolute existing host path, absolute target, ro", () => {
  assertEquals(parseVolume("/tmp:/w:ro"), { source: "/tmp", destination: "/w", readOnly: true });
  assertThrows(() => parseVolume("rel:/w"), UsageError);
  assertThrows(() => parseVolume("/definitely/not/here:/w"), UsageError);
  assertThrows(() => parseVolume("/tmp:w"), UsageError);
  assertThrows(() => parseVolume("/tmp:/w:rx"), UsageError);
  assertThrows(() => parseVolume("/tmp"), UsageError);
});

Deno.test("OCI config: netns only for --network none, rlimits, cgroup path, binds", () => {
  const spec: ContainerSpec = {
    command: ["sh"],
    rootfs: { kind: "dir", path: "/r" },
    imageName: "/r",
    env: ["PATH=/bin"],
    workdir: "/",
    user: { uid: 0, gid: 0 },
    volumes: [{ source: "/h", destination: "/c", readOnly: true }],
    network: "none",
    hostname: "h",
    timeout: 0,
    readOnly: true,
    autoRemove: false,
    stopSignal: 15,
    stopTimeout: 10,
    runtime: "runc",
  };
  const rl = [{ type: "RLIMIT_NOFILE", soft: 1, hard: 2 }];
  // deno-lint-ignore no-explicit-any
  const c = ociConfig({ id: "x", spec, rootfsPath: "/r", rlimits: rl }) as any;
  assertEquals(c.root, { path: "/r", readonly: true });
  assertEquals(c.linux.cgroupsPath, "/berth/x");
  assertEquals(c.linux.namespaces.map((n: { type: string }) => n.type).includes("network"), true);
  assertEquals(c.process.rlimits, [{ type: "RLIMIT_NOFILE", hard: 2, soft: 1 }]);
  assertEquals(c.process.terminal, false);
  assertEquals(c.mounts.at(-1).options, ["rbind", "rprivate", "ro"]);
  const host = ociConfig({
    id: "x",
    spec: { ...spec, network: "host" },
    rootfsPath: "/r",
    rlimits: [],
    // deno-lint-ignore no-explicit-any
  }) as any;
  assertEquals(
    host.linux.namespaces.map((n: { type: string }) => n.type).includes("network"),
    false,
  );
  // --read-only keeps /tmp, /var/tmp and /run writable, as podman's --read-only-tmpfs does
  const tmpfs = c.mounts.filter((m: { type: string; destination: string }) =>
    m.type === "tmpfs" && ["/tmp", "/var/tmp", "/run"].includes(m.destination)
  );
  assertEquals(tmpfs.length, 3);
  // generated /etc files are bound before the volumes (a user's bind wins); HOSTNAME is set
  const etc = ociConfig({
    id: "x",
    spec: { ...spec, readOnly: false, hostname: "box" },
    rootfsPath: "/r",
    rlimits: [],
    etcFiles: { hosts: "/d/hosts", hostname: "/d/hostname" },
    // deno-lint-ignore no-explicit-any
  }) as any;
  const dests = etc.mounts.map((m: { destination: string }) => m.destination);
  assertEquals(dests.slice(-3), ["/etc/hosts", "/etc/hostname", "/c"]);
  assertEquals(dests.includes("/etc/resolv.conf"), false);
  assertEquals(dests.includes("/tmp"), false);
  assertEquals(etc.hostname, "box");
  assertEquals(etc.process.env, ["PATH=/bin", "HOSTNAME=box"]);
  const ownName = ociConfig({
    id: "x",
    spec: { ...spec, env: ["HOSTNAME=mine"], hostname: "box" },
    rootfsPath: "/r",
    rlimits: [],
    // deno-lint-ignore no-explicit-any
  }) as any;
  assertEquals(ownName.process.env, ["HOSTNAME=mine"]);
});

Deno.test("hostnames and /etc/hosts follow podman", () => {
  const spec = { hostname: "", network: "host" } as ContainerSpec;
  const id = "0123456789abcdef".repeat(4);
  assertEquals(containerHostname(spec, id, "vm"), "vm");
  assertEquals(containerHostname({ ...spec, network: "none" }, id, "vm"), "0123456789ab");
  assertEquals(containerHostname({ ...spec, hostname: "h" }, id, "vm"), "h");
  const hosts = "127.0.0.1 localhost\n127.0.0.1 vm # me";
  assertEquals(hostsFileContent(hosts, "vm", "web"), hosts + "\n");
  assertEquals(
    hostsFileContent(hosts, "0123456789ab", "web"),
    hosts + "\n127.0.0.1\t0123456789ab web\n",
  );
  assertEquals(
    hostsFileContent("", "h", "h"),
    "127.0.0.1\tlocalhost\n::1\tlocalhost\n127.0.0.1\th\n",
  );
});

Deno.test("--cap-add/--cap-drop adjust podman's default set", async () => {
  const { applyCapabilityFlags } = await import("../../src/engine/capabilities.ts");
  assertEquals(applyCapabilityFlags([], []), undefined);
  const caps = applyCapabilityFlags(["net_admin"], ["CAP_CHOWN"])!;
  assertEquals(caps.includes("CAP_NET_ADMIN"), true);
  assertEquals(caps.includes("CAP_CHOWN"), false);
  assertEquals(applyCapabilityFlags(["KILL"], ["ALL"]), ["CAP_KILL"]);
  assertThrows(() => applyCapabilityFlags(["bogus"], []), UsageError);
});

Deno.test("a --user the image does not list gets podman's passwd/group entry", () => {
  const passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh";
  assertEquals(passwdWithUser(passwd, 0, 0), undefined);
  assertEquals(passwdWithUser(passwd, 65534, 65534), undefined);
  assertEquals(
    passwdWithUser(passwd, 1000, 0),
    passwd + "\n1000:*:1000:0:container user:/:/bin/sh\n",
  );
  assertEquals(
    passwdWithUser(undefined, 1000, 0),
    "root:x:0:0:root:/root:/bin/sh\n1000:*:1000:0:container user:/:/bin/sh\n",
  );
  assertEquals(groupWithGid("root:x:0:\n", 0), undefined);
  assertEquals(groupWithGid("root:x:0:\n", 1000), "root:x:0:\n1000:x:1000:\n");
});
