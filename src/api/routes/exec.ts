/**
 * Exec endpoints: `POST /containers/{id}/exec` (create), `POST /exec/{id}/start` (hijacked,
 * multiplexed frames unless Tty; or `Detach`), `GET /exec/{id}/json`, `POST /exec/{id}/resize`.
 *
 * The exit code is recorded before the stream is closed: the docker CLI reads
 * `GET /exec/{id}/json` once, right after EOF, and a null `ExitCode` would read as 0.
 *
 * @module
 */
import type { ApiRequest, ApiResponder, HijackedConn, Route } from "../router.ts";
import type { Engine } from "../../engine/engine.ts";
import { execInContainer, execTarget } from "../../engine/exec.ts";
import { findContainer } from "../../engine/lookup.ts";
import { parseImageUser } from "../../image/user.ts";
import {
  BerthError,
  ConflictError,
  errorMessage,
  NoSuchExecError,
  UsageError,
} from "../../errors.ts";
import { frame } from "../frames.ts";
import { addExec, endExec, type ExecConfig, type ExecSession, getExec } from "../exec_sessions.ts";

/** The create body's fields berth reads (others are accepted and ignored). */
interface ExecCreateBody {
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Tty?: boolean;
  Env?: string[] | null;
  WorkingDir?: string;
  Cmd?: string[] | string | null;
  User?: string;
  Privileged?: boolean;
  ConsoleSize?: [number, number] | null;
}

/** The create body as berth's exec config. */
export function execConfig(body: ExecCreateBody): ExecConfig {
  const cmd = typeof body.Cmd === "string" ? [body.Cmd] : body.Cmd ?? [];
  if (cmd.length === 0) throw new UsageError("No exec command specified");
  return {
    cmd,
    env: body.Env ?? [],
    workdir: body.WorkingDir || undefined,
    user: body.User || undefined,
    tty: body.Tty === true,
    privileged: body.Privileged === true,
    attachStdin: body.AttachStdin === true,
    attachStdout: body.AttachStdout === true,
    attachStderr: body.AttachStderr === true,
    consoleSize: validSize(body.ConsoleSize),
  };
}

/** A `ConsoleSize` `[rows, cols]` worth applying (clients without a terminal send 0x0). */
function validSize(size: [number, number] | null | undefined): [number, number] | undefined {
  return size?.length === 2 && size[0] > 0 && size[1] > 0 ? size : undefined;
}

/** `GET /exec/{id}/json`'s body: Docker's ExecInspect. */
export function execInspect(s: ExecSession): Record<string, unknown> {
  return {
    ID: s.id,
    Running: s.running,
    ExitCode: s.exitCode,
    ProcessConfig: {
      tty: s.config.tty,
      entrypoint: s.config.cmd[0],
      arguments: s.config.cmd.slice(1),
      privileged: s.config.privileged,
      user: s.config.user ?? "",
    },
    OpenStdin: s.config.attachStdin,
    OpenStderr: s.config.attachStderr,
    OpenStdout: s.config.attachStdout,
    CanRemove: false,
    ContainerID: s.containerId,
    DetachKeys: "",
    Pid: s.pid(),
  };
}

function session(req: ApiRequest): ExecSession {
  const s = getExec(req.params.id);
  if (!s) throw new NoSuchExecError(req.params.id);
  return s;
}

/** Start `s`'s process; resolves with its exit code once its output has been relayed. */
async function runExec(
  engine: Engine,
  s: ExecSession,
  conn: HijackedConn | undefined,
  consoleSize?: [number, number],
): Promise<number> {
  const c = s.config;
  const sink = (stream: 1 | 2) => async (chunk: Uint8Array) => {
    // With a TTY the streams are one raw stream, as a terminal merges them.
    await conn!.write(c.tty ? chunk : frame(stream, chunk));
  };
  s.running = true;
  try {
    return await execInContainer(engine, s.containerId, {
      command: c.cmd,
      env: c.env,
      workdir: c.workdir,
      user: c.user === undefined ? undefined : (rootfs) => parseImageUser(c.user!, [rootfs]),
      tty: c.tty,
      detach: false,
    }, {
      stdin: conn && c.attachStdin ? conn.readable : null,
      stdout: conn && c.attachStdout ? sink(1) : null,
      stderr: conn && c.attachStderr ? sink(c.tty ? 1 : 2) : null,
      onStarted: (_kill, pid, resize) => {
        s.pid = () => pid() ?? 0;
        s.resize = resize;
        return () => {};
      },
      consoleSize,
    });
  } catch (err) {
    // As moby: the start error goes into the stream, the code (126/127) into the record.
    if (conn && c.attachStdout) {
      await sink(1)(new TextEncoder().encode(errorMessage(err) + "\r\n")).catch(() => {});
    }
    return err instanceof BerthError ? err.exitCode : 126;
  }
}

async function create(req: ApiRequest, res: ApiResponder, engine: Engine) {
  const body = await req.json<ExecCreateBody>() ?? {};
  const config = execConfig(body);
  const row = findContainer(engine, req.params.id);
  execTarget(engine, row.id);
  const s = addExec(row.id, config);
  await res.json(201, { Id: s.id });
}

async function start(req: ApiRequest, res: ApiResponder, engine: Engine) {
  const s = session(req);
  const body = await req.json<
    { Detach?: boolean; Tty?: boolean; ConsoleSize?: [number, number] | null }
  >() ?? {};
  if (s.started) throw new ConflictError(`Exec command ${s.id} is already running`);
  // Before the hijack, so a stopped container is a plain 409.
  execTarget(engine, s.containerId);
  s.started = true;
  if (body.Tty !== undefined) s.config.tty = body.Tty;
  if (body.Detach) {
    runExec(engine, s, undefined).then((code) => endExec(s, code));
    return await res.empty(200);
  }
  const conn = await res.hijack(
    s.config.tty
      ? "application/vnd.docker.raw-stream"
      : "application/vnd.docker.multiplexed-stream",
  );
  const size = validSize(body.ConsoleSize) ?? s.config.consoleSize;
  const code = await runExec(engine, s, conn, size);
  endExec(s, code);
  await conn.close();
}

/** The routes of this file. */
export const routes: Route[] = [
  { method: "POST", pattern: "/containers/{id}/exec", handler: create },
  { method: "POST", pattern: "/exec/{id}/start", handler: start },
  {
    method: "GET",
    pattern: "/exec/{id}/json",
    handler: async (req, res) => await res.json(200, execInspect(session(req))),
  },
  {
    method: "POST",
    pattern: "/exec/{id}/resize",
    handler: async (req, res) => {
      const h = Number(req.query.get("h") ?? 0);
      const w = Number(req.query.get("w") ?? 0);
      if (!Number.isInteger(h) || !Number.isInteger(w) || h < 0 || w < 0) {
        throw new UsageError("h and w must be non-negative integers");
      }
      // A client without a terminal of its own sends 0x0: keep the size there is.
      if (h > 0 && w > 0) session(req).resize(h, w);
      await res.empty(200);
    },
  },
];
