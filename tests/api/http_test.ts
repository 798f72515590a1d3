/**
 * The HTTP layer and the system endpoints, spoken raw over the service's socket: ping and its
 * headers, version prefixes, errors as `{"message"}` with exactly `application/json`, bad
 * input (malformed JSON, unknown endpoints, huge headers, a half-sent request that hangs),
 * keep-alive with pipelining, and chunked request bodies.
 *
 * @module
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { concat, parseAnswer, readToEnd, startService } from "./service.ts";

const enc = new TextEncoder();

Deno.test("api http: ping, version, prefixes and errors", async () => {
  const svc = await startService();
  try {
    const head = await svc.request("HEAD", "/_ping");
    assertEquals(head.status, 200);
    assertEquals(head.headers.get("api-version"), "1.44");
    assertEquals(head.headers.get("ostype"), "linux");
    assertEquals(head.body.length, 0);
    const get = await svc.request("GET", "/v1.44/_ping");
    assertEquals([get.status, get.text], [200, "OK"]);
    assertEquals((await svc.request("GET", "/v1.24/_ping")).status, 200);

    const version = await svc.request("GET", "/version");
    assertEquals(version.status, 200);
    assertEquals(JSON.parse(version.text).ApiVersion, "1.44");
    const info = JSON.parse((await svc.request("GET", "/v1.41/info")).text);
    assertEquals(info.OSType, "linux");

    const tooNew = await svc.request("GET", "/v1.99/containers/json");
    assertEquals(tooNew.status, 400);
    assertEquals(tooNew.headers.get("content-type"), "application/json");
    assert(JSON.parse(tooNew.text).message.includes("too new"));

    const unknown = await svc.request("GET", "/no/such/endpoint");
    assertEquals(unknown.status, 404);
    assertEquals(unknown.headers.get("content-type"), "application/json");
    assertEquals(typeof JSON.parse(unknown.text).message, "string");
    assertEquals(unknown.headers.get("api-version"), "1.44");

    const bad = await svc.request("POST", "/containers/create", "{not json");
    assertEquals(bad.status, 400);
    assertEquals(bad.headers.get("content-type"), "application/json");
    assert(JSON.parse(bad.text).message.includes("JSON"));
    const nothing = await svc.request("GET", "/containers/json?all=1");
    assertEquals(JSON.parse(nothing.text), []); // the bad body changed nothing
  } finally {
    await svc.stop();
  }
});

Deno.test("api http: huge headers get 431; a half-sent request does not block others", async () => {
  const svc = await startService();
  try {
    // A client that sends half a request and hangs.
    const hung = await Deno.connect({ transport: "unix", path: svc.socket });
    await hung.write(enc.encode("GET /_ping HTTP/1.1\r\nHost: x\r\nX-Half: "));

    const big = await Deno.connect({ transport: "unix", path: svc.socket });
    const huge = "x".repeat(100 * 1024);
    big.write(enc.encode(`GET /_ping HTTP/1.1\r\nHost: x\r\nX-Big: ${huge}\r\n\r\n`)).catch(
      () => {},
    );
    const bigAnswer = parseAnswer(await readToEnd(big));
    assertEquals(bigAnswer.status, 431);
    big.close();

    const t0 = Date.now();
    assertEquals((await svc.request("GET", "/_ping")).status, 200);
    assert(Date.now() - t0 < 2000);
    hung.close();
  } finally {
    await svc.stop();
  }
});

Deno.test("api http: keep-alive with pipelined requests and a chunked body", async () => {
  const svc = await startService();
  try {
    const conn = await Deno.connect({ transport: "unix", path: svc.socket });
    let text = "";
    for (let i = 0; i < 20; i++) text += "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n";
    // A chunked body that is malformed JSON: parsed through the chunks, answered 400, and the
    // connection still carries the request after it.
    text += "POST /containers/create HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
      '3\r\n{"I\r\n4\r\nmage\r\n0\r\n\r\n';
    text += "HEAD /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    await conn.write(enc.encode(text));
    const all = new TextDecoder().decode(await readToEnd(conn));
    conn.close();
    assertEquals(all.match(/HTTP\/1\.1 200 OK/g)?.length, 21);
    assertEquals(all.match(/HTTP\/1\.1 400 /g)?.length, 1);
    assert(all.includes("invalid JSON"));
    void concat;
  } finally {
    await svc.stop();
  }
});

Deno.test("api http: clients that hang up mid-wait release what their waits held", async () => {
  const svc = await startService();
  try {
    const { importBusybox } = await import("./service.ts");
    await importBusybox(svc);
    const c = await svc.request("POST", "/containers/create", { Image: "bb", Cmd: ["true"] });
    const id = JSON.parse(c.text).Id;
    const fds = () => [...Deno.readDirSync(`/proc/${svc.child.pid}/fd`)].length;
    const before = fds();
    const conns: Deno.Conn[] = [];
    for (let i = 0; i < 20; i++) {
      const conn = await Deno.connect({ transport: "unix", path: svc.socket });
      await conn.write(
        enc.encode(`POST /containers/${id}/wait?condition=next-exit HTTP/1.1\r\nHost: x\r\n\r\n`),
      );
      const buf = new Uint8Array(1024);
      assert(
        new TextDecoder().decode(buf.subarray(0, (await conn.read(buf)) ?? 0)).includes(" 200 "),
      );
      conns.push(conn);
    }
    const during = fds();
    assert(during >= before + 20, `${before} → ${during}`); // each wait holds its connection
    for (const conn of conns) conn.close();
    const deadline = Date.now() + 5000;
    while (fds() > before + 5 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert(fds() <= before + 5, `fds: ${before} before, ${during} during, ${fds()} after`);
    // The service still answers, and the container is as it was.
    const state =
      JSON.parse((await svc.request("GET", `/containers/${id}/json`)).text).State.Status;
    assertEquals(state, "created");
  } finally {
    await svc.stop();
  }
});
