/**
 * Hostile registries (fake ones, served here on loopback): token realms that point at local
 * files or at other hosts in clear text, and response bodies too large to read whole.
 *
 * @module
 */
import { RegistryError } from "../../src/errors.ts";
import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../unit/assert.ts";
import { testRoot } from "./helpers.ts";
import { makeCerts } from "./registry_helper.ts";
import { pullImage } from "../../src/image/pull.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const CREDS = { username: "alice", password: "hunter2" };
const BASIC = `Basic ${btoa("alice:hunter2")}`;

/** A request a fake server saw. */
interface Seen {
  path: string;
  auth: string | null;
}

interface Fake {
  /** `http(s)://host:port` */
  origin: string;
  /** `host:port` */
  host: string;
  seen: Seen[];
  stop(): Promise<void>;
}

function serve(
  hostname: string,
  handler: (req: Request, url: URL) => Response,
  tls?: { cert: string; key: string },
): Fake {
  const seen: Seen[] = [];
  const server = Deno.serve(
    {
      hostname,
      port: 0,
      onListen: () => {},
      ...(tls
        ? { cert: Deno.readTextFileSync(tls.cert), key: Deno.readTextFileSync(tls.key) }
        : {}),
    },
    (req) => {
      const url = new URL(req.url);
      seen.push({ path: url.pathname + url.search, auth: req.headers.get("authorization") });
      return handler(req, url);
    },
  );
  const host = `${hostname}:${server.addr.port}`;
  return {
    origin: `${tls ? "https" : "http"}://${host}`,
    host,
    seen,
    stop: () => server.shutdown(),
  };
}

/**
 * A registry that answers 401 with `challenge()` until it gets `Bearer good-token`, then
 * 404 for every manifest (the auth dance is what these tests look at).
 */
function fakeRegistry(challenge: () => string, tls?: { cert: string; key: string }): Fake {
  return serve("127.0.0.1", (req, url) => {
    if (req.headers.get("authorization") === "Bearer good-token") {
      return Response.json({ errors: [{ code: "MANIFEST_UNKNOWN", message: "no such" }] }, {
        status: 404,
      });
    }
    if (url.pathname === "/v2/") return new Response(null, { status: 200 });
    return new Response("{}", {
      status: 401,
      headers: { "www-authenticate": challenge() },
    });
  }, tls);
}

/** A token endpoint handing out `good-token` to anyone. */
function fakeTokenServer(hostname: string, tls?: { cert: string; key: string }): Fake {
  return serve(hostname, () => Response.json({ token: "good-token" }), tls);
}

/** A response body of `total` bytes produced only as fast as it is read; `sent()` counts. */
function lazyBody(total: number) {
  let sent = 0;
  const chunk = new Uint8Array(64 << 10).fill(0x20);
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent >= total) return c.close();
      sent += chunk.length;
      c.enqueue(chunk.slice());
    },
  }, { highWaterMark: 0 });
  return { body, sent: () => sent };
}

/**
 * A raw HTTP server whose answers (but to `/v2/`) announce `length` bytes and then send
 * nothing (Deno.serve would correct a wrong Content-Length).
 */
function declaringServer(length: number) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      (async () => {
        const buf = new Uint8Array(8192);
        const enc = new TextEncoder();
        try {
          for (;;) {
            const n = await conn.read(buf);
            if (n === null) break;
            const line = new TextDecoder().decode(buf.subarray(0, n)).split("\r\n")[0];
            const head = line.includes(" /v2/ ")
              ? "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"
              : `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n{`;
            await conn.write(enc.encode(head));
          }
        } catch { /* closed */ }
      })();
    }
  })().catch(() => {});
  return {
    host: `127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    stop() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
    },
  };
}

/** `p`, or an Error (not a RegistryError) when it takes longer than `ms`. */
async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function berth(dir: string, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--root", join(dir, "r"), "--runroot", join(dir, "rr"), ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("token realm: file: refused, the file never read nor its token sent", async () => {
  const t = testRoot();
  const tokenFile = join(t.dir, "token.json");
  Deno.writeTextFileSync(tokenFile, JSON.stringify({ token: "MARKER-from-a-local-file" }));
  const realm = `file://${tokenFile}`;
  const reg = fakeRegistry(() => `Bearer realm="${realm}",service="x"`);
  try {
    const err = await assertRejects(
      () => pullImage(t.ctx, `${reg.host}/a:1`, { tlsVerify: false, creds: CREDS }),
      RegistryError,
      "refusing token realm",
    );
    assert(err.message.includes(realm), err.message);
    assert(reg.seen.every((s) => !s.auth?.includes("MARKER")), JSON.stringify(reg.seen));
    // The CLI says it in one line.
    const r = await berth(t.dir, ["pull", "--tls-verify=false", `${reg.host}/a:1`]);
    assertEquals(r.code, 125);
    assert(/^Error: [^\n]*refusing token realm "file:[^\n]*\n$/.test(r.stderr), r.stderr);
    assert(reg.seen.every((s) => !s.auth?.includes("MARKER")), JSON.stringify(reg.seen));
  } finally {
    await reg.stop();
    await t.cleanup();
  }
});

Deno.test("token realm: plain http on another host gets nothing, on the registry's host only with --tls-verify=false", async () => {
  const t = testRoot();
  const other = fakeTokenServer("127.0.0.2"); // loopback, but another host than the registry's
  const same = fakeTokenServer("127.0.0.1");
  let realm = "";
  const reg = fakeRegistry(() => `Bearer realm="${realm}/token",service="x"`);
  try {
    realm = other.origin;
    await assertRejects(
      () => pullImage(t.ctx, `${reg.host}/a:1`, { tlsVerify: false, creds: CREDS }),
      RegistryError,
      `refusing token realm "${other.origin}/token"`,
    );
    assertEquals(other.seen, []); // not even asked, so no credentials went there
    // The registry's own host (another port) over http, with plain HTTP allowed: the token
    // server gets the credentials, the registry the token.
    realm = same.origin;
    await assertRejects(
      () => pullImage(t.ctx, `${reg.host}/a:1`, { tlsVerify: false, creds: CREDS }),
      RegistryError,
      "MANIFEST_UNKNOWN",
    );
    assertEquals(same.seen.map((s) => s.auth), [BASIC]);
    assert(reg.seen.some((s) => s.auth === "Bearer good-token"));
  } finally {
    await reg.stop();
    await other.stop();
    await same.stop();
    await t.cleanup();
  }
});

Deno.test("token realm: over TLS, http refused even on the registry's host; https gets the credentials; redirects checked", async () => {
  const t = testRoot();
  const certs = await makeCerts(t.dir);
  const tls = { cert: certs.cert, key: certs.key };
  const certDir = join(t.dir, "certs");
  Deno.mkdirSync(certDir);
  Deno.copyFileSync(certs.ca, join(certDir, "ca.crt"));
  const plain = fakeTokenServer("127.0.0.1");
  const secure = fakeTokenServer("127.0.0.1", tls);
  const elsewhere = fakeTokenServer("127.0.0.2");
  // An https realm that redirects to plain http on another host.
  const redirector = serve(
    "127.0.0.1",
    () => new Response(null, { status: 302, headers: { location: `${elsewhere.origin}/token` } }),
    tls,
  );
  let realm = "";
  const reg = fakeRegistry(() => `Bearer realm="${realm}",service="x"`, tls);
  const opts = { tlsVerify: true, certDir, creds: CREDS };
  try {
    realm = `${plain.origin}/token`;
    await assertRejects(
      () => pullImage(t.ctx, `${reg.host}/a:1`, opts),
      RegistryError,
      "--tls-verify=false",
    );
    assertEquals(plain.seen, []);
    realm = `${secure.origin}/token`;
    await assertRejects(
      () => pullImage(t.ctx, `${reg.host}/a:1`, opts),
      RegistryError,
      "MANIFEST_UNKNOWN",
    );
    assertEquals(secure.seen.map((s) => s.auth), [BASIC]);
    assert(secure.seen[0].path.includes("scope=repository%3Aa%3Apull"), secure.seen[0].path);
    realm = `${redirector.origin}/token`;
    await assertRejects(
      () => pullImage(t.ctx, `${reg.host}/b:1`, opts),
      RegistryError,
      `refusing token realm "${elsewhere.origin}/token"`,
    );
    assertEquals(redirector.seen.length, 1);
    assertEquals(elsewhere.seen, []);
  } finally {
    for (const f of [reg, plain, secure, elsewhere, redirector]) await f.stop();
    await t.cleanup();
  }
});

Deno.test("registry bodies read whole are bounded: manifest, token, error", async () => {
  const t = testRoot();
  const HUGE = 96 << 20;
  const bodies: { sent: () => number }[] = [];
  const huge = (status: number, headers: Record<string, string> = {}) => {
    const b = lazyBody(HUGE);
    bodies.push(b);
    return new Response(b.body, { status, headers });
  };
  const tokens = serve("127.0.0.1", () => huge(200, { "content-type": "application/json" }));
  const reg = serve("127.0.0.1", (req, url) => {
    if (url.pathname === "/v2/") return new Response(null, { status: 200 });
    if (url.pathname.startsWith("/v2/manifest/")) {
      return huge(200, { "content-type": "application/vnd.oci.image.manifest.v1+json" });
    }
    if (url.pathname.startsWith("/v2/error/")) return huge(500);
    if (req.headers.get("authorization")) return new Response("{}", { status: 404 });
    return new Response("{}", {
      status: 401,
      headers: { "www-authenticate": `Bearer realm="${tokens.origin}/token"` },
    });
  });
  const raw = declaringServer(1 << 30);
  const opts = { tlsVerify: false };
  try {
    const started = Date.now();
    await assertRejects(
      () => pullImage(t.ctx, `${reg.host}/manifest/a:1`, opts),
      RegistryError,
      "response larger than 4194304 bytes",
    );
    await assertRejects(
      () => pullImage(t.ctx, `${reg.host}/token/a:1`, opts),
      RegistryError,
      "token from",
    );
    // An error body too big to read for its message: the status is the message.
    await assertRejects(
      () => pullImage(t.ctx, `${reg.host}/error/a:1`, opts),
      RegistryError,
      "500 Internal Server Error",
    );
    assertEquals(bodies.length, 3);
    for (const b of bodies) assert(b.sent() < 16 << 20, `server sent ${b.sent()} bytes`);
    assert(Date.now() - started < 30_000);
    // A Content-Length over the bound is refused at once, before any of the body comes.
    const declared = await assertRejects(
      () => within(10_000, pullImage(t.ctx, `${raw.host}/declared/a:1`, opts)),
      RegistryError,
    );
    assert(declared.message.includes("response larger than"), declared.message);
  } finally {
    raw.stop();
    await reg.stop();
    await tokens.stop();
    await t.cleanup();
  }
});
