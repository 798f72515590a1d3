/**
 * Container endpoints: create, list, inspect, start, stop, kill, restart, wait, attach, logs,
 * remove, resize, top, prune. Each is a thin translation onto one engine operation; what
 * Docker clients depend on (304s, 409s, wait headers sent before waiting, attach answered at
 * once even before start) is decided here, the lifecycle itself in the engine.
 *
 * @module
 */
import type { ApiRequest, ApiResponder, Route } from "../router.ts";
import { compareVersions } from "../router.ts";
import type { Engine } from "../../engine/engine.ts";
import {
  ContainerRunningError,
  NameInUseError,
  NoSuchContainerError,
  UsageError,
} from "../../errors.ts";
import { findContainer, tryFindContainer } from "../../engine/lookup.ts";
import { resolveRoot } from "../../engine/resolve_image.ts";
import { buildContainerSpec } from "../../engine/spec_builder.ts";
import { createContainer } from "../../engine/create.ts";
import { startContainer } from "../../engine/start.ts";
import { stopContainer } from "../../engine/stop.ts";
import { killContainer } from "../../engine/kill.ts";
import { removeContainer } from "../../engine/remove.ts";
import { removeAnonymousVolumes } from "../../engine/volumes.ts";
import { networkRecord } from "../../engine/network_attach.ts";
import { waitForContainer } from "../../engine/wait.ts";
import { parseDockerCondition, prepareDockerWait } from "../../engine/docker_wait.ts";
import { attachStream } from "../../engine/attach_stream.ts";
import { readLogs } from "../../engine/logs.ts";
import { observeContainer } from "../../engine/observe.ts";
import { syncAndCheck } from "../../engine/monitor_check.ts";
import { canStop, dockerState, hasProcess, isUp } from "../../engine/states.ts";
import { containerPaths } from "../../engine/paths.ts";
import { listContainers } from "../../store/containers.ts";
import type { ContainerRow } from "../../store/containers.ts";
import type { LogRecord } from "../../logs/k8s_file.ts";
import { parseSignal } from "../../signals.ts";
import { frame, streamId } from "../frames.ts";
import { type DockerCreateBody, dockerCreateRequest } from "./containers_create.ts";
import { dockerInspect, dockerListEntry, listedByDefault } from "./container_views.ts";
import { parseFilters, queryBool, queryTime } from "./query.ts";
import { processTable } from "./top.ts";

const MULTIPLEXED = "application/vnd.docker.multiplexed-stream";
const RAW = "application/vnd.docker.raw-stream";
const enc = new TextEncoder();

/** The container a request names, synced (404 `No such container` if none). */
function target(engine: Engine, req: ApiRequest): ContainerRow {
  const row = findContainer(engine, req.params.id);
  return syncAndCheck(engine, row.id) ?? (() => {
    throw new NoSuchContainerError(req.params.id);
  })();
}

/** The stream's content type: framed (multiplexed) unless the container has a TTY. */
function contentType(row: ContainerRow): string {
  return row.spec.tty ? RAW : MULTIPLEXED;
}

/** A record sink writing Docker frames (or raw bytes with a TTY), filtered by stream. */
function frameSink(
  row: ContainerRow,
  write: (b: Uint8Array) => Promise<void>,
  opts: { stdout: boolean; stderr: boolean; timestamps?: boolean },
) {
  return async (records: LogRecord[]) => {
    for (const r of records) {
      if (r.stream === "stdout" ? !opts.stdout : !opts.stderr) continue;
      let data = r.data;
      if (opts.timestamps) {
        const stamp = enc.encode(`${dockerTimestamp(r.time)} `);
        data = new Uint8Array(stamp.length + r.data.length);
        data.set(stamp);
        data.set(r.data, stamp.length);
      }
      await write(row.spec.tty ? data : frame(streamId(r.stream), data));
    }
  };
}

/** conmon's stamp in Docker's form: RFC 3339 in UTC with nine fraction digits. */
export function dockerTimestamp(time: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!m) return time;
  if (m[3] === "Z" || m[3] === "+00:00" || m[3] === "-00:00") {
    return `${m[1]}.${(m[2] ?? "").padEnd(9, "0").slice(0, 9)}Z`;
  }
  const ms = Date.parse(time);
  const iso = new Date(ms).toISOString().slice(0, 19);
  return `${iso}.${(m[2] ?? "").padEnd(9, "0").slice(0, 9)}Z`;
}

async function create(req: ApiRequest, res: ApiResponder, engine: Engine) {
  const body = (await req.json<DockerCreateBody>()) ?? {};
  const name = req.query.get("name")?.replace(/^\//, "") || undefined;
  if (name && tryFindContainer(engine, name)?.name === name) {
    throw new NameInUseError(name);
  }
  const request = dockerCreateRequest(body, engine.opts.config);
  const root = await resolveRoot(engine, request);
  const spec = buildContainerSpec(request, root, { runtime: engine.opts.runtime });
  const row = createContainer(engine, spec, name);
  await res.json(201, { Id: row.id, Warnings: [] });
}

/** Whether `row` passes the list's filters. */
export function passesFilters(row: ContainerRow, filters: Map<string, string[]>): boolean {
  const any = (key: string, pred: (v: string) => boolean) => {
    const values = filters.get(key);
    return !values || values.length === 0 || values.some(pred);
  };
  const labels = row.spec.labels ?? {};
  return any("id", (v) => row.id.startsWith(v)) &&
    any("name", (v) => {
      try {
        const re = new RegExp(v);
        return re.test(row.name) || re.test(`/${row.name}`);
      } catch {
        return row.name.includes(v);
      }
    }) &&
    any("status", (v) => dockerState(row.state) === v) &&
    any("ancestor", (v) =>
      row.spec.imageName === v || row.spec.imageName.endsWith(`/${v}`) ||
      row.spec.imageName === `${v}:latest` || row.spec.imageName.endsWith(`/${v}:latest`) ||
      (row.spec.imageId ?? "").startsWith(v.replace(/^sha256:/, ""))) &&
    (filters.get("label") ?? []).every((v) => {
      const eq = v.indexOf("=");
      return eq === -1 ? v in labels : labels[v.slice(0, eq)] === v.slice(eq + 1);
    });
}

async function list(req: ApiRequest, res: ApiResponder, engine: Engine) {
  const filters = parseFilters(req.query.get("filters"));
  const all = queryBool(req.query, "all");
  const limit = Number(req.query.get("limit") ?? "-1");
  const rows: ContainerRow[] = [];
  for (const listed of listContainers(engine.store)) {
    const row = await observeContainer(engine, listed.id);
    if (!row) continue;
    if (!all && !filters.has("status") && !listedByDefault(row)) continue;
    if (passesFilters(row, filters)) rows.push(row);
  }
  rows.sort((a, b) => b.createdAt - a.createdAt);
  const now = engine.now();
  const shown = limit > 0 ? rows.slice(0, limit) : rows;
  await res.json(200, shown.map((r) => dockerListEntry(r, now, networkRecord(engine, r.id))));
}

async function inspect(req: ApiRequest, res: ApiResponder, engine: Engine) {
  const row = target(engine, req);
  await res.json(
    200,
    dockerInspect(row, containerPaths(engine.paths, row.id).log, networkRecord(engine, row.id)),
  );
}

async function start(req: ApiRequest, res: ApiResponder, engine: Engine) {
  const row = target(engine, req);
  if (hasProcess(row.state)) return await res.empty(304);
  try {
    await startContainer(engine, row.id);
  } catch (err) {
    // Docker removes an AutoRemove container whose start failed; `run --rm` waits for it.
    if (row.spec.autoRemove) await removeContainer(engine, row.id, { force: true });
    throw err;
  }
  await res.empty(204);
}

function timeoutParam(req: ApiRequest): number | undefined {
  const t = req.query.get("t") ?? req.query.get("timeout");
  if (t === null || t === "") return undefined;
  const n = Number(t);
  if (!Number.isInteger(n)) throw new UsageError(`invalid timeout: ${t}`);
  return n < 0 ? 0 : n;
}

async function stop(req: ApiRequest, res: ApiResponder, engine: Engine) {
  const row = target(engine, req);
  if (!canStop(row.state)) return await res.empty(304);
  await stopContainer(engine, row.id, timeoutParam(req));
  await res.empty(204);
}

async function kill(req: ApiRequest, res: ApiResponder, engine: Engine) {
  const row = target(engine, req);
  const signal = parseSignal(req.query.get("signal") || "KILL");
  await killContainer(engine, row.id, signal);
  if (signal === 9) {
    // As Docker: a SIGKILL returns once the container has exited.
    await waitForContainer(engine, row.id, {
      conditions: new Set(["exited"]),
      intervalMs: 250,
      signal: req.signal,
    }).catch(() => {});
  }
  await res.empty(204);
}

async function restart(req: ApiRequest, res: ApiResponder, engine: Engine) {
  const row = target(engine, req);
  if (canStop(row.state)) await stopContainer(engine, row.id, timeoutParam(req));
  await startContainer(engine, row.id);
  await res.empty(204);
}

async function wait(req: ApiRequest, res: ApiResponder, engine: Engine) {
  const condition = parseDockerCondition(req.query.get("condition"));
  const row = target(engine, req); // 404 before any header
  const prepared = prepareDockerWait(engine, row.id, condition); // subscribed before headers
  const w = await res.stream(200, { "Content-Type": "application/json" });
  let body: Record<string, unknown>;
  try {
    const result = await prepared.wait(req.signal);
    body = { StatusCode: result.code };
  } catch (err) {
    if (req.signal.aborted) return;
    body = { StatusCode: -1, Error: { Message: (err as Error).message } };
  }
  await w.write(JSON.stringify(body) + "\n");
  await w.close();
}

async function attach(req: ApiRequest, res: ApiResponder, engine: Engine) {
  const row = target(engine, req); // 404 before the hijack
  const q = req.query;
  const given = ["stdin", "stdout", "stderr"].some((k) => q.has(k));
  const wantStdin = given ? queryBool(q, "stdin") : false;
  const stdout = given ? queryBool(q, "stdout") : true;
  const stderr = given ? queryBool(q, "stderr") : true;
  const stream = queryBool(q, "stream", !q.has("logs"));
  const logs = queryBool(q, "logs");
  if (!stream && !logs) throw new UsageError("at least one of stream or logs must be set");
  // Before 1.42 Docker named every attach stream raw, framed or not.
  const ct = req.version && compareVersions(req.version, "1.42") < 0 ? RAW : contentType(row);
  const conn = await res.hijack(ct);
  const gone = new AbortController();
  conn.closed.then(() => gone.abort());
  try {
    await attachStream(engine, row.id, {
      sink: frameSink(row, (b) => conn.write(b), { stdout, stderr }),
      stdin: wantStdin ? conn.readable : undefined,
      logs,
      noStream: !stream,
      signal: gone.signal,
    });
  } catch (err) {
    if (!gone.signal.aborted) throw err;
  } finally {
    await conn.close();
  }
}

async function logs(req: ApiRequest, res: ApiResponder, engine: Engine) {
  const row = target(engine, req);
  const q = req.query;
  const stdout = queryBool(q, "stdout");
  const stderr = queryBool(q, "stderr");
  if (!stdout && !stderr) {
    throw new UsageError("Bad parameters: you must choose at least one stream");
  }
  const tailArg = q.get("tail");
  const tail = tailArg === null || tailArg === "all" || tailArg === "" ? -1 : Number(tailArg);
  if (!Number.isInteger(tail)) throw new UsageError(`invalid tail: ${tailArg}`);
  const w = await res.stream(200, { "Content-Type": contentType(row) });
  await readLogs(engine, row.id, {
    sink: frameSink(row, (b) => w.write(b), {
      stdout,
      stderr,
      timestamps: queryBool(q, "timestamps"),
    }),
    tail,
    since: queryTime(q, "since"),
    until: queryTime(q, "until"),
    follow: queryBool(q, "follow"),
    signal: req.signal,
  }).catch((err) => {
    if (!req.signal.aborted) throw err;
  });
  await w.close();
}

async function remove(req: ApiRequest, res: ApiResponder, engine: Engine) {
  const row = target(engine, req);
  const force = queryBool(req.query, "force");
  if (!force && isUp(row.state)) {
    throw new ContainerRunningError(
      `cannot remove container "/${row.name}": container is running: stop the container before removing or force remove`,
    );
  }
  await removeContainer(engine, row.id, { force });
  // `v=1`: the container's anonymous volumes go with it (named ones stay), as in Docker.
  if (queryBool(req.query, "v")) await removeAnonymousVolumes(engine, row);
  await res.empty(204);
}

async function top(req: ApiRequest, res: ApiResponder, engine: Engine) {
  const row = target(engine, req);
  if (!isUp(row.state)) {
    throw new ContainerRunningError(`container ${row.id} is not running`);
  }
  await res.json(200, processTable(row.pid));
}

async function prune(_req: ApiRequest, res: ApiResponder, engine: Engine) {
  const deleted: string[] = [];
  for (const listed of listContainers(engine.store)) {
    const row = await observeContainer(engine, listed.id);
    if (!row || hasProcess(row.state)) continue;
    try {
      await removeContainer(engine, row.id, { force: false });
      deleted.push(row.id);
    } catch { /* started meanwhile: it stays */ }
  }
  await res.json(200, { ContainersDeleted: deleted, SpaceReclaimed: 0 });
}

/** The routes of this file. */
export const routes: Route[] = [
  { method: "POST", pattern: "/containers/create", handler: create },
  { method: "GET", pattern: "/containers/json", handler: list },
  { method: "POST", pattern: "/containers/prune", handler: prune },
  { method: "GET", pattern: "/containers/{id}/json", handler: inspect },
  { method: "POST", pattern: "/containers/{id}/start", handler: start },
  { method: "POST", pattern: "/containers/{id}/stop", handler: stop },
  { method: "POST", pattern: "/containers/{id}/kill", handler: kill },
  { method: "POST", pattern: "/containers/{id}/restart", handler: restart },
  { method: "POST", pattern: "/containers/{id}/wait", handler: wait },
  { method: "POST", pattern: "/containers/{id}/attach", handler: attach },
  { method: "GET", pattern: "/containers/{id}/logs", handler: logs },
  { method: "DELETE", pattern: "/containers/{id}", handler: remove },
  {
    method: "POST",
    pattern: "/containers/{id}/resize",
    handler: async (req, res, engine) => {
      target(engine, req);
      await res.empty(200);
    },
  },
  { method: "GET", pattern: "/containers/{id}/top", handler: top },
];
