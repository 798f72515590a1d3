/**
 * A throwaway `docker-registry` (CNCF distribution) on 127.0.0.1 for pull tests, with
 * optional TLS, Basic (htpasswd) or Bearer-token auth (a small token server here), plus a
 * minimal push client and certificate helpers.
 *
 * @module
 */
import { join } from "node:path";
import { digestOf, sh } from "./fixtures.ts";

/** A running registry. */
export interface TestRegistry {
  host: string;
  storage: string;
  /** Requests logged so far (the registry's access log lines). */
  log(): string;
  stop(): Promise<void>;
}

/** Auth modes. */
export type RegistryAuth =
  | { kind: "none" }
  | { kind: "htpasswd"; file: string }
  | { kind: "token"; realm: string; certFile: string };

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Start a registry storing in `storage` (reused across restarts). */
export async function startRegistry(
  dir: string,
  storage: string,
  opts: { auth?: RegistryAuth; tls?: { cert: string; key: string }; port?: number } = {},
): Promise<TestRegistry> {
  const port = opts.port ?? freePort();
  const auth = opts.auth ?? { kind: "none" };
  const lines = [
    "version: 0.1",
    "log:",
    "  level: info",
    "  accesslog:",
    "    disabled: false",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${storage}`,
    "  delete:",
    "    enabled: true",
    "http:",
    `  addr: 127.0.0.1:${port}`,
    ...(opts.tls
      ? ["  tls:", `    certificate: ${opts.tls.cert}`, `    key: ${opts.tls.key}`]
      : []),
    "health:",
    "  storagedriver:",
    "    enabled: false",
  ];
  if (auth.kind === "htpasswd") {
    lines.push("auth:", "  htpasswd:", "    realm: basic-realm", `    path: ${auth.file}`);
  } else if (auth.kind === "token") {
    lines.push(
      "auth:",
      "  token:",
      `    realm: ${auth.realm}`,
      "    service: test-registry",
      "    issuer: test-issuer",
      `    rootcertbundle: ${auth.certFile}`,
    );
  }
  const config = join(dir, `registry-${port}.yml`);
  Deno.writeTextFileSync(config, lines.join("\n") + "\n");
  const logFile = join(dir, `registry-${port}.log`);
  // The registry writes its log (the access log on stdout, the rest on stderr) straight to
  // the file, so log() sees each request as soon as it is answered.
  const child = new Deno.Command("sh", {
    args: ["-c", 'exec docker-registry serve "$1" >"$2" 2>&1', "sh", config, logFile],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const scheme = opts.tls ? "https" : "http";
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  const client = opts.tls
    ? Deno.createHttpClient({
      caCerts: [Deno.readTextFileSync(opts.tls.cert.replace(/leaf\.crt$/, "ca.crt"))],
    })
    : undefined;
  for (;;) {
    try {
      const r = await fetch(`${scheme}://${host}/v2/`, { client });
      await r.body?.cancel();
      break;
    } catch {
      if (Date.now() > deadline) throw new Error("registry did not start");
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  client?.close();
  return {
    host,
    storage,
    log: () => Deno.readTextFileSync(logFile),
    async stop() {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
      await child.status;
    },
  };
}

/** Push blobs and a manifest (monolithic uploads) to an unauthenticated plain-HTTP registry. */
export async function push(
  host: string,
  repo: string,
  blobs: Map<string, Uint8Array>,
  manifests: { ref: string; bytes: Uint8Array; mediaType: string }[],
): Promise<void> {
  const base = `http://${host}/v2/${repo}`;
  for (const [digest, data] of blobs) {
    const start = await fetch(`${base}/blobs/uploads/`, { method: "POST" });
    await start.body?.cancel();
    if (start.status !== 202) throw new Error(`upload start: ${start.status}`);
    const loc = new URL(start.headers.get("location")!, `http://${host}`);
    loc.searchParams.set("digest", digest);
    const put = await fetch(loc, {
      method: "PUT",
      body: data.slice(),
      headers: { "Content-Type": "application/octet-stream" },
    });
    await put.body?.cancel();
    if (put.status !== 201) throw new Error(`upload ${digest}: ${put.status}`);
  }
  for (const m of manifests) {
    const r = await fetch(`${base}/manifests/${m.ref}`, {
      method: "PUT",
      body: m.bytes.slice(),
      headers: { "Content-Type": m.mediaType },
    });
    const text = await r.text();
    if (r.status !== 201) throw new Error(`manifest ${m.ref}: ${r.status} ${text}`);
    if (r.headers.get("docker-content-digest") !== digestOf(m.bytes)) {
      throw new Error("registry changed the manifest digest");
    }
  }
}

/** A CA and a leaf certificate for 127.0.0.1, signed by it. Returns file paths. */
export async function makeCerts(dir: string) {
  const f = (n: string) => join(dir, n);
  await sh([
    "openssl",
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-keyout",
    f("ca.key"),
    "-out",
    f("ca.crt"),
    "-subj",
    "/CN=berth test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign",
  ]);
  await sh([
    "openssl",
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    f("leaf.key"),
    "-out",
    f("leaf.csr"),
    "-subj",
    "/CN=127.0.0.1",
  ]);
  Deno.writeTextFileSync(
    f("leaf.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  await sh([
    "openssl",
    "x509",
    "-req",
    "-in",
    f("leaf.csr"),
    "-CA",
    f("ca.crt"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-out",
    f("leaf.crt"),
    "-days",
    "2",
    "-extfile",
    f("leaf.ext"),
  ]);
  return { ca: f("ca.crt"), cert: f("leaf.crt"), key: f("leaf.key") };
}

/** A Bearer token server: RS256 JWTs with an x5c header, access granted to `user:pass`. */
export async function startTokenServer(dir: string, user: string, pass: string) {
  const key = join(dir, "token.key");
  const cert = join(dir, "token.crt");
  await sh([
    "openssl",
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-keyout",
    key,
    "-out",
    cert,
    "-subj",
    "/CN=token-signer",
  ]);
  const pemBody = (pem: string) =>
    Uint8Array.from(
      atob(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")),
      (c) => c.charCodeAt(0),
    );
  const der = pemBody(Deno.readTextFileSync(cert));
  const pkcs8 = pemBody(Deno.readTextFileSync(key));
  const signKey = await crypto.subtle.importKey(
    "pkcs8",
    pkcs8,
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const b64u = (b: Uint8Array | string) => {
    const bytes = typeof b === "string" ? new TextEncoder().encode(b) : b;
    let s = "";
    for (const x of bytes) s += String.fromCharCode(x);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };
  const x5c = btoa(String.fromCharCode(...der));
  const requests: { scope: string | null; auth: string | null }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    const auth = req.headers.get("authorization");
    requests.push({ scope: url.searchParams.get("scope"), auth });
    if (auth !== `Basic ${btoa(`${user}:${pass}`)}`) {
      return new Response('{"details":"bad credentials"}', { status: 401 });
    }
    const access = (url.searchParams.getAll("scope")).filter((s) => s).map((s) => {
      const [type, name, actions] = s.split(":");
      return { type, name, actions: actions.split(",") };
    });
    const now = Math.floor(Date.now() / 1000);
    const header = b64u(JSON.stringify({ alg: "RS256", typ: "JWT", x5c: [x5c] }));
    const claims = b64u(JSON.stringify({
      iss: "test-issuer",
      sub: user,
      aud: url.searchParams.get("service"),
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: crypto.randomUUID(),
      access,
    }));
    const sig = new Uint8Array(
      await crypto.subtle.sign(
        "RSASSA-PKCS1-v1_5",
        signKey,
        new TextEncoder().encode(`${header}.${claims}`),
      ),
    );
    return Response.json({ token: `${header}.${claims}.${b64u(sig)}`, expires_in: 300 });
  });
  return {
    realm: `http://127.0.0.1:${server.addr.port}/token`,
    certFile: cert,
    requests,
    stop: () => server.shutdown(),
  };
}
