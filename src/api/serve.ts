/**
 * The API service: listen on a unix socket, serve each connection with berth's HTTP/1.1
 * server, route requests (version prefix, patterns) to the route table, and turn errors into
 * Docker's `{"message": …}` bodies. Stops when `signal` aborts, or after `idleSeconds` with no
 * connection open.
 *
 * @module
 */
import { dirname } from "../path.ts";
import type { Engine } from "../engine/engine.ts";
import {
  BerthError,
  errorMessage,
  NoSuchContainerError,
  NoSuchImageError,
  UsageError,
} from "../errors.ts";
import { log } from "../log.ts";
import { API_VERSION, findRoute, type Route, splitVersion } from "./router.ts";
import { type Dispatch, serveConnection, type ServerOptions } from "./http/server.ts";
import { ROUTES } from "./routes/mod.ts";

/** Options of {@linkcode serve}. */
export interface ServeOptions {
  /** The socket's path. */
  path: string;
  /** Stop after this many seconds with no open connection; 0 serves forever. */
  idleSeconds: number;
  /** Stops the service. */
  signal?: AbortSignal;
  /** The route table (default: every route berth has). */
  routes?: readonly Route[];
}

/** The status for an error a handler threw: its class's `httpStatus`, else 500. */
export function errorStatus(err: unknown): number {
  if (err instanceof BerthError) return err.httpStatus;
  return 500;
}

/** The message for an error, in Docker's words where clients match on them. */
export function errorText(err: unknown): string {
  if (err instanceof NoSuchContainerError) return `No such container: ${err.nameOrId}`;
  if (err instanceof NoSuchImageError) return `No such image: ${err.ref}`;
  return errorMessage(err);
}

/** Headers on every response. */
export const BASE_HEADERS: Record<string, string> = {
  "Api-Version": API_VERSION,
  "Docker-Experimental": "false",
  "Ostype": "linux",
  "Server": "berth",
};

const SERVER_OPTIONS: ServerOptions = {
  maxHeaderBytes: 64 * 1024,
  maxJsonBytes: 32 * 1024 * 1024,
  baseHeaders: BASE_HEADERS,
  errorResponse: (err) => ({ status: errorStatus(err), message: errorText(err) }),
};

/** The dispatcher: version prefix, route lookup, 404 for an unknown endpoint. */
export function router(engine: Engine, routes: readonly Route[]): Dispatch {
  return async (req, res) => {
    const { version, path } = splitVersion(req.path);
    const found = findRoute(routes, req.method, path);
    if (!found) {
      await res.json(404, { message: "page not found" });
      return;
    }
    log("debug", `api ${req.method} ${req.path}`);
    await found.route.handler({ ...req, path, version, params: found.params }, res, engine);
  };
}

/**
 * Prepare the socket's place: its directory (0700 when created here), and a stale socket
 * from a service that died removed; a live one or a file that is not a socket is refused.
 *
 * @throws {UsageError} when the path is in use
 */
async function prepareSocketPath(path: string): Promise<void> {
  try {
    Deno.statSync(dirname(path));
  } catch {
    Deno.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  }
  let st: Deno.FileInfo;
  try {
    st = Deno.lstatSync(path);
  } catch {
    return;
  }
  if (!st.isSocket) throw new UsageError(`${path} exists and is not a socket`);
  try {
    const c = await Deno.connect({ transport: "unix", path });
    c.close();
    throw new UsageError(`${path}: another service is listening on it`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    Deno.removeSync(path); // nobody listens: left by a service that died
  }
}

/**
 * Serve the API on `opts.path` until `opts.signal` aborts or the idle time passes.
 *
 * @throws {UsageError} when the socket path cannot be used
 */
export async function serve(engine: Engine, opts: ServeOptions): Promise<void> {
  await prepareSocketPath(opts.path);
  const listener = Deno.listen({ transport: "unix", path: opts.path });
  Deno.chmodSync(opts.path, 0o660);
  const dispatch = router(engine, opts.routes ?? ROUTES);
  let live = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    try {
      listener.close();
    } catch { /* closed */ }
  };
  const armIdle = () => {
    if (opts.idleSeconds > 0 && live === 0) {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(stop, opts.idleSeconds * 1000);
    }
  };
  opts.signal?.addEventListener("abort", stop, { once: true });
  armIdle();
  try {
    for await (const conn of listener) {
      live++;
      clearTimeout(idleTimer);
      serveConnection(conn, dispatch, SERVER_OPTIONS).finally(() => {
        live--;
        armIdle();
      });
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.BadResource)) throw err;
  } finally {
    clearTimeout(idleTimer);
    opts.signal?.removeEventListener("abort", stop);
    try {
      Deno.removeSync(opts.path);
    } catch { /* gone */ }
  }
}
