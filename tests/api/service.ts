/**
 * Test harness for the API: `berth system service --time 0 unix://<tmp>/s.sock` on a sandbox
 * store, a tiny raw HTTP client over the socket, the real docker CLI pointed at it, and a
 * busybox image imported into the store.
 *
 * @module
 */
import { join } from "node:path";
import { busyboxRootfs, type Result, type Sandbox, sandbox } from "../helpers.ts";
import { concat } from "../../src/io.ts";

export { concat };

/** A running service on a private store. */
export interface Service {
  sb: Sandbox;
  /** The socket's path. */
  socket: string;
  /** `DOCKER_HOST` for it. */
  host: string;
  /** The service process. */
  child: Deno.ChildProcess;
  /** Run the docker CLI against the service. */
  docker(args: string[], opts?: DockerOptions): Promise<Result>;
  /** One request on a fresh connection (`Connection: close`), the whole answer parsed. */
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpAnswer>;
  /** Stop the service (SIGTERM) and clean the sandbox. */
  stop(): Promise<void>;
}

/** Options of one docker CLI run. */
export interface DockerOptions {
  input?: Uint8Array | string;
  timeoutMs?: number;
}

/** A parsed HTTP answer. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Uint8Array;
  text: string;
}

/** The docker CLI the tests drive (fail, not skip, when it is missing). */
export const DOCKER = "/usr/local/bin/docker";

/** Wait until a unix socket accepts connections. */
export async function waitForSocket(path: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const c = await Deno.connect({ transport: "unix", path });
      c.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`service socket ${path} never came up: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Start a service on a fresh sandbox (or `sb`), with `extra` flags before the URI. */
export async function startService(
  sb: Sandbox = sandbox("berth-api-"),
  extra: string[] = [],
): Promise<Service> {
  const socket = join(sb.dir, "s.sock");
  const child = sb.spawn(["system", "service", "--time", "0", ...extra, `unix://${socket}`]);
  // Keep the pipes drained (a full pipe would block the service) and the text for failures.
  const stderrText = new Response(child.stderr).text();
  child.stdout.cancel().catch(() => {});
  try {
    await waitForSocket(socket);
  } catch (err) {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
    throw new Error(`${(err as Error).message}\nservice stderr: ${await stderrText}`);
  }
  const host = `unix://${socket}`;
  return {
    sb,
    socket,
    host,
    child,
    async docker(args, opts = {}) {
      const cmd = new Deno.Command(DOCKER, {
        args,
        env: { DOCKER_HOST: host, DOCKER_CONFIG: join(sb.dir, "docker-config") },
        stdin: opts.input === undefined ? "null" : "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      if (opts.input !== undefined) {
        const w = cmd.stdin.getWriter();
        const bytes = typeof opts.input === "string"
          ? new TextEncoder().encode(opts.input)
          : opts.input;
        w.write(bytes).then(() => w.close()).catch(() => {});
      }
      const timer = setTimeout(() => {
        try {
          cmd.kill("SIGKILL");
        } catch { /* exited */ }
      }, opts.timeoutMs ?? 60_000);
      const out = await cmd.output();
      clearTimeout(timer);
      return {
        code: out.code,
        stdout: new TextDecoder().decode(out.stdout),
        stderr: new TextDecoder().decode(out.stderr),
        stdoutBytes: out.stdout,
      };
    },
    request: (method, path, body, headers) => httpRequest(socket, method, path, body, headers),
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* exited */ }
      await child.status;
      await stderrText.catch(() => "");
      await sb.cleanup();
    },
  };
}

/** Import the busybox rootfs as image `name` (CMD sh), through the CLI. */
export async function importBusybox(svc: Service, name = "bb"): Promise<void> {
  const rootfs = await busyboxRootfs();
  const tar = join(svc.sb.dir, "rootfs.tar");
  const t = await new Deno.Command("tar", { args: ["-C", rootfs, "-cf", tar, "."] }).output();
  if (t.code !== 0) throw new Error("tar of the busybox rootfs failed");
  const r = await svc.sb.berth(["import", "-c", 'CMD ["sh"]', tar, name]);
  if (r.code !== 0) throw new Error(`berth import failed: ${r.stderr}`);
}

const enc = new TextEncoder();

/** Read a connection to its end. */
export async function readToEnd(conn: Deno.Conn): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const buf = new Uint8Array(65536);
  for (;;) {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) break;
    parts.push(buf.slice(0, n));
  }
  return concat(parts);
}

/** Parse one complete HTTP response (status, headers, body de-chunked). */
export function parseAnswer(bytes: Uint8Array): HttpAnswer {
  const headEnd = findSeq(bytes, enc.encode("\r\n\r\n"));
  if (headEnd === -1) {
    throw new Error(`no HTTP head in ${JSON.stringify(new TextDecoder().decode(bytes))}`);
  }
  const lines = new TextDecoder().decode(bytes.subarray(0, headEnd)).split("\r\n");
  const status = Number(lines[0].split(" ")[1]);
  const headers = new Headers();
  for (const l of lines.slice(1)) {
    const i = l.indexOf(":");
    headers.append(l.slice(0, i), l.slice(i + 1).trim());
  }
  let body = bytes.subarray(headEnd + 4);
  if (headers.get("transfer-encoding") === "chunked") body = dechunk(body);
  return { status, headers, body, text: new TextDecoder().decode(body) };
}

function dechunk(b: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let pos = 0;
  for (;;) {
    const eol = findSeq(b, enc.encode("\r\n"), pos);
    if (eol === -1) break;
    const size = parseInt(new TextDecoder().decode(b.subarray(pos, eol)), 16);
    if (!size) break;
    parts.push(b.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
  return concat(parts);
}

/** Index of `needle` in `hay` from `from`, or -1. */
export function findSeq(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** One request on its own connection with `Connection: close`; the whole answer. */
export async function httpRequest(
  socket: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const conn = await Deno.connect({ transport: "unix", path: socket });
  try {
    const payload = body === undefined
      ? new Uint8Array()
      : typeof body === "string"
      ? enc.encode(body)
      : enc.encode(JSON.stringify(body));
    let head = `${method} ${path} HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    if (body !== undefined) {
      head += `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n`;
    }
    await conn.write(concat([enc.encode(head + "\r\n"), payload]));
    return parseAnswer(await readToEnd(conn));
  } finally {
    try {
      conn.close();
    } catch { /* closed */ }
  }
}
