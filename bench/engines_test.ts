import assert from "node:assert/strict";
import {
  berthArgv,
  type EngineSetup,
  isBerthProcess,
  isPodmanProcess,
  runArgv,
  runcRunArgv,
} from "./engines.ts";

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

Deno.test("berth run puts globals before the command", () => {
  assert.deepEqual(runArgv(S, "berth", { rm: true, debug: true }, ["/bin/true"]), [
    ...["/usr/bin/deno", "run", "-A", "/repo/main.ts", "--root", "/t/br", "--runroot", "/t/brr"],
    ...["--runtime", "runc", "--log-level", "debug", "run", "--rm", "--network", "none"],
    ...["--rootfs", "/t/rootfs", "/bin/true"],
  ]);
  assert.deepEqual(berthArgv(S, ["wait", "x"]).slice(-3), ["runc", "wait", "x"]);
});

Deno.test("podman run has private storage, runc, the ulimits and an optional network", () => {
  const argv = runArgv(S, "podman", { detach: true, network: "none" }, ["/bin/sleep", "9"]);
  assert.deepEqual(argv, [
    ...["/usr/bin/podman", "--root", "/t/pr", "--runroot", "/t/prr", "--tmpdir", "/t/pt"],
    ...["--runtime", "runc", "run", "-d", "--ulimit", "nofile=1024:1024", "--ulimit"],
    ...["nproc=1024:1024", "--network", "none", "--rootfs", "/t/rootfs", "/bin/sleep", "9"],
  ]);
  assert.ok(runArgv(S, "podman", {}, ["/bin/true"]).includes("none"), "none by default");
  assert.ok(!runArgv(S, "podman", { network: "default" }, ["/bin/true"]).includes("--network"));
});

Deno.test("runc run uses a private state root", () => {
  assert.deepEqual(runcRunArgv(S, "/t/b", "c1"), [
    ...["/usr/sbin/runc", "--root", "/t/rs", "run", "--bundle", "/t/b", "c1"],
  ]);
});

Deno.test("isBerthProcess matches deno running berth, not the bench or other programs", () => {
  assert.ok(isBerthProcess(["/usr/bin/deno", "run", "-A", "/repo/main.ts", "ps"], "/repo/main.ts"));
  assert.ok(isBerthProcess(["deno", "run", "-A", "/elsewhere/main.ts"], "/repo/main.ts"));
  assert.ok(!isBerthProcess(["deno", "run", "-A", "/repo/bench/main.ts"], "/repo/main.ts"));
  assert.ok(!isBerthProcess(["/usr/bin/conmon", "/repo/main.ts"], "/repo/main.ts"));
  assert.ok(!isBerthProcess(["deno"], "/repo/main.ts"));
});

Deno.test("isPodmanProcess", () => {
  assert.ok(isPodmanProcess(["/usr/bin/podman", "container", "cleanup"]));
  assert.ok(isPodmanProcess(["podman"]));
  assert.ok(!isPodmanProcess(["/usr/bin/conmon"]));
});
