/**
 * Volumes and networks through the API: `docker volume create/ls/inspect/rm`, a named volume
 * in `run -v name:/path` created on first use and surviving its containers (and `rm -v`), a
 * volume in use refused, `DELETE ?force=1` of an unknown volume; `GET /networks` with
 * `bridge`/`host`/`none`, inspect by name, `default` and ID, and a disconnect of a container
 * that is not connected (a container on the host network).
 *
 * @module
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { importBusybox, startService } from "./service.ts";

Deno.test("api volumes: create, ls, inspect, run -v name:/path, rm", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const created = await svc.docker(["volume", "create", "--label", "k=v", "vol1"]);
    assertEquals([created.code, created.stdout], [0, "vol1\n"], created.stderr);
    const inspect = JSON.parse((await svc.docker(["volume", "inspect", "vol1"])).stdout)[0];
    assertEquals([inspect.Name, inspect.Driver, inspect.Labels], ["vol1", "local", { k: "v" }]);
    assert(inspect.Mountpoint.startsWith(svc.sb.root), inspect.Mountpoint);

    const write = await svc.docker([
      "run",
      "--rm",
      "-v",
      "vol1:/data",
      "bb",
      "sh",
      "-c",
      "echo kept > /data/f",
    ]);
    assertEquals(write.code, 0, write.stderr);
    // A name not yet created is created on first use; data survives `rm -v` of its user.
    const first = await svc.docker([
      "run",
      "--name",
      "u",
      "-v",
      "auto:/c",
      "bb",
      "sh",
      "-c",
      "echo a > /c/f",
    ]);
    assertEquals(first.code, 0, first.stderr);
    assertEquals((await svc.docker(["rm", "-v", "u"])).code, 0);
    const read = await svc.docker([
      "run",
      "--rm",
      "-v",
      "vol1:/data:ro",
      "-v",
      "auto:/c",
      "bb",
      "cat",
      "/data/f",
      "/c/f",
    ]);
    assertEquals([read.code, read.stdout], [0, "kept\na\n"], read.stderr);
    const ro = await svc.docker(["run", "--rm", "-v", "vol1:/data:ro", "bb", "touch", "/data/g"]);
    assert(ro.code !== 0, "a :ro volume was writable");

    // HostConfig.Mounts with type=volume (what Testcontainers and the SDKs send).
    const mount = await svc.docker([
      "run",
      "--rm",
      "--mount",
      "type=volume,src=mv,dst=/m",
      "bb",
      "sh",
      "-c",
      "echo m > /m/f",
    ]);
    assertEquals(mount.code, 0, mount.stderr);
    const mread = await svc.docker(["run", "--rm", "-v", "mv:/m", "bb", "cat", "/m/f"]);
    assertEquals(mread.stdout, "m\n");
    assertEquals((await svc.docker(["volume", "rm", "mv"])).code, 0);

    const ls = await svc.docker(["volume", "ls", "-q"]);
    assertEquals(ls.stdout.trim().split("\n").sort(), ["auto", "vol1"]);
    const labelled = await svc.docker(["volume", "ls", "-q", "--filter", "label=k=v"]);
    assertEquals(labelled.stdout, "vol1\n");

    assertEquals(
      (await svc.docker(["run", "-d", "--name", "busy", "-v", "vol1:/d", "bb", "sleep", "300"]))
        .code,
      0,
    );
    const inUse = await svc.docker(["volume", "rm", "vol1"]);
    assertEquals(inUse.code, 1);
    assert(inUse.stderr.includes("in use"), inUse.stderr);
    assertEquals((await svc.docker(["rm", "-f", "busy"])).code, 0);
    const rm = await svc.docker(["volume", "rm", "vol1", "auto"]);
    assertEquals(rm.code, 0, rm.stderr);
    assertEquals((await svc.docker(["volume", "ls", "-q"])).stdout, "");
    assertEquals((await svc.request("GET", "/volumes/vol1")).status, 404);
    assertEquals((await svc.request("DELETE", "/volumes/vol1")).status, 404);
    assertEquals((await svc.request("DELETE", "/volumes/vol1?force=1")).status, 204);
    const raw = await svc.request("POST", "/v1.44/volumes/create", {
      Name: "r",
      Labels: { a: "b" },
    });
    assertEquals(raw.status, 201);
    assertEquals(JSON.parse(raw.text).Scope, "local");
    assertEquals((await svc.request("POST", "/volumes/create", { Name: "../x" })).status, 400);
  } finally {
    await svc.sb.berth(["rm", "-f", "-t", "0", "busy", "u"]);
    await svc.stop();
  }
});

Deno.test("api volumes: DELETE ?v=1 removes the container's anonymous volumes, not named ones", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const vols = async () =>
      (await svc.docker(["volume", "ls", "-q"])).stdout.trim().split("\n").filter(Boolean).sort();
    // -v /anon (Config.Volumes), --mount type=volume without src, and a named volume.
    const run = await svc.docker([
      "run",
      "--name",
      "a",
      "-v",
      "/anon",
      "--mount",
      "type=volume,dst=/m",
      "-v",
      "named:/n",
      "bb",
      "sh",
      "-c",
      "echo x > /anon/f && echo y > /m/f && echo z > /n/f",
    ]);
    assertEquals(run.code, 0, run.stderr);
    const before = await vols();
    assertEquals(before.length, 3, before.join(" "));
    const anon = before.filter((n) => n !== "named");
    for (const n of anon) {
      const v = JSON.parse((await svc.docker(["volume", "inspect", n])).stdout)[0];
      assertEquals(v.Labels, { "com.docker.volume.anonymous": "" }, n);
    }
    // Without -v the anonymous volumes stay, as in Docker.
    assertEquals((await svc.docker(["create", "--name", "b", "-v", "/keep", "bb"])).code, 0);
    const withB = await vols();
    assertEquals(withB.length, 4);
    assertEquals((await svc.docker(["rm", "b"])).code, 0);
    assertEquals((await vols()).length, 4);
    const rm = await svc.docker(["rm", "-v", "a"]);
    assertEquals(rm.code, 0, rm.stderr);
    const after = await vols();
    assertEquals(after.filter((n) => anon.includes(n)), []);
    assert(after.includes("named"), after.join(" "));
    // --rm (AutoRemove) takes the anonymous volumes along too, as Docker's does.
    const left = await vols();
    const rm1 = await svc.docker([
      "run",
      "--rm",
      "-v",
      "/tmp-anon",
      "-v",
      "named:/n",
      "bb",
      "true",
    ]);
    assertEquals(rm1.code, 0, rm1.stderr);
    assertEquals(await vols(), left);
  } finally {
    await svc.sb.berth(["rm", "-f", "-t", "0", "a", "b"]);
    await svc.stop();
  }
});

Deno.test("api networks: list, inspect, disconnect", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const ls = await svc.docker(["network", "ls", "--format", "{{.Name}} {{.Driver}}"]);
    assertEquals(ls.stdout.trim().split("\n").sort(), ["bridge bridge", "host host", "none null"]);
    const run = await svc.docker([
      "run",
      "-d",
      "--name",
      "n",
      "--network",
      "host",
      "bb",
      "sleep",
      "300",
    ]);
    assertEquals(run.code, 0, run.stderr);
    const id = run.stdout.trim();
    const list = JSON.parse((await svc.request("GET", "/v1.44/networks")).text);
    const host = list.find((n: { Name: string }) => n.Name === "host");
    assertEquals(host.Containers[id].Name, "n");
    assertEquals(host.Id.length, 64);
    for (const ref of ["bridge", "default", host.Id, host.Id.slice(0, 12)]) {
      assertEquals((await svc.request("GET", `/networks/${ref}`)).status, 200, ref);
    }
    assertEquals((await svc.request("GET", "/networks/nosuch")).status, 404);
    const disc = await svc.request("POST", "/networks/bridge/disconnect", {
      Container: id,
      Force: true,
    });
    assertEquals(disc.status, 200);
    assertEquals((await svc.docker(["network", "disconnect", "-f", "bridge", "n"])).code, 0);
    assertEquals((await svc.request("DELETE", "/networks/bridge")).status, 403);
  } finally {
    await svc.sb.berth(["rm", "-f", "-t", "0", "n"]);
    await svc.stop();
  }
});
