/**
 * Networks through the API, on real netavark bridges: GitLab Runner's per-build network
 * (`FF_NETWORK_PER_BUILD`) where the build container fetches from a service container by its
 * alias, then the runner's cleanup; the docker CLI's `network create/ls/inspect/rm` and
 * `run --network N --network-alias A`, `network connect --alias`/`disconnect`; Docker's
 * `bridge` network as berth's default bridge, with `-p` and `-P` published on the loopback. Every subnet
 * is chosen here (10.198.x.0/24), the default bridge's too (made before its first use, so
 * berth does not take one from its pool); traffic goes only between the test's containers
 * and to 127.0.0.1.
 *
 * @module
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { importBusybox, type Service, startService } from "./service.ts";
import { stage } from "./gitlab_stage.ts";

/** A busybox httpd serving `text` at `/index.html` on port 8080. */
const SERVE = (text: string) => [
  "sh",
  "-c",
  `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 8080 -h /www`,
];

/** berth's default bridge (Docker's `bridge`) on `subnet`, made before anything uses it. */
async function defaultBridgeOn(svc: Service, subnet: string) {
  const made = await svc.sb.berth(["network", "create", "--subnet", subnet, "berth"]);
  assertEquals(made.code, 0, made.stderr);
}

Deno.test("api networks: GitLab's per-build network, a service reached by its alias, the cleanup", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    await defaultBridgeOn(svc, "10.198.4.0/24");
    // Step 4: the build network.
    const made = await svc.request("POST", "/v1.44/networks/create", {
      Name: "runner-abc-project-1-concurrent-0-job-1-network",
      CheckDuplicate: true,
      Driver: "",
      EnableIPv6: false,
      Internal: false,
      Labels: { "com.gitlab.gitlab-runner.job.id": "1" },
      Options: { "com.docker.network.driver.mtu": "1500" },
      IPAM: { Config: [{ Subnet: "10.198.1.0/24" }] },
    });
    assertEquals(made.status, 201, made.text);
    const netId = JSON.parse(made.text).Id;
    const net = JSON.parse((await svc.request("GET", `/v1.44/networks/${netId}`)).text);
    assertEquals(
      [net.Name, net.Driver, net.IPAM.Config],
      ["runner-abc-project-1-concurrent-0-job-1-network", "bridge", [{
        Subnet: "10.198.1.0/24",
        Gateway: "10.198.1.1",
      }]],
    );
    const netName = net.Name;
    const dup = await svc.request("POST", "/networks/create", { Name: netName });
    assertEquals(dup.status, 409, dup.text);

    // Step 7: the service, on the network with its aliases; polled until it is not created.
    const service = await svc.request("POST", "/v1.44/containers/create?name=runner-svc-0", {
      Image: "bb",
      Cmd: SERVE("from-the-service"),
      Labels: { "com.gitlab.gitlab-runner.type": "service" },
      HostConfig: { NetworkMode: netName, RestartPolicy: {} },
      NetworkingConfig: { EndpointsConfig: { [netName]: { Aliases: ["web", "web-svc"] } } },
    });
    assertEquals(service.status, 201, service.text);
    const svcId = JSON.parse(service.text).Id;
    assertEquals((await svc.request("POST", `/v1.44/containers/${svcId}/start`)).status, 204);
    const inspect = JSON.parse((await svc.request("GET", `/v1.44/containers/${svcId}/json`)).text);
    assertEquals(inspect.State.Status, "running");
    assertEquals(inspect.HostConfig.NetworkMode, netName);
    const ep = inspect.NetworkSettings.Networks[netName];
    assert(/^10\.198\.1\.\d+$/.test(ep.IPAddress), JSON.stringify(ep));
    assertEquals([ep.Gateway, ep.IPPrefixLen, ep.NetworkID], ["10.198.1.1", 24, netId]);
    assert(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(ep.MacAddress), ep.MacAddress);
    assert(ep.Aliases.includes("web") && ep.Aliases.includes("web-svc"), ep.Aliases);
    assertEquals(inspect.NetworkSettings.IPAddress, ep.IPAddress);
    const members = JSON.parse((await svc.request("GET", `/networks/${netName}`)).text).Containers;
    assertEquals(members[svcId].IPv4Address, `${ep.IPAddress}/24`);

    // Steps 8–13: the build container on the same network fetches from the service by alias.
    const build = await svc.request("POST", "/v1.44/containers/create?name=runner-build", {
      Image: "bb",
      Cmd: ["sh"],
      Entrypoint: [""],
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: { NetworkMode: netName },
      NetworkingConfig: { EndpointsConfig: { [netName]: { Aliases: ["build"] } } },
    });
    assertEquals(build.status, 201, build.text);
    const buildId = JSON.parse(build.text).Id;
    const fetch = await stage(
      svc,
      buildId,
      "for i in $(seq 50); do wget -qO- http://web:8080/index.html && exit 0; sleep 0.1; done; exit 1\n",
    );
    assertEquals([fetch.stdout, fetch.code], ["from-the-service\n", 0], fetch.stderr);
    const second = await stage(svc, buildId, "wget -qO- http://web-svc:8080/index.html\n");
    assertEquals([second.stdout, second.code], ["from-the-service\n", 0], second.stderr);

    // A container on Docker's default bridge cannot reach the service (another network).
    const outside = await svc.request("POST", "/v1.44/containers/create?name=outside", {
      Image: "bb",
      Cmd: ["sh"],
      OpenStdin: true,
      StdinOnce: true,
      HostConfig: { NetworkMode: "bridge" },
      NetworkingConfig: { EndpointsConfig: { bridge: { MacAddress: "" } } },
    });
    assertEquals(outside.status, 201, outside.text);
    const outsideId = JSON.parse(outside.text).Id;
    const blocked = await stage(svc, outsideId, `wget -T 2 -qO- http://${ep.IPAddress}:8080/\n`);
    assert(blocked.code !== 0 && blocked.stdout === "", JSON.stringify(blocked));

    // Steps 15–16: the cleanup, as the runner does it.
    for (const id of [buildId, svcId, outsideId]) {
      const all = JSON.parse((await svc.request("GET", "/v1.44/networks")).text);
      for (const n of all) {
        const full = JSON.parse((await svc.request("GET", `/v1.44/networks/${n.Id}`)).text);
        if (!(id in full.Containers)) continue;
        const d = await svc.request("POST", `/v1.44/networks/${n.Id}/disconnect`, {
          Container: id,
          Force: true,
        });
        // berth keeps a bridged container on at least one network (the runner only logs this).
        assertEquals(d.status, 400, d.text);
      }
      const del = await svc.request("DELETE", `/v1.44/containers/${id}?force=1&v=1`);
      assertEquals(del.status, 204, del.text);
    }
    assertEquals((await svc.request("DELETE", `/v1.44/networks/${netId}`)).status, 204);
    assertEquals((await svc.request("GET", `/v1.44/networks/${netId}`)).status, 404);
    assertEquals((await svc.request("DELETE", "/v1.44/networks/bridge")).status, 403);
  } finally {
    await svc.sb.berth(["rm", "-f", "-t", "0", "runner-build", "runner-svc-0", "outside"]);
    await svc.stop();
  }
});

Deno.test("api networks: docker network create/ls/inspect/rm, run --network --network-alias, -p", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    await defaultBridgeOn(svc, "10.198.5.0/24");
    const made = await svc.docker([
      "network",
      "create",
      "--subnet",
      "10.198.2.0/24",
      "--label",
      "ci=1",
      "jobnet",
    ]);
    assertEquals(made.code, 0, made.stderr);
    const id = made.stdout.trim();
    assertEquals(id.length, 64);
    const ls = await svc.docker(["network", "ls", "--format", "{{.Name}} {{.Driver}}"]);
    assertEquals(ls.stdout.trim().split("\n").sort(), [
      "bridge bridge",
      "host host",
      "jobnet bridge",
      "none null",
    ]);
    const labelled = await svc.docker(["network", "ls", "-q", "--filter", "label=ci=1"]);
    assertEquals(labelled.stdout.trim(), id.slice(0, 12));
    const subnet = await svc.docker([
      "network",
      "inspect",
      "-f",
      "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}",
      "jobnet",
    ]);
    assertEquals(subnet.stdout, "10.198.2.0/24 10.198.2.1\n", subnet.stderr);

    const server = await svc.docker([
      "run",
      "-d",
      "--name",
      "srv",
      "--network",
      "jobnet",
      "--network-alias",
      "cache",
      "bb",
      ...SERVE("hello-alias"),
    ]);
    assertEquals(server.code, 0, server.stderr);
    const ip = await svc.docker([
      "inspect",
      "-f",
      "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
      "srv",
    ]);
    assert(/^10\.198\.2\.\d+\n$/.test(ip.stdout), ip.stdout + ip.stderr);
    const client = await svc.docker([
      "run",
      "--rm",
      "--network",
      "jobnet",
      "bb",
      "sh",
      "-c",
      "for i in $(seq 50); do wget -qO- http://cache:8080/index.html && exit 0; sleep 0.1; done; exit 1",
    ]);
    assertEquals([client.code, client.stdout], [0, "hello-alias\n"], client.stderr);
    // network connect --alias: a second network, and another name on it.
    assertEquals(
      (await svc.docker(["network", "create", "--subnet", "10.198.3.0/24", "side"])).code,
      0,
    );
    const conn = await svc.docker(["network", "connect", "--alias", "sidecache", "side", "srv"]);
    assertEquals(conn.code, 0, conn.stderr);
    const nets = await svc.docker([
      "inspect",
      "-f",
      "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}",
      "srv",
    ]);
    assert(/^jobnet=10\.198\.2\.\d+ side=10\.198\.3\.\d+ \n$/.test(nets.stdout), nets.stdout);
    const viaSide = await svc.docker([
      "run",
      "--rm",
      "--network",
      "side",
      "bb",
      "wget",
      "-qO-",
      "http://sidecache:8080/index.html",
    ]);
    assertEquals([viaSide.code, viaSide.stdout], [0, "hello-alias\n"], viaSide.stderr);
    const disc = await svc.docker(["network", "disconnect", "side", "srv"]);
    assertEquals(disc.code, 0, disc.stderr);
    const members = JSON.parse((await svc.request("GET", "/networks/side")).text).Containers;
    assertEquals(Object.keys(members), []);
    assertEquals((await svc.docker(["network", "rm", "side"])).code, 0);
    const inUse = await svc.docker(["network", "rm", "jobnet"]);
    assert(inUse.code !== 0, "a network in use was removed");
    assertEquals((await svc.docker(["rm", "-f", "srv"])).code, 0);
    const rm = await svc.docker(["network", "rm", "jobnet"]);
    assertEquals([rm.code, rm.stdout], [0, "jobnet\n"], rm.stderr);
    const gone = await svc.docker(["network", "inspect", "jobnet"]);
    assert(gone.code !== 0, "jobnet still there");

    // Docker's default bridge (berth's), and -p 127.0.0.1::8080 on a free loopback port.
    const web = await svc.docker([
      "run",
      "-d",
      "--name",
      "web",
      "--network",
      "bridge",
      "-p",
      "127.0.0.1::8080",
      "bb",
      ...SERVE("published"),
    ]);
    assertEquals(web.code, 0, web.stderr);
    const mode = await svc.docker(["inspect", "-f", "{{.HostConfig.NetworkMode}}", "web"]);
    assertEquals(mode.stdout, "bridge\n");
    // Without --network (Docker's "default"): Docker's default bridge, as in Docker.
    assertEquals((await svc.docker(["create", "--name", "plain", "bb"])).code, 0);
    const plain = await svc.docker(["inspect", "-f", "{{.HostConfig.NetworkMode}}", "plain"]);
    assertEquals(plain.stdout, "bridge\n");
    const port = await svc.docker(["port", "web", "8080"]);
    const m = /^127\.0\.0\.1:(\d+)\n$/.exec(port.stdout);
    assert(m, port.stdout + port.stderr);
    let body = "";
    for (let i = 0; i < 50 && !body; i++) {
      try {
        body = await (await fetch(`http://127.0.0.1:${m[1]}/index.html`)).text();
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assertEquals(body, "published\n");
    const bridge = JSON.parse((await svc.request("GET", "/networks/default")).text);
    assertEquals([bridge.Name, bridge.IPAM.Config[0].Subnet], ["bridge", "10.198.5.0/24"]);
    assert(web.stdout.trim() in bridge.Containers, JSON.stringify(bridge.Containers));
    const ps = await svc.docker(["ps", "--format", "{{.Ports}}"]);
    assert(ps.stdout.includes(`127.0.0.1:${m[1]}->8080/tcp`), ps.stdout);
    // -P with --expose: every exposed port on a free host port (fetched on the loopback).
    const all = await svc.docker([
      "run",
      "-d",
      "--name",
      "all",
      "--network",
      "bridge",
      "-P",
      "--expose",
      "8080",
      "bb",
      ...SERVE("published-all"),
    ]);
    assertEquals(all.code, 0, all.stderr);
    const allPort = /:(\d+)\n$/.exec((await svc.docker(["port", "all", "8080/tcp"])).stdout);
    assert(allPort, "no port for -P");
    let allBody = "";
    for (let i = 0; i < 50 && !allBody; i++) {
      try {
        allBody = await (await fetch(`http://127.0.0.1:${allPort[1]}/index.html`)).text();
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assertEquals(allBody, "published-all\n");
  } finally {
    await svc.sb.berth(["rm", "-f", "-t", "0", "srv", "web", "all", "plain"]);
    await svc.stop();
  }
});

Deno.test("api networks: docker run -d -p 127.0.0.1::80 with no --network gets a random port on the default bridge (Testcontainers)", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    // No --network and no berth.conf: Docker's default bridge, made from the pool on first use.
    const run = await svc.docker([
      "run",
      "-d",
      "--name",
      "tc",
      "-p",
      "127.0.0.1::80",
      "bb",
      "sh",
      "-c",
      "mkdir -p /www && echo testcontainers > /www/index.html && exec httpd -f -p 80 -h /www",
    ]);
    assertEquals(run.code, 0, run.stderr);
    const inspect = JSON.parse((await svc.request("GET", "/containers/tc/json")).text);
    assertEquals(inspect.HostConfig.NetworkMode, "bridge");
    const bound = inspect.NetworkSettings.Ports["80/tcp"];
    assertEquals(bound?.length, 1, JSON.stringify(inspect.NetworkSettings.Ports));
    assertEquals(bound[0].HostIp, "127.0.0.1");
    assert(/^\d+$/.test(bound[0].HostPort) && bound[0].HostPort !== "0", bound[0].HostPort);
    assert(inspect.NetworkSettings.Networks.bridge?.IPAddress, "an address on the bridge");
    let body = "";
    for (let i = 0; i < 50 && !body; i++) {
      try {
        body = await (await fetch(`http://127.0.0.1:${bound[0].HostPort}/index.html`)).text();
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assertEquals(body, "testcontainers\n");
  } finally {
    await svc.sb.berth(["rm", "-f", "-t", "0", "tc"]);
    await svc.stop();
  }
});
