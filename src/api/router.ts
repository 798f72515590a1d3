/**
 * The API's request/response types every route handler sees, and the pure routing rules:
 * the `/v1.NN` version prefix, and matching a path against route patterns such as
 * `/containers/{id}/wait` (a `{name*}` segment takes one or more segments, for image names
 * with slashes: `/images/{name*}/json`).
 *
 * @module
 */
import type { Engine } from "../engine/engine.ts";
import { ApiVersionError } from "../errors.ts";

/** The API version berth speaks and advertises (podman's too). */
export const API_VERSION = "1.44";
/** The oldest version prefix accepted. */
export const MIN_API_VERSION = "1.24";

/** One parsed request, as a handler sees it. `path` has the `/v1.NN` prefix removed. */
export interface ApiRequest {
  /** "GET", "POST", "HEAD", "PUT", "DELETE". */
  method: string;
  /** e.g. "/containers/abc/wait". */
  path: string;
  /** "1.44" when the client sent /v1.44/..., else undefined. */
  version: string | undefined;
  /** From the route pattern, e.g. { id: "abc" } (URL-decoded). */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Headers;
  /** The request body (chunked or Content-Length), as a stream; an empty stream if none. */
  body: ReadableStream<Uint8Array>;
  /**
   * Reads the whole body (bounded) as JSON; undefined when it is empty.
   *
   * @throws {UsageError} (400) on malformed JSON or a body over the limit
   */
  json<T>(): Promise<T | undefined>;
  /** Aborted when the client disconnects (not on half-close after a hijack). */
  signal: AbortSignal;
}

/** How a handler answers. Exactly one of these per request. */
export interface ApiResponder {
  /** A JSON body with its Content-Length (`application/json`, exactly). */
  json(status: number, body: unknown, headers?: Record<string, string>): Promise<void>;
  /** No body: 204, 304, HEAD answers, … */
  empty(status: number, headers?: Record<string, string>): Promise<void>;
  /** Status line + headers go out now; then chunks (chunked encoding), each flushed at once. */
  stream(status: number, headers: Record<string, string>): Promise<StreamWriter>;
  /** 101 UPGRADED (when the client asked for Upgrade: tcp) or 200, sent at once; then the raw conn. */
  hijack(contentType: string): Promise<HijackedConn>;
}

/** A chunked response body. */
export interface StreamWriter {
  /** Send one chunk, flushed at once; rejects once the client is gone. */
  write(chunk: Uint8Array | string): Promise<void>;
  /** End the body (the last chunk). */
  close(): Promise<void>;
}

/** The raw connection after a hijack. */
export interface HijackedConn {
  /** What the client sends; ends at the client's half-close. */
  readable: ReadableStream<Uint8Array>;
  /** Write raw bytes; rejects once the client is gone. */
  write(chunk: Uint8Array): Promise<void>;
  /** Closes the connection (after output is drained). */
  close(): Promise<void>;
  /** Resolves when the client is gone entirely (a write failed, or the connection closed). */
  closed: Promise<void>;
}

/** A route's handler. */
export type Handler = (req: ApiRequest, res: ApiResponder, engine: Engine) => Promise<void>;

/** One endpoint: method, pattern (`/containers/{id}/wait`), handler. */
export interface Route {
  method: string;
  pattern: string;
  handler: Handler;
}

/**
 * Split `/v1.44/containers/json` into the version and the rest; unversioned paths pass as
 * they are.
 *
 * @throws {ApiVersionError} for a version above {@linkcode API_VERSION} or below the minimum
 */
export function splitVersion(path: string): { version?: string; path: string } {
  const m = /^\/v(\d+)\.(\d+)(\/.*)?$/.exec(path);
  if (!m) return { path };
  const version = `${Number(m[1])}.${Number(m[2])}`;
  if (compareVersions(version, API_VERSION) > 0) {
    throw new ApiVersionError(
      `client version ${version} is too new. Maximum supported API version is ${API_VERSION}`,
    );
  }
  if (compareVersions(version, MIN_API_VERSION) < 0) {
    throw new ApiVersionError(
      `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`,
    );
  }
  return { version, path: m[3] ?? "/" };
}

/** Compare two `major.minor` versions: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const [am, an] = a.split(".").map(Number);
  const [bm, bn] = b.split(".").map(Number);
  return am !== bm ? am - bm : (an ?? 0) - (bn ?? 0);
}

/** Match `path` (already without its version) against `pattern`; the params, or undefined. */
export function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const pat = pattern.split("/").filter(Boolean);
  const segs = path.split("/").filter(Boolean);
  const params: Record<string, string> = {};
  const go = (i: number, j: number): boolean => {
    if (i === pat.length) return j === segs.length;
    const p = pat[i];
    const m = /^\{(\w+)(\*)?\}$/.exec(p);
    if (!m) return j < segs.length && segs[j] === p && go(i + 1, j + 1);
    if (!m[2]) {
      if (j >= segs.length) return false;
      params[m[1]] = decode(segs[j]);
      return go(i + 1, j + 1);
    }
    // Greedy, but leave the rest of the pattern its segments.
    for (let k = segs.length; k > j; k--) {
      if (go(i + 1, k)) {
        params[m[1]] = decode(segs.slice(j, k).join("/"));
        return true;
      }
    }
    return false;
  };
  return go(0, 0) ? params : undefined;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The route for `method path`, with its params; a `HEAD` is served by a `GET` route when it
 * has none of its own.
 */
export function findRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const m of method === "HEAD" ? ["HEAD", "GET"] : [method]) {
    for (const route of routes) {
      if (route.method !== m) continue;
      const params = matchPattern(route.pattern, path);
      if (params) return { route, params };
    }
  }
  return undefined;
}
