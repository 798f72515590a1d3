/**
 * The pure translation of Docker's create body into the engine's CreateRequest.
 *
 * @module
 */
import { assert, assertEquals, assertThrows } from "../unit/assert.ts";
import { dockerCreateRequest, parseBind } from "../../src/api/routes/containers_create.ts";
import { dockerNetworking, portMappings } from "../../src/api/routes/containers_network.ts";
import { UsageError } from "../../src/errors.ts";
import { passesFilters } from "../../src/api/routes/containers.ts";
import { parseFilters, queryBool } from "../../src/api/routes/query.ts";
import { matchPattern, splitVersion } from "../../src/api/router.ts";
import { frame, parseFrames } from "../../src/api/frames.ts";

/** A body as GitLab Runner sends it: mostly zero values, `Entrypoint: [""]`. */
const GITLAB_BODY = {
  Image: "bb",
  Cmd: ["sh", "-c", "echo hi"],
  Entrypoint: [""],
  Env: ["A=1"],
  Labels: { "com.gitlab.gitlab-runner.type": "build" },
  Tty: false,
  AttachStdin: true,
  AttachStdout: true,
  AttachStderr: true,
  OpenStdin: true,
  StdinOnce: true,
  WorkingDir: "",
  User: "",
  HostConfig: {
    Resources: { Memory: 0, CpusetCpus: "", Devices: null, Ulimits: null },
    Memory: 0,
    NanoCpus: 0,
    Dns: null,
    DnsSearch: null,
    Privileged: false,
    CapAdd: null,
    CapDrop: null,
    SecurityOpt: null,
    RestartPolicy: { Name: "no" },
    ExtraHosts: null,
    NetworkMode: "",
    Binds: ["/tmp/cache:/cache", "/tmp/ro:/ro:ro"],
    LogConfig: { Type: "json-file" },
    Init: null,
    ShmSize: 0,
    Tmpfs: null,
    AutoRemove: false,
  },
  NetworkingConfig: { EndpointsConfig: { default: { MacAddress: "" } } },
};

Deno.test('api create: a GitLab body translates; Entrypoint [""] clears the image\'s', () => {
  const req = dockerCreateRequest(GITLAB_BODY as never);
  assertEquals(req.image, "bb");
  assertEquals(req.entrypoint, []);
  assertEquals(req.command, ["sh", "-c", "echo hi"]);
  assertEquals(req.env, ["A=1"]);
  assertEquals(req.interactive, true);
  assertEquals(req.tty, false);
  // Docker's default network (an empty NetworkMode, endpoint "default") is the default
  // bridge, as Docker's; berth.conf's [containers] network wins when set.
  assertEquals([req.network, req.networks], ["bridge", ["berth"]]);
  const onHost = dockerCreateRequest(GITLAB_BODY as never, { network: "host" });
  assertEquals([onHost.network, onHost.networks], ["host", undefined]);
  assertEquals(req.pull, "never");
  assertEquals(req.volumes, [
    { source: "/tmp/cache", destination: "/cache", readOnly: false },
    { source: "/tmp/ro", destination: "/ro", readOnly: true },
  ]);
  assertEquals(req.resources, undefined);
  assertEquals(req.capabilities, undefined);
  assertEquals(req.labels, { "com.gitlab.gitlab-runner.type": "build" });
});

Deno.test("api create: null fields keep the image's; docker CLI's defaults", () => {
  const req = dockerCreateRequest({
    Image: "bb",
    Cmd: null,
    Entrypoint: null,
    Env: [],
    HostConfig: { AutoRemove: true, NetworkMode: "default" },
  });
  assertEquals(req.entrypoint, undefined);
  assertEquals(req.command, []);
  assertEquals(req.autoRemove, true);
  assertEquals(req.stopTimeout, 10);
  assertEquals(req.stopSignal, 15);
  assertEquals(dockerCreateRequest({ Image: "bb", Entrypoint: "/bin/x" }).entrypoint, ["/bin/x"]);
  assertEquals(dockerCreateRequest({ Image: "bb", StopSignal: "SIGINT" }).stopSignal, 2);
});

Deno.test("api create: HostConfig.Mounts binds and tmpfs", () => {
  const req = dockerCreateRequest({
    Image: "bb",
    HostConfig: {
      Mounts: [
        { Type: "bind", Source: "/srv", Target: "/data", ReadOnly: true },
        { Type: "tmpfs", Target: "/scratch", TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1777 } },
      ],
    },
  });
  assertEquals(req.volumes, [{ source: "/srv", destination: "/data", readOnly: true }]);
  assertEquals(req.tmpfs, [{ destination: "/scratch", options: ["size=1048576", "mode=1777"] }]);
  // Volumes (api-more): named, or anonymous with a fresh 64-hex name; other types refused.
  const vols = dockerCreateRequest({
    Image: "bb",
    HostConfig: {
      Mounts: [{ Type: "volume", Source: "cache", Target: "/c" }, { Type: "volume", Target: "/v" }],
    },
  }).volumes;
  assertEquals(vols[0], { source: "cache", destination: "/c", readOnly: false });
  assert(/^[0-9a-f]{64}$/.test(vols[1].source), vols[1].source);
  assertThrows(
    () =>
      dockerCreateRequest({
        Image: "bb",
        HostConfig: { Mounts: [{ Type: "npipe", Target: "/v" }] },
      }),
    UsageError,
  );
});

Deno.test("api create: what cannot be honoured is refused (400)", () => {
  assertThrows(() => dockerCreateRequest({}), UsageError);
  assertThrows(() => dockerCreateRequest([] as never), UsageError);
  // A name is a named volume (api-more); a relative path is neither.
  assertEquals(parseBind("named:/x").source, "named");
  assertThrows(() => parseBind("rel/dir:/x"), UsageError);
  assertThrows(() => dockerNetworking({ NetworkMode: "container:" }), UsageError);
  assertThrows(
    () =>
      dockerNetworking({
        NetworkMode: "a",
        EndpointsConfig: { a: {}, b: { IPAMConfig: { IPv4Address: "10.1.0.5" } } },
      }),
    UsageError,
  );
  assertThrows(() => portMappings({ "80/sctp": [{ HostPort: "1" }] }), UsageError);
});

Deno.test("api create: NetworkMode, EndpointsConfig with Aliases, PortBindings", () => {
  // Docker's default mode is Docker's default bridge (berth's `berth`), or berth.conf's
  // [containers] network when set.
  for (const mode of [undefined, "", "default"]) {
    assertEquals(dockerNetworking({ NetworkMode: mode }), {
      network: "bridge",
      networks: ["berth"],
    });
    assertEquals(dockerNetworking({ NetworkMode: mode }, "host"), { network: "host" });
    assertEquals(dockerNetworking({ NetworkMode: mode }, "bridge"), {
      network: "bridge",
      networks: ["berth"],
    });
    assertEquals(
      dockerNetworking({ NetworkMode: mode, EndpointsConfig: { default: {} } }, "a,b"),
      { network: "bridge", networks: ["a", "b"] },
    );
  }
  assertEquals(dockerNetworking({ NetworkMode: "bridge" }), {
    network: "bridge",
    networks: ["berth"],
  });
  assertEquals(dockerNetworking({ NetworkMode: "", EndpointsConfig: { default: {} } }), {
    network: "bridge",
    networks: ["berth"],
  });
  assertEquals(
    dockerNetworking({ NetworkMode: "", EndpointsConfig: { default: {} } }, "host"),
    { network: "host" },
  );
  assertEquals(dockerNetworking({ NetworkMode: "host", PortBindings: { "80/tcp": [{}] } }), {
    network: "host",
  });
  assertEquals(dockerNetworking({ NetworkMode: "none" }), { network: "none" });
  assertEquals(dockerNetworking({ NetworkMode: "container:db" }), {
    network: "container",
    networkFrom: "db",
  });
  // GitLab's service container: its network by name, its aliases in the endpoint.
  assertEquals(
    dockerNetworking({
      NetworkMode: "job-net",
      EndpointsConfig: {
        "job-net": { Aliases: ["db", "postgres"] },
        other: { Aliases: ["db"] },
      },
    }),
    {
      network: "bridge",
      networks: ["job-net", "other"],
      networkAliases: ["db", "postgres"],
    },
  );
  assertEquals(
    dockerNetworking({
      NetworkMode: "n",
      EndpointsConfig: { n: { IPAMConfig: { IPv4Address: "10.1.0.9" }, MacAddress: "" } },
      PortBindings: {
        "80/tcp": [{ HostIp: "", HostPort: "8080" }, { HostIp: "127.0.0.1", HostPort: "" }],
        "53/udp": [{ HostIp: "0.0.0.0", HostPort: "5353" }],
      },
      PublishAllPorts: true,
      ExposedPorts: { "9000/tcp": {} },
    }),
    {
      network: "bridge",
      networks: ["n"],
      staticIp: "10.1.0.9",
      ports: [
        { host_ip: "", container_port: 80, host_port: 8080, range: 1, protocol: "tcp" },
        { host_ip: "127.0.0.1", container_port: 80, host_port: 0, range: 1, protocol: "tcp" },
        { host_ip: "", container_port: 53, host_port: 5353, range: 1, protocol: "udp" },
      ],
      publishAll: true,
      expose: ["9000/tcp"],
    },
  );
});

Deno.test('api create: HostPort "0" is a free host port, as Docker\'s (Testcontainers sends it)', () => {
  assertEquals(portMappings({ "80/tcp": [{ HostPort: "0" }] }), [
    { host_ip: "", container_port: 80, host_port: 0, range: 1, protocol: "tcp" },
  ]);
  assertEquals(portMappings({ "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "0" }] }), [
    { host_ip: "127.0.0.1", container_port: 80, host_port: 0, range: 1, protocol: "tcp" },
  ]);
});

Deno.test("api query: booleans, filters in both forms", () => {
  const q = new URLSearchParams("a=1&b=false&c=True&d=");
  assertEquals(
    ["a", "b", "c", "d", "e"].map((k) => queryBool(q, k)),
    [true, false, true, false, false],
  );
  assertEquals([...parseFilters('{"status":{"running":true}}')], [["status", ["running"]]]);
  assertEquals([...parseFilters('{"label":["k","k2=v"]}')], [["label", ["k", "k2=v"]]]);
  assertThrows(() => parseFilters("{"), UsageError);
});

Deno.test("api list: filters id, name, status, label, ancestor", () => {
  const row = {
    id: "abcdef" + "0".repeat(58),
    name: "web",
    state: "stopped",
    spec: { imageName: "localhost/bb:latest", imageId: "123abc", labels: { k: "v" } },
  } as never;
  const f = (s: string) => passesFilters(row, parseFilters(s));
  assertEquals(f('{"id":["abc"]}'), true);
  assertEquals(f('{"id":["abd"]}'), false);
  assertEquals(f('{"name":["^/?web$"]}'), true);
  assertEquals(f('{"status":["exited"]}'), true); // stopped is Docker's exited
  assertEquals(f('{"status":["running"]}'), false);
  assertEquals(f('{"label":["k"]}'), true);
  assertEquals(f('{"label":["k=v"]}'), true);
  assertEquals(f('{"label":["k=w"]}'), false);
  assertEquals(f('{"ancestor":["bb"]}'), true);
  assertEquals(f('{"ancestor":["other"]}'), false);
});

Deno.test("api router: version prefixes and patterns", () => {
  assertEquals(splitVersion("/v1.44/containers/json"), {
    version: "1.44",
    path: "/containers/json",
  });
  assertEquals(splitVersion("/v1.24/_ping"), { version: "1.24", path: "/_ping" });
  assertEquals(splitVersion("/containers/json"), { path: "/containers/json" });
  assertThrows(() => splitVersion("/v1.45/_ping"), UsageError);
  assertThrows(() => splitVersion("/v1.12/_ping"), UsageError);
  assertEquals(matchPattern("/containers/{id}/wait", "/containers/abc/wait"), { id: "abc" });
  assertEquals(matchPattern("/containers/{id}/wait", "/containers/abc/json"), undefined);
  assertEquals(matchPattern("/images/{name*}/json", "/images/docker.io/library/bb:1/json"), {
    name: "docker.io/library/bb:1",
  });
});

Deno.test("api frames: header is stream, three zeros, big-endian length", () => {
  const f = frame(2, new TextEncoder().encode("err\n"));
  assertEquals([...f.subarray(0, 8)], [2, 0, 0, 0, 0, 0, 0, 4]);
  const { frames, rest } = parseFrames(new Uint8Array([...f, ...frame(1, new Uint8Array(300)), 1]));
  assertEquals(frames.map((x) => [x.stream, x.payload.length]), [[2, 4], [1, 300]]);
  assertEquals(rest.length, 1);
});

Deno.test("berth.conf's default ulimits apply to the limits a body does not set", () => {
  const req = dockerCreateRequest(
    { Image: "bb", HostConfig: { Ulimits: [{ Name: "nofile", Soft: 100, Hard: 200 }] } },
    { ulimits: ["nofile=1024:2048", "nproc=50:60"] },
  );
  assertEquals(
    req.ulimits?.map((u) => `${u.type}=${u.soft}:${u.hard}`).sort(),
    ["RLIMIT_NOFILE=100:200", "RLIMIT_NPROC=50:60"],
  );
});
