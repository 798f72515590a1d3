import assert from "node:assert/strict";
import {
  API_IMAGE,
  dockerEnv,
  dockerRunArgv,
  importArgv,
  serviceArgv,
  serviceEndProblem,
  tarArgv,
} from "./api.ts";
import type { EngineSetup } from "./engines.ts";
import { parseBenchArgs } from "./args.ts";

const S: EngineSetup = {
  deno: "/usr/bin/deno",
  berthMain: "/repo/main.ts",
  berthRoot: "/t/br",
  berthRunroot: "/t/brr",
  runtime: "runc",
  podman: "/usr/bin/podman",
  podmanRoot: "/t/pr",
  podmanRunroot: "/t/prr",
  podmanTmpdir: "/t/pt",
  runc: "/usr/sbin/runc",
  runcRoot: "/t/rs",
  rootfs: "/t/rootfs",
};

Deno.test("berth's service runs over the bench's store, never timing out", () => {
  assert.deepEqual(serviceArgv(S, "berth", "/t/b.sock"), [
    ...["/usr/bin/deno", "run", "-A", "/repo/main.ts", "--root", "/t/br", "--runroot", "/t/brr"],
    ...["--runtime", "runc", "system", "service", "--time", "0", "unix:///t/b.sock"],
  ]);
});

Deno.test("podman's service has its private storage and runc", () => {
  assert.deepEqual(serviceArgv(S, "podman", "/t/p.sock"), [
    ...["/usr/bin/podman", "--root", "/t/pr", "--runroot", "/t/prr", "--tmpdir", "/t/pt"],
    ...["--runtime", "runc", "system", "service", "--time", "0", "unix:///t/p.sock"],
  ]);
});

Deno.test("both stores import the same tarball under the same name", () => {
  assert.deepEqual(importArgv(S, "berth", "/t/r.tar", API_IMAGE).slice(-3), [
    "import",
    "/t/r.tar",
    API_IMAGE,
  ]);
  assert.deepEqual(importArgv(S, "podman", "/t/r.tar", API_IMAGE).slice(-3), [
    "import",
    "/t/r.tar",
    API_IMAGE,
  ]);
  assert.equal(importArgv(S, "podman", "/t/r.tar", API_IMAGE)[2], "/t/pr");
  assert.deepEqual(tarArgv("/t/rootfs", "/t/r.tar"), [
    "tar",
    "-C",
    "/t/rootfs",
    "-cf",
    "/t/r.tar",
    ".",
  ]);
});

Deno.test("docker run: --rm, no network, the host's ulimits, then image and command", () => {
  assert.deepEqual(dockerRunArgv("/usr/local/bin/docker", "img:1", ["true"]), [
    ...["/usr/local/bin/docker", "run", "--rm", "--network", "none"],
    ...["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "img:1", "true"],
  ]);
  assert.deepEqual(dockerRunArgv("docker", "img:1", ["sh"], "probe").slice(0, 6), [
    ...["docker", "run", "--name", "probe", "--network", "none"],
  ]);
  assert.deepEqual(dockerEnv("/t/b.sock"), {
    DOCKER_HOST: "unix:///t/b.sock",
    DOCKER_CONTEXT: "default",
  });
});

Deno.test("a service stopped by SIGTERM is fine; other ends are problems", () => {
  assert.equal(serviceEndProblem(0, null), null);
  assert.equal(serviceEndProblem(null, "SIGTERM"), null);
  assert.equal(serviceEndProblem(143, null), null);
  assert.equal(serviceEndProblem(1, null), "exit 1");
  assert.equal(serviceEndProblem(null, "SIGKILL"), "killed by SIGKILL");
});

Deno.test("--skip api is accepted", () => {
  assert.deepEqual(parseBenchArgs(["--skip", "api,store"]).skip, ["api", "store"]);
});
