/**
 * GitLab Runner's docker executor, replayed at the HTTP level as docker-api.md 1.3 describes
 * it: one build container created with OpenStdin/StdinOnce, then stage after stage on the
 * same container: attach (101 before start, also on the exited container) → start → write
 * the script → half-close → read the multiplexed stream to EOF → wait not-running → stop.
 * Each stage's output must be complete and only its own, each code its own; the stream ends
 * only once the process has exited. Also the raw wait/attach contract: wait headers before
 * start, `Error` left out of the wait body.
 *
 * @module
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { concat, importBusybox, startService } from "./service.ts";
import { stage } from "./gitlab_stage.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

Deno.test("gitlab flow: stages re-attach and restart one build container", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const created = await svc.request("POST", "/v1.44/containers/create?name=runner-build", {
      Image: "bb",
      Cmd: ["sh"],
      Entrypoint: [""],
      Tty: false,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      OpenStdin: true,
      StdinOnce: true,
      Labels: { "com.gitlab.gitlab-runner.type": "build" },
      HostConfig: {
        RestartPolicy: { Name: "no" },
        LogConfig: { Type: "json-file" },
        NetworkMode: "",
      },
      NetworkingConfig: { EndpointsConfig: { default: {} } },
    });
    assertEquals(created.status, 201, created.text);
    const { Id: id, Warnings } = JSON.parse(created.text);
    assertEquals(Warnings, []);
    const inspect = JSON.parse((await svc.request("GET", `/v1.44/containers/${id}/json`)).text);
    assertEquals([inspect.Name, inspect.State.Status], ["/runner-build", "created"]);

    const s1 = await stage(svc, id, "echo run1; echo warn1 >&2\n");
    assertEquals([s1.stdout, s1.stderr, s1.code], ["run1\n", "warn1\n", 0]);
    const s2 = await stage(svc, id, "echo run2\nexit 3\n");
    assertEquals([s2.stdout, s2.stderr, s2.code], ["run2\n", "", 3]);
    // The stream ends only after the process has exited, even with its outputs closed early.
    const s3 = await stage(svc, id, "echo run3; exec >&- 2>&-; sleep 2; exit 4\n");
    assertEquals([s3.stdout, s3.code], ["run3\n", 4]);
    assert(s3.elapsed >= 1500, `EOF after ${s3.elapsed} ms`);
    // A job killed mid-stage: 137.
    const s4 = await stage(svc, id, "echo run4; sleep 30\n", async () => {
      await new Promise((r) => setTimeout(r, 500));
      assertEquals(
        (await svc.request("POST", `/v1.44/containers/${id}/kill?signal=KILL`)).status,
        204,
      );
    });
    assertEquals([s4.stdout, s4.code], ["run4\n", 137]);

    const del = await svc.request("DELETE", `/v1.44/containers/runner-build?force=1&v=1`);
    assertEquals(del.status, 204);
    const gone = await svc.request("GET", `/v1.44/containers/${id}/json`);
    assertEquals(gone.status, 404);
    assertEquals(JSON.parse(gone.text).message, `No such container: ${id}`);
  } finally {
    await svc.stop();
  }
});

Deno.test("api wait: headers come before start; next-exit and removed; disconnect cancels only that wait", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const c = await svc.request("POST", "/containers/create", {
      Image: "bb",
      Cmd: ["sh", "-c", "sleep 0.5; exit 7"],
      HostConfig: { AutoRemove: true },
    });
    assertEquals(c.status, 201, c.text);
    const id = JSON.parse(c.text).Id;
    // Three waits on the created container; each must answer its headers at once.
    const open = async (cond: string) => {
      const conn = await Deno.connect({ transport: "unix", path: svc.socket });
      await conn.write(
        enc.encode(`POST /containers/${id}/wait?condition=${cond} HTTP/1.1\r\nHost: x\r\n\r\n`),
      );
      const buf = new Uint8Array(4096);
      const n = await conn.read(buf);
      assert(dec.decode(buf.subarray(0, n ?? 0)).startsWith("HTTP/1.1 200"), cond);
      return conn;
    };
    const next = await open("next-exit");
    const removed = await open("removed");
    const abandoned = await open("removed");
    abandoned.close(); // a client that gives up: only its wait ends
    const bodyOf = async (conn: Deno.Conn) => {
      const parts: Uint8Array[] = [];
      const buf = new Uint8Array(4096);
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) break;
        parts.push(buf.slice(0, n));
        if (dec.decode(concat(parts)).includes("\r\n0\r\n\r\n")) break;
      }
      conn.close();
      const text = dec.decode(concat(parts));
      return JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1));
    };
    assertEquals((await svc.request("POST", `/containers/${id}/start`)).status, 204);
    assertEquals(await bodyOf(next), { StatusCode: 7 });
    assertEquals(await bodyOf(removed), { StatusCode: 7 });
    assertEquals((await svc.request("GET", `/containers/${id}/json`)).status, 404);
    assertEquals((await svc.request("POST", `/containers/${id}/wait?condition=bogus`)).status, 400);
    const noImage = await svc.request("POST", "/containers/create", { Image: "nosuch" });
    assertEquals(noImage.status, 404);
    assertEquals(noImage.headers.get("content-type"), "application/json");
    assert(JSON.parse(noImage.text).message.startsWith("No such image: "), noImage.text);
  } finally {
    await svc.stop();
  }
});
