/**
 * A registry HTTP API v2 session: scheme and TLS choice (`--tls-verify`, `--cert-dir`,
 * `certs.d`), and the auth dance (anonymous, Basic, Bearer tokens from the realm in the
 * `WWW-Authenticate` challenge, cached per registry and scope).
 *
 * @module
 */
import { RegistryError } from "../errors.ts";
import { concat } from "../io.ts";
import { join } from "../path.ts";
import type { Credentials } from "./auth_file.ts";
import { checkRealm, parseChallenges } from "./challenge.ts";
import { registryHost } from "./reference.ts";

/** How to reach a registry. */
export interface RegistryOptions {
  /** false: allow plain HTTP (and try it when HTTPS fails). */
  tlsVerify: boolean;
  /** Directory of extra CA certificates (`*.crt`). */
  certDir?: string;
  creds?: Credentials;
}

/** An open session with one registry. */
export interface Session {
  registry: string;
  /** `https://host` or `http://host`. */
  base: string;
  client?: Deno.HttpClient;
  creds?: Credentials;
  /** Set once the registry asked for Basic auth. */
  basic: boolean;
  /** As opened: false allows plain HTTP (also for a token realm on the registry's host). */
  tlsVerify: boolean;
}

/** The most a token server's answer may hold (tokens are a few KiB). */
export const MAX_TOKEN_BODY = 1 << 20;
/** The most of an error body read for its message. */
export const MAX_ERROR_BODY = 64 << 10;
/** Redirects followed from a token realm (each one checked like the realm). */
const MAX_TOKEN_REDIRECTS = 5;

interface CachedToken {
  token: string;
  expires: number;
}

/** Bearer tokens by `registry|scope|user`, for this process. */
const tokens = new Map<string, CachedToken>();

function caCerts(registry: string, certDir?: string): string[] {
  const dirs = [
    ...(certDir ? [certDir] : []),
    join("/etc/containers/certs.d", registry),
    join("/etc/docker/certs.d", registry),
  ];
  const pems: string[] = [];
  for (const d of dirs) {
    try {
      for (const e of Deno.readDirSync(d)) {
        if (e.name.endsWith(".crt") || e.name.endsWith(".pem")) {
          pems.push(Deno.readTextFileSync(join(d, e.name)));
        }
      }
    } catch { /* no such directory */ }
  }
  return pems;
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: unknown };
  return [e?.message ?? String(err), e?.cause instanceof Error ? e.cause.message : ""]
    .filter((s) => s).join(": ");
}

/**
 * Open a session with `registry`: probes `/v2/` over HTTPS, or (with `tlsVerify` false)
 * falls back to plain HTTP when HTTPS cannot be spoken.
 *
 * @throws {RegistryError} when the registry cannot be reached
 */
export async function openSession(registry: string, opts: RegistryOptions): Promise<Session> {
  const host = registryHost(registry);
  const pems = caCerts(registry, opts.certDir);
  const client = pems.length ? Deno.createHttpClient({ caCerts: pems }) : undefined;
  const session: Session = {
    registry,
    base: `https://${host}`,
    client,
    creds: opts.creds,
    basic: false,
    tlsVerify: opts.tlsVerify,
  };
  try {
    const r = await fetch(`${session.base}/v2/`, { client });
    await r.body?.cancel();
    return session;
  } catch (err) {
    if (opts.tlsVerify) {
      throw new RegistryError(
        `pinging registry ${registry} over https: ${describe(err)}` +
          " (use --tls-verify=false for a plain-HTTP registry, --cert-dir for a private CA)",
      );
    }
  }
  session.base = `http://${host}`;
  try {
    const r = await fetch(`${session.base}/v2/`, { client });
    await r.body?.cancel();
  } catch (err) {
    throw new RegistryError(`pinging registry ${registry} over https and http: ${describe(err)}`);
  }
  return session;
}

/** Close the session's HTTP client. */
export function closeSession(s: Session): void {
  s.client?.close();
}

function basicHeader(c: Credentials): string {
  let bin = "";
  for (const b of new TextEncoder().encode(`${c.username}:${c.password}`)) {
    bin += String.fromCharCode(b);
  }
  return `Basic ${btoa(bin)}`;
}

function tokenKey(s: Session, scope: string): string {
  return `${s.registry}|${scope}|${s.creds?.username ?? ""}`;
}

function authHeader(s: Session, scope: string): string | undefined {
  const t = tokens.get(tokenKey(s, scope));
  if (t && t.expires > Date.now()) return `Bearer ${t.token}`;
  if (s.basic && s.creds) return basicHeader(s.creds);
  return undefined;
}

/**
 * The body of `r`, refused (and the rest left unread) when it is larger than `max` bytes,
 * whether announced by `Content-Length` or found while reading.
 *
 * @throws {RegistryError} when the body is too large or the connection fails
 */
export async function readLimited(r: Response, max: number, what: string): Promise<Uint8Array> {
  const tooLarge = () => new RegistryError(`${what}: response larger than ${max} bytes`);
  if (Number(r.headers.get("content-length") ?? 0) > max) {
    await r.body?.cancel();
    throw tooLarge();
  }
  if (!r.body) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = r.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > max) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      parts.push(value);
    }
  } catch (err) {
    if (err instanceof RegistryError) throw err;
    throw new RegistryError(`${what}: ${describe(err)}`);
  } finally {
    reader.releaseLock();
  }
  return concat(parts);
}

/**
 * GET a token from `realm`, following redirects by hand so that each hop passes
 * {@linkcode checkRealm} too; credentials go only to the realm's own origin.
 */
async function getFromRealm(s: Session, realm: URL): Promise<Response> {
  let url = realm;
  for (let hop = 0;; hop++) {
    const headers: HeadersInit = s.creds && url.origin === realm.origin
      ? { Authorization: basicHeader(s.creds) }
      : {};
    let r: Response;
    try {
      r = await fetch(url, { headers, client: s.client, redirect: "manual" });
    } catch (err) {
      throw new RegistryError(`getting a token from ${url.origin}: ${describe(err)}`);
    }
    const location = r.headers.get("location");
    if (r.status < 300 || r.status > 399 || !location) return r;
    await r.body?.cancel();
    if (hop >= MAX_TOKEN_REDIRECTS) {
      throw new RegistryError(`getting a token from ${realm.origin}: too many redirects`);
    }
    url = trustedRealm(s, new URL(location, url).href);
  }
}

function trustedRealm(s: Session, realm: string): URL {
  try {
    return checkRealm(realm, s.base, s.tlsVerify);
  } catch (err) {
    throw new RegistryError(`registry ${s.registry}: ${(err as Error).message}`);
  }
}

async function fetchToken(
  s: Session,
  params: Record<string, string>,
  scope: string,
): Promise<void> {
  if (!params.realm) {
    throw new RegistryError(`registry ${s.registry}: Bearer challenge without realm`);
  }
  const url = trustedRealm(s, params.realm);
  if (params.service) url.searchParams.set("service", params.service);
  // A push that mounts asks for two repositories at once: one `scope` parameter each, as
  // docker and containers/image send them.
  for (const one of scope.split(" ").filter((x) => x)) url.searchParams.append("scope", one);
  const r = await getFromRealm(s, url);
  if (!r.ok) {
    await r.body?.cancel();
    throw new RegistryError(
      `registry ${s.registry}: token server refused (${r.status})` +
        (r.status === 401 ? ": invalid username/password" : ""),
    );
  }
  const bytes = await readLimited(
    r,
    MAX_TOKEN_BODY,
    `registry ${s.registry}: token from ${url.origin}`,
  );
  let body;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    body = {};
  }
  const token = body?.token ?? body?.access_token;
  if (typeof token !== "string" || !token) {
    throw new RegistryError(`registry ${s.registry}: token server sent no token`);
  }
  const ttl = Number(body.expires_in) > 0 ? Number(body.expires_in) : 60;
  tokens.set(tokenKey(s, scope), { token, expires: Date.now() + (ttl - 5) * 1000 });
}

/** What {@linkcode registryFetch} sends besides the path. */
export interface RegistryRequest {
  accept?: string;
  method?: string;
  /** Extra headers (Content-Type, Content-Range of uploads). */
  headers?: Record<string, string>;
  /** The body, made afresh for each attempt (the first may be answered by a challenge). */
  body?: () => BodyInit | null;
}

/**
 * The URL of `path` on the session's registry: a path (`/v2/…`), or an absolute URL that a
 * registry's `Location` header gave. An absolute URL on another origin is refused: the
 * request carries the session's credentials, which must not go to a host the registry names.
 *
 * @throws {RegistryError} for a URL on another origin
 */
export function registryUrl(s: Session, path: string): string {
  const url = new URL(path, s.base);
  if (url.origin !== new URL(s.base).origin) {
    throw new RegistryError(
      `registry ${s.registry}: refusing to send a request to ${url.origin} (not the registry)`,
    );
  }
  return url.href;
}

/**
 * Send a request for `path` (see {@linkcode registryUrl}) to the registry, answering one
 * auth challenge if needed; GET unless `init.method` says otherwise.
 *
 * @throws {RegistryError} on a network error or when authentication fails
 */
export async function registryFetch(
  s: Session,
  path: string,
  scope: string,
  init: RegistryRequest = {},
): Promise<Response> {
  const url = registryUrl(s, path);
  for (let attempt = 0;; attempt++) {
    const headers: Record<string, string> = { ...init.headers };
    if (init.accept) headers.Accept = init.accept;
    const auth = authHeader(s, scope);
    if (auth) headers.Authorization = auth;
    let r: Response;
    try {
      r = await fetch(url, {
        method: init.method ?? "GET",
        headers,
        body: init.body?.() ?? null,
        client: s.client,
      });
    } catch (err) {
      throw new RegistryError(`${s.registry}${new URL(url).pathname}: ${describe(err)}`);
    }
    if (r.status !== 401 || attempt > 0) return r;
    await r.body?.cancel();
    const challenges = parseChallenges(r.headers.get("www-authenticate") ?? "");
    const bearer = challenges.find((c) => c.scheme === "bearer");
    if (bearer) await fetchToken(s, bearer.params, bearer.params.scope ?? scope);
    else if (challenges.some((c) => c.scheme === "basic") && s.creds) s.basic = true;
    else {
      throw new RegistryError(
        `registry ${s.registry}: authentication required (use --creds or berth login)`,
      );
    }
    if (bearer && bearer.params.scope && bearer.params.scope !== scope) {
      // Cache under the scope we asked for too.
      const t = tokens.get(tokenKey(s, bearer.params.scope));
      if (t) tokens.set(tokenKey(s, scope), t);
    }
  }
}

/**
 * Check credentials against the registry (for `login`): `/v2/` must answer 200.
 *
 * @throws {RegistryError} when they are refused
 */
export async function checkLogin(s: Session): Promise<void> {
  const r = await registryFetch(s, "/v2/", "");
  await r.body?.cancel();
  if (r.status === 401) {
    throw new RegistryError(`logging in to ${s.registry}: invalid username/password`);
  }
  if (!r.ok) throw new RegistryError(`logging in to ${s.registry}: registry answered ${r.status}`);
}

/** A registry error response as one line. */
export async function responseError(r: Response, what: string): Promise<RegistryError> {
  let detail = "";
  try {
    // A huge error body is not read: the status alone is the message then.
    const body = JSON.parse(new TextDecoder().decode(await readLimited(r, MAX_ERROR_BODY, what)));
    detail = (body.errors ?? []).map((e: { code?: string; message?: string }) =>
      [e.code, e.message].filter(Boolean).join(": ")
    ).join("; ");
  } catch { /* not JSON */ }
  const hint = r.status === 401 || r.status === 403 ? " (authentication required or denied)" : "";
  return new RegistryError(
    `${what}: ${r.status} ${r.statusText}${detail ? `: ${detail}` : ""}${hint}`,
  );
}
