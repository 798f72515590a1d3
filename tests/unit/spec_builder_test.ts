/**
 * How a create request and its image become a container's spec (src/engine/spec_builder.ts):
 * pure, so these run without root or images.
 */
import { assert, assertEquals, assertThrows } from "./assert.ts";
import {
  buildContainerSpec,
  type CreateRequest,
  type ResolvedRoot,
} from "../../src/engine/spec_builder.ts";
import type { ImageRunConfig } from "../../src/image/types.ts";
import { UsageError } from "../../src/errors.ts";

const PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** A request as `berth create IMAGE` with no flags makes it. */
function request(over: Partial<CreateRequest> = {}): CreateRequest {
  return {
    image: "busybox",
    pull: "missing",
    command: [],
    env: [],
    hostEnv: [],
    volumes: [],
    tmpfs: [],
    network: "host",
    timeout: 0,
    readOnly: false,
    autoRemove: false,
    stopSignal: 15,
    stopTimeout: 10,
    interactive: false,
    tty: false,
    sigProxy: true,
    ulimits: [],
    labels: {},
    addHosts: [],
    noDns: false,
    privileged: false,
    noNewPrivileges: false,
    groupAdd: [],
    ...over,
  };
}

/** An image with this config and these files in its layers. */
function image(config: ImageRunConfig, files: Record<string, string> = {}): ResolvedRoot {
  return {
    rootfs: { kind: "overlay", lowers: ["/layers/1"] },
    imageName: "docker.io/library/busybox:latest",
    imageId: "f".repeat(64),
    config,
    readFile: (rel) => files[rel],
  };
}

/** `fn` throws a UsageError whose message contains `text`. */
function throwsUsage(fn: () => unknown, text: string) {
  const err = assertThrows(fn, UsageError);
  assert(err.message.includes(text), err.message);
}

const build = (req: CreateRequest, root: ResolvedRoot) =>
  buildContainerSpec(req, root, { runtime: "runc" });

Deno.test("the image's Entrypoint and Cmd run when the command line gives neither", () => {
  const spec = build(request(), image({ Entrypoint: ["/init"], Cmd: ["serve"] }));
  assertEquals(spec.command, ["/init", "serve"]);
});

Deno.test("arguments replace the image's Cmd and keep its Entrypoint", () => {
  const spec = build(request({ command: ["sh"] }), image({ Entrypoint: ["/init"], Cmd: ["x"] }));
  assertEquals(spec.command, ["/init", "sh"]);
});

Deno.test("--entrypoint replaces the image's and drops its Cmd", () => {
  const root = image({ Entrypoint: ["/init"], Cmd: ["serve"] });
  assertEquals(build(request({ entrypoint: ["/bin/echo"] }), root).command, ["/bin/echo"]);
  assertEquals(build(request({ entrypoint: ["/bin/echo"], command: ["hi"] }), root).command, [
    "/bin/echo",
    "hi",
  ]);
});

Deno.test('--entrypoint "" clears the image\'s: the arguments run alone', () => {
  const root = image({ Entrypoint: ["/init"], Cmd: ["serve"] });
  assertEquals(build(request({ entrypoint: [], command: ["sh"] }), root).command, ["sh"]);
  throwsUsage(() => build(request({ entrypoint: [] }), root), "no command");
});

Deno.test("an image with nothing to run and no command is refused", () => {
  throwsUsage(() => build(request(), image({})), "no command or entrypoint");
});

Deno.test("env: podman's defaults, host, image, then the request's; later wins", () => {
  const spec = build(
    request({
      tty: true,
      hostEnv: ["HOME=/host", "A=host"],
      env: ["A=file", "B=flag"],
    }),
    image({ Cmd: ["sh"], Env: ["PATH=/image/bin", "A=image", "TERM=vt100"] }),
  );
  assertEquals(spec.env, [
    "PATH=/image/bin",
    "TERM=vt100",
    "container=podman",
    "HOME=/host",
    "A=file",
    "B=flag",
  ]);
});

Deno.test("env: without an image Env podman's defaults apply, TERM even without -t", () => {
  assertEquals(build(request(), image({ Cmd: ["sh"] })).env, [
    PATH,
    "TERM=xterm",
    "container=podman",
  ]);
});

Deno.test("env: --unsetenv drops defaults and image entries, not the request's", () => {
  const root = image({ Cmd: ["sh"], Env: ["A=image", "B=image"] });
  assertEquals(build(request({ unsetEnv: ["TERM", "A", "C"], env: ["C=flag"] }), root).env, [
    PATH,
    "container=podman",
    "B=image",
    "C=flag",
  ]);
  assertEquals(
    build(request({ unsetEnvAll: true, hostEnv: ["H=host"], env: ["TERM=abc"] }), root).env,
    ["TERM=abc"],
  );
});

Deno.test("workdir: the flag, else the image's WorkingDir, else /", () => {
  const root = image({ Cmd: ["sh"], WorkingDir: "/app" });
  assertEquals(build(request(), root).workdir, "/app");
  assertEquals(build(request({ workdir: "/src" }), root).workdir, "/src");
  assertEquals(build(request(), image({ Cmd: ["sh"], WorkingDir: "" })).workdir, "/");
});

Deno.test("user: the flag, else the image's User, resolved through the image's passwd", () => {
  const files = {
    "etc/passwd": "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n",
    "etc/group": "root:x:0:\nstaff:x:50:\n",
  };
  const root = image({ Cmd: ["sh"], User: "app" }, files);
  assertEquals(build(request(), root).user, { uid: 1000, gid: 1001 });
  assertEquals(build(request({ user: "0" }), root).user, { uid: 0, gid: 0 });
  assertEquals(build(request({ user: "app:staff" }), root).user, { uid: 1000, gid: 50 });
  assertEquals(build(request({ user: "4242" }), root).user, { uid: 4242, gid: 0 });
  assertEquals(build(request(), image({ Cmd: ["sh"] })).user, { uid: 0, gid: 0 });
  throwsUsage(() => build(request({ user: "nobody" }), root), "unable to find user");
});

Deno.test("--rootfs: the directory as given names the image; entrypoint and args are argv", () => {
  const req = request({
    image: undefined,
    rootfs: { spec: { kind: "dir", path: "/real/r" }, arg: "./r" },
    entrypoint: ["/bin/sh", "-c"],
    command: ["exit 3"],
  });
  const spec = build(req, {
    rootfs: { kind: "dir", path: "/real/r" },
    imageName: "./r",
    config: {},
    readFile: () => undefined,
  });
  assertEquals(spec.command, ["/bin/sh", "-c", "exit 3"]);
  assertEquals(spec.imageName, "./r");
  assertEquals(spec.imageId, undefined);
  assertEquals(spec.rootfs, { kind: "dir", path: "/real/r" });
  assertEquals(spec.workdir, "/");
});

Deno.test("volumes, tmpfs and --read-only pass through as the request has them", () => {
  const volumes = [{ source: "/src", destination: "/work", readOnly: true }];
  const tmpfs = [{ destination: "/scratch", options: ["size=1m"] }];
  const spec = build(request({ volumes, tmpfs, readOnly: true }), image({ Cmd: ["sh"] }));
  assertEquals(spec.volumes, volumes);
  assertEquals(spec.tmpfs, tmpfs);
  assertEquals(spec.readOnly, true);
});

Deno.test("optional settings are left out of the spec unless asked for", () => {
  const spec = build(request(), image({ Cmd: ["sh"] }));
  for (
    const key of [
      "ulimits",
      "resources",
      "tmpfs",
      "labels",
      "addHosts",
      "dns",
      "noDns",
      "privileged",
      "noNewPrivileges",
      "seccomp",
      "groupAdd",
    ]
  ) assertEquals(key in spec, false, key);
  assertEquals(spec.runtime, "runc");
  assertEquals(spec.hostname, "");
});

Deno.test("privileged and security options are recorded for the OCI config", () => {
  const spec = build(
    request({ privileged: true, noNewPrivileges: true, seccomp: "unconfined", groupAdd: [10] }),
    image({ Cmd: ["sh"] }),
  );
  assertEquals(spec.privileged, true);
  assertEquals(spec.noNewPrivileges, true);
  assertEquals(spec.seccomp, "unconfined");
  assertEquals(spec.groupAdd, [10]);
});
