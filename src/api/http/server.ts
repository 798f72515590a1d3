/**
 * berth's own HTTP/1.1 server for one connection: keep-alive, pipelined requests, bounded
 * heads (431) and JSON bodies (413), Content-Length and chunked bodies, chunked responses
 * flushed per write, and a "hijack" that hands the raw connection to the handler (attach,
 * exec) with half-close kept apart from disconnect. Each connection runs on its own, so a slow
 * or vanished client never holds up another; a disconnect aborts its request's `signal`.
 *
 * Why not `Deno.serve` or `node:http`: `Deno.serve` can upgrade only to WebSocket; `node:http`
 * fires `upgrade` for `Upgrade:` requests, but a raw stream answered with `200` (what clients
 * without `Upgrade:` get) is parsed by it as the next request.
 *
 * @module
 */
import type { ApiRequest, ApiResponder, HijackedConn, StreamWriter } from "../router.ts";
import { ConnReader } from "./conn_reader.ts";
import { bodyFraming, keepAlive, parseHead, type RequestHead } from "./head.ts";
import { BadRequestError, HeadersTooLargeError } from "../../errors.ts";
import { bodyReader, readAllBounded } from "./body.ts";

/** Limits and hooks of the server. */
export interface ServerOptions {
  /** The largest request head (request line + headers) accepted; larger is 431. */
  maxHeaderBytes: number;
  /** The largest body `json()` reads; larger is 413. */
  maxJsonBytes: number;
  /** Headers sent on every response (Api-Version, Server, …). */
  baseHeaders: Record<string, string>;
  /** How long a request head may take once its first byte arrived (a client that hangs). */
  headTimeoutMs?: number;
  /** The status and message an error thrown by a handler is answered with. */
  errorResponse(err: unknown): { status: number; message: string };
}

/** Handles one request (the router, in serve.ts). */
export type Dispatch = (req: ApiRequest, res: ApiResponder) => Promise<void>;

const enc = new TextEncoder();
const HEAD_END = new Uint8Array([13, 10, 13, 10]);

const REASONS: Record<number, string> = {
  101: "UPGRADED",
  200: "OK",
  201: "Created",
  204: "No Content",
  304: "Not Modified",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
};

/** The status line and header block, ending with the blank line. */
export function responseHead(status: number, headers: Record<string, string>): Uint8Array {
  let text = `HTTP/1.1 ${status} ${REASONS[status] ?? "Status"}\r\n`;
  for (const [k, v] of Object.entries(headers)) text += `${k}: ${v}\r\n`;
  return enc.encode(text + "\r\n");
}

/** Serialises writes on the connection and remembers a failure (the client is gone). */
class ConnWriter {
  #tail: Promise<void> = Promise.resolve();
  gone = false;
  #onGone: () => void;
  constructor(readonly conn: Deno.Conn, onGone: () => void) {
    this.#onGone = onGone;
  }
  write(bytes: Uint8Array): Promise<void> {
    const run = this.#tail.then(async () => {
      if (this.gone) throw new Error("the client is gone");
      try {
        let off = 0;
        while (off < bytes.length) off += await this.conn.write(bytes.subarray(off));
      } catch (err) {
        this.gone = true;
        this.#onGone();
        throw err;
      }
    });
    this.#tail = run.catch(() => {});
    return run;
  }
}

/** Serve requests on `conn` until it closes; never throws. */
export async function serveConnection(
  conn: Deno.Conn,
  dispatch: Dispatch,
  opts: ServerOptions,
): Promise<void> {
  const reader = new ConnReader(conn);
  let closed = false;
  const goneWaiters: (() => void)[] = [];
  let currentAbort: AbortController | undefined;
  const writer = new ConnWriter(conn, () => {
    currentAbort?.abort();
    for (const w of goneWaiters.splice(0)) w();
  });
  const close = () => {
    if (closed) return;
    closed = true;
    try {
      conn.close();
    } catch { /* already closed */ }
    for (const w of goneWaiters.splice(0)) w();
  };
  try {
    for (;;) {
      let head: RequestHead;
      // An idle connection may wait for its next request for ever; a started head may not.
      let headStart = 0;
      const watchdog = setInterval(() => {
        if (reader.buffered === 0) return;
        headStart ||= Date.now();
        if (Date.now() - headStart > (opts.headTimeoutMs ?? 30_000)) close();
      }, Math.min(1000, (opts.headTimeoutMs ?? 30_000) / 4));
      try {
        const bytes = await reader.readUntil(
          HEAD_END,
          opts.maxHeaderBytes,
          () => new HeadersTooLargeError("request header fields too large"),
        ).finally(() => clearInterval(watchdog));
        if (!bytes) return; // the client closed between requests
        head = parseHead(new TextDecoder().decode(bytes));
      } catch (err) {
        await sendPlainError(writer, opts, err).catch(() => {});
        return;
      }
      const keep = await serveOne(head, reader, writer, dispatch, opts, {
        setAbort: (a) => currentAbort = a,
        onGone: (fn) => goneWaiters.push(fn),
        close,
      });
      if (!keep || closed || writer.gone) return;
    }
  } finally {
    close();
  }
}

async function sendPlainError(writer: ConnWriter, opts: ServerOptions, err: unknown) {
  const status = err instanceof BadRequestError ? err.httpStatus : 400;
  const body = enc.encode(JSON.stringify({ message: (err as Error).message }) + "\n");
  await writer.write(responseHead(status, {
    ...opts.baseHeaders,
    "Content-Type": "application/json",
    "Content-Length": String(body.length),
    "Connection": "close",
  }));
  await writer.write(body);
}

type Phase = "none" | "sent" | "streaming" | "hijacked";

interface ConnHooks {
  setAbort(a: AbortController | undefined): void;
  onGone(fn: () => void): void;
  close(): void;
}

/** Serve one request; true if the connection may carry the next one. */
async function serveOne(
  head: RequestHead,
  reader: ConnReader,
  writer: ConnWriter,
  dispatch: Dispatch,
  opts: ServerOptions,
  hooks: ConnHooks,
): Promise<boolean> {
  let keep = keepAlive(head);
  let framing;
  try {
    framing = bodyFraming(head.headers);
  } catch (err) {
    await sendPlainError(writer, opts, err).catch(() => {});
    return false;
  }
  if (framing.kind !== "none" && head.headers.get("expect")?.toLowerCase() === "100-continue") {
    // curl waits (a second) for this before it sends a body larger than 1 KiB.
    await writer.write(enc.encode("HTTP/1.1 100 Continue\r\n\r\n")).catch(() => {});
  }
  const body = bodyReader(reader, framing);
  const abort = new AbortController();
  hooks.setAbort(abort);
  const url = new URL(head.target, "http://berth");
  const isHead = head.method === "HEAD";
  const st: { phase: Phase } = { phase: "none" };
  let streamOpen = false;
  const base = () => ({ ...opts.baseHeaders, ...(keep ? {} : { "Connection": "close" }) });

  const begin = (next: Phase) => {
    if (st.phase !== "none") throw new Error(`response already ${st.phase}`);
    st.phase = next;
  };
  const res: ApiResponder = {
    async json(status, value, headers = {}) {
      begin("sent");
      const bytes = enc.encode(JSON.stringify(value) + "\n");
      await writer.write(responseHead(status, {
        ...base(),
        "Content-Type": "application/json",
        ...headers,
        "Content-Length": String(bytes.length),
      }));
      if (!isHead) await writer.write(bytes);
    },
    async empty(status, headers = {}) {
      begin("sent");
      const noLength = status === 204 || status === 304 || status < 200;
      await writer.write(
        responseHead(status, {
          ...base(),
          ...headers,
          ...(noLength ? {} : { "Content-Length": "0" }),
        }),
      );
    },
    async stream(status, headers) {
      begin("streaming");
      streamOpen = !isHead;
      await writer.write(responseHead(status, {
        ...base(),
        ...headers,
        ...(isHead ? { "Content-Length": "0" } : { "Transfer-Encoding": "chunked" }),
      }));
      const sw: StreamWriter = {
        async write(chunk) {
          if (!streamOpen) return;
          const data = typeof chunk === "string" ? enc.encode(chunk) : chunk;
          if (data.length === 0) return;
          const sizeLine = enc.encode(data.length.toString(16) + "\r\n");
          const out = new Uint8Array(sizeLine.length + data.length + 2);
          out.set(sizeLine);
          out.set(data, sizeLine.length);
          out.set([13, 10], sizeLine.length + data.length);
          await writer.write(out);
        },
        async close() {
          if (!streamOpen) return;
          streamOpen = false;
          await writer.write(enc.encode("0\r\n\r\n"));
        },
      };
      return sw;
    },
    async hijack(contentType) {
      begin("hijacked");
      keep = false;
      const upgrade = head.headers.get("upgrade") !== null;
      const headers: Record<string, string> = upgrade
        ? { "Content-Type": contentType, "Connection": "Upgrade", "Upgrade": "tcp" }
        : { "Content-Type": contentType };
      const { Connection: _drop, ...rest } = base() as Record<string, string>;
      await writer.write(responseHead(upgrade ? 101 : 200, { ...rest, ...headers }));
      let resolveClosed!: () => void;
      const closed = new Promise<void>((r) => resolveClosed = r);
      hooks.onGone(resolveClosed);
      if (writer.gone) resolveClosed();
      const readable = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const chunk = await reader.readSome();
          if (chunk === null) controller.close();
          else controller.enqueue(chunk);
        },
      }, { highWaterMark: 0 });
      const conn: HijackedConn = {
        readable,
        write: (chunk) => writer.write(chunk),
        async close() {
          await writer.write(new Uint8Array()).catch(() => {}); // after queued writes
          hooks.close();
        },
        closed,
      };
      return conn;
    },
  };
  const req: ApiRequest = {
    method: head.method,
    path: url.pathname,
    version: undefined,
    params: {},
    query: url.searchParams,
    headers: head.headers,
    body: body.stream,
    async json<T>() {
      let bytes: Uint8Array;
      try {
        bytes = await readAllBounded(body.stream, opts.maxJsonBytes);
      } catch (err) {
        throw err instanceof BadRequestError ? err : new BadRequestError((err as Error).message);
      }
      const text = new TextDecoder().decode(bytes).trim();
      if (text === "") return undefined;
      try {
        return JSON.parse(text) as T;
      } catch (err) {
        throw new BadRequestError(`invalid JSON body: ${(err as Error).message}`);
      }
    },
    signal: abort.signal,
  };

  // Watch for the client going away once the body has been read: a read EOF (or error) on a
  // request that is not hijacked means the client is gone; bytes read are the next request.
  let running = true;
  const handled = (async () => {
    try {
      await dispatch(req, res);
    } catch (err) {
      if (st.phase === "none" && !writer.gone) {
        const { status, message } = err instanceof BadRequestError
          ? { status: err.httpStatus, message: err.message }
          : opts.errorResponse(err);
        await res.json(status, { message }).catch(() => {});
      } else {
        keep = false; // a response broken off half-way cannot be followed by another
      }
    } finally {
      running = false;
    }
  })();
  const watch = (async () => {
    while (running && st.phase !== "hijacked" && !body.finished()) {
      await Promise.race([handled, new Promise((r) => setTimeout(r, 20))]);
    }
    while (
      running && st.phase !== "hijacked" && !reader.eof && reader.buffered < opts.maxHeaderBytes
    ) {
      await Promise.race([handled, reader.fill()]);
    }
    if (running && st.phase !== "hijacked" && reader.eof) abort.abort();
  })();
  await handled;
  hooks.setAbort(undefined);
  if (st.phase === "none") {
    await res.json(500, { message: "no response" }).catch(() => {});
  }
  if (st.phase === "streaming" && streamOpen) {
    streamOpen = false; // the handler did not end its body: end it here
    await writer.write(enc.encode("0\r\n\r\n")).catch(() => {});
  }
  if (st.phase === "hijacked") {
    hooks.close();
    return false;
  }
  void watch;
  if (!body.finished()) {
    // The handler left (part of) the body unread: skip it if small, else give up the connection.
    try {
      await readAllBounded(body.stream, 1 << 20);
    } catch {
      return false;
    }
  }
  return keep && !reader.failed;
}
