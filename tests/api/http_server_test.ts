/**
 * berth's HTTP/1.1 server in-process, for what needs its options: a client that sends half a
 * request head and hangs is disconnected after the head timeout, while an idle keep-alive
 * connection is left alone.
 *
 * @module
 */
import { join } from "node:path";
import { assert, assertEquals } from "../unit/assert.ts";
import { serveConnection } from "../../src/api/http/server.ts";

const enc = new TextEncoder();

Deno.test("http server: a half-sent head times out; an idle connection does not", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "berth-http-" });
  const path = join(dir, "h.sock");
  const listener = Deno.listen({ transport: "unix", path });
  const served: Promise<void>[] = [];
  (async () => {
    for await (const conn of listener) {
      served.push(serveConnection(conn, (_req, res) => res.json(200, { ok: true }), {
        maxHeaderBytes: 65536,
        maxJsonBytes: 1 << 20,
        baseHeaders: {},
        headTimeoutMs: 400,
        errorResponse: () => ({ status: 500, message: "x" }),
      }));
    }
  })().catch(() => {});
  const half = await Deno.connect({ transport: "unix", path });
  const idle = await Deno.connect({ transport: "unix", path });
  try {
    await half.write(enc.encode("GET / HTTP/1.1\r\nHost: x\r\n"));
    const t0 = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const n = await Promise.race([
      half.read(new Uint8Array(16)).catch(() => null),
      new Promise<string>((r) => timer = setTimeout(() => r("still open"), 5000)),
    ]);
    clearTimeout(timer);
    assertEquals(n, null); // closed by the server
    assert(Date.now() - t0 < 3000);
    // The idle one, silent for longer than the head timeout, still serves a request.
    await new Promise((r) => setTimeout(r, 1000));
    await idle.write(enc.encode("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    const buf = new Uint8Array(1024);
    const got = await idle.read(buf);
    assert(new TextDecoder().decode(buf.subarray(0, got ?? 0)).startsWith("HTTP/1.1 200"));
  } finally {
    for (const c of [half, idle]) {
      try {
        c.close();
      } catch { /* closed */ }
    }
    listener.close();
    await Promise.all(served);
    Deno.removeSync(dir, { recursive: true });
  }
});
