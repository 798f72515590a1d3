import { assertEquals } from "./assert.ts";
import { formatReference, parseReference, pullCandidates } from "../../src/image/reference.ts";
import { UsageError } from "../../src/errors.ts";

const D = "sha256:" + "a".repeat(64);

Deno.test("references normalise like docker's", () => {
  const cases: [string, string][] = [
    ["busybox", "docker.io/library/busybox:latest"],
    ["alpine:3", "docker.io/library/alpine:3"],
    ["user/app", "docker.io/user/app:latest"],
    ["docker.io/busybox", "docker.io/library/busybox:latest"],
    ["index.docker.io/library/busybox:1", "docker.io/library/busybox:1"],
    ["quay.io/a/b/c:v1.2", "quay.io/a/b/c:v1.2"],
    ["localhost/x", "localhost/x:latest"],
    ["127.0.0.1:5000/name:tag", "127.0.0.1:5000/name:tag"],
    ["host:5000/name", "host:5000/name:latest"],
    [`busybox@${D}`, `docker.io/library/busybox@${D}`],
    [`busybox:1@${D}`, `docker.io/library/busybox:1@${D}`],
    ["my_app__x-y.z:Tag_1.0-rc", "docker.io/library/my_app__x-y.z:Tag_1.0-rc"],
  ];
  for (const [input, want] of cases) assertEquals(formatReference(parseReference(input)), want);
  assertEquals(parseReference(`a@${D}`).tag, undefined);
  assertEquals(parseReference("127.0.0.1:5000/n").registry, "127.0.0.1:5000");
});

Deno.test("bad references are usage errors", () => {
  for (const bad of ["", "UPPER", "a:b:c", "a@sha256:short", "a/-b", "a:-tag", "a//b", "a@md5:x"]) {
    let threw = false;
    try {
      parseReference(bad);
    } catch (err) {
      threw = err instanceof UsageError;
    }
    assertEquals(threw, true, bad);
  }
});

Deno.test("pullCandidates: a short name in each search registry, library/ on docker.io only", () => {
  assertEquals(pullCandidates("alpine"), ["docker.io/library/alpine:latest"]);
  assertEquals(pullCandidates("alpine:3", ["127.0.0.1:5000", "docker.io"]), [
    "127.0.0.1:5000/alpine:3",
    "docker.io/library/alpine:3",
  ]);
  assertEquals(pullCandidates("team/app", ["quay.io", "docker.io"]), [
    "quay.io/team/app:latest",
    "docker.io/team/app:latest",
  ]);
  assertEquals(pullCandidates("quay.io/team/app:1", ["127.0.0.1:5000"]), ["quay.io/team/app:1"]);
  assertEquals(pullCandidates("alpine", []), []);
});
