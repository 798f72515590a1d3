/**
 * The pure pieces of the exec, image, archive and network endpoints: Docker's names and
 * modes, the pull reference and credentials, the exec body.
 *
 * @module
 */
import { assertEquals, assertThrows } from "../unit/assert.ts";
import { UsageError } from "../../src/errors.ts";
import { familiarName } from "../../src/api/image_views.ts";
import {
  insecureByDefault,
  pullMessage,
  pullReference,
  registryAuth,
} from "../../src/api/routes/images_create.ts";
import { goFileMode } from "../../src/api/routes/archive.ts";
import { execConfig } from "../../src/api/routes/exec.ts";
import { networkId } from "../../src/api/routes/networks.ts";
import { hasLabel, imageFilterArgs } from "../../src/api/routes/images.ts";
import { isVolumeName } from "../../src/engine/volumes.ts";

Deno.test("api images: familiar names, pull references, credentials, progress", () => {
  assertEquals(familiarName("docker.io/library/busybox:latest"), "busybox:latest");
  assertEquals(familiarName("docker.io/me/x:1"), "me/x:1");
  assertEquals(familiarName("localhost/bb:latest"), "localhost/bb:latest");
  assertEquals(familiarName("127.0.0.1:5000/a/b:c"), "127.0.0.1:5000/a/b:c");
  assertEquals(
    pullReference("docker.io/library/alpine", "latest"),
    "docker.io/library/alpine:latest",
  );
  assertEquals(pullReference("alpine:3", null), "alpine:3");
  assertEquals(
    pullReference("alpine", "sha256:" + "a".repeat(64)),
    `alpine@sha256:${"a".repeat(64)}`,
  );
  const header = btoa(JSON.stringify({ username: "u", password: "p+/=", serveraddress: "r" }))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  assertEquals(registryAuth(header), { username: "u", password: "p+/=" });
  assertEquals(registryAuth(btoa("{}")), undefined);
  assertEquals(registryAuth("not base64 !"), undefined);
  assertEquals(registryAuth(null), undefined);
  for (const r of ["127.0.0.1:5000", "localhost", "[::1]:5000", "127.1.2.3"]) {
    assertEquals(insecureByDefault(r), true, r);
  }
  assertEquals(insecureByDefault("registry.example.com"), false);
  const d = "sha256:" + "b".repeat(64);
  assertEquals(pullMessage({ kind: "blob", digest: d, size: 10, done: 4 }), {
    status: "Downloading",
    progressDetail: { current: 4, total: 10 },
    id: "bbbbbbbbbbbb",
  });
  assertEquals(
    pullMessage({ kind: "blob", digest: d, size: 10, done: 0, skipped: true }).status,
    "Already exists",
  );
  assertEquals(hasLabel({ a: "1" }, "a"), true);
  assertEquals(hasLabel({ a: "1" }, "a=1"), true);
  assertEquals(hasLabel({ a: "1" }, "a=2"), false);
  assertEquals(hasLabel(null, "a"), false);
  assertEquals(imageFilterArgs({ reference: ["a*", "b"], dangling: ["true"] }), [
    "reference=a*",
    "reference=b",
    "dangling=true",
  ]);
});

Deno.test("api archive: st_mode as Go's os.FileMode", () => {
  assertEquals(goFileMode(0o100644), 0o644);
  assertEquals(goFileMode(0o040755), 2 ** 31 + 0o755);
  assertEquals(goFileMode(0o120777), 2 ** 27 + 0o777);
  assertEquals(goFileMode(0o041777), 2 ** 31 + 2 ** 20 + 0o777); // sticky
  assertEquals(goFileMode(0o104755), 2 ** 23 + 0o755); // setuid
  assertEquals(goFileMode(0o020666), 2 ** 26 + 2 ** 21 + 0o666); // char device
});

Deno.test("api exec: the create body; networks; volume names", () => {
  const c = execConfig({ Cmd: "sh", Env: null, AttachStdout: true, ConsoleSize: [0, 0] });
  assertEquals([c.cmd, c.env, c.attachStdout, c.attachStdin, c.tty, c.consoleSize], [
    ["sh"],
    [],
    true,
    false,
    false,
    undefined,
  ]);
  assertEquals(execConfig({ Cmd: ["x"], ConsoleSize: [30, 100] }).consoleSize, [30, 100]);
  assertThrows(() => execConfig({ Cmd: [] }), UsageError);
  assertThrows(() => execConfig({}), UsageError);
  assertEquals(networkId("host").length, 64);
  for (const n of ["cache", "a.b-c_d", "0"]) assertEquals(isVolumeName(n), true, n);
  for (const n of ["", "/x", "../x", ".x", "a/b", "a:b"]) assertEquals(isVolumeName(n), false, n);
});
