/**
 * Typed queries on the `containers` table. No decisions here: callers wrap these in
 * {@linkcode immediate} transactions and decide what to write.
 *
 * @module
 */
import type { Store } from "./db.ts";
import type { State } from "../spec.ts";
import type { ContainerSpec } from "../spec.ts";

/** One row of the containers table, decoded. */
export interface ContainerRow {
  id: string;
  name: string;
  state: State;
  spec: ContainerSpec;
  createdAt: number;
  incarnation: number;
  pid: number;
  conmonPid: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number | null;
  error: string;
  stateSince: number;
  /** Restarts by the restart policy since the user last started it (inspect `RestartCount`). */
  restartCount: number;
  /** `stop`/`kill` asked for this exit: no restart policy may undo it (podman's StoppedByUser). */
  stoppedByUser: boolean;
}

interface RawRow {
  id: string;
  name: string;
  state: string;
  spec: string;
  created_at: number;
  incarnation: number;
  pid: number;
  conmon_pid: number;
  started_at: number;
  finished_at: number;
  exit_code: number | null;
  error: string;
  state_since: number;
  restart_count: number;
  stopped_by_user: number;
}

function decode(r: RawRow): ContainerRow {
  return {
    id: r.id,
    name: r.name,
    state: r.state as State,
    spec: JSON.parse(r.spec),
    createdAt: Number(r.created_at),
    incarnation: Number(r.incarnation),
    pid: Number(r.pid),
    conmonPid: Number(r.conmon_pid),
    startedAt: Number(r.started_at),
    finishedAt: Number(r.finished_at),
    exitCode: r.exit_code === null ? null : Number(r.exit_code),
    error: r.error,
    stateSince: Number(r.state_since),
    restartCount: Number(r.restart_count),
    stoppedByUser: Number(r.stopped_by_user) !== 0,
  };
}

/**
 * The row of a container that has never run: what it is (`id`, `name`, `state`, `spec`)
 * and since when; no process, no start, no exit yet.
 */
export function newContainerRow(
  what: Pick<ContainerRow, "id" | "name" | "state" | "spec">,
  now: number,
): ContainerRow {
  return {
    ...what,
    createdAt: now,
    incarnation: 0,
    pid: 0,
    conmonPid: 0,
    startedAt: 0,
    finishedAt: 0,
    exitCode: null,
    error: "",
    stateSince: now,
    restartCount: 0,
    stoppedByUser: false,
  };
}

/** The row for a full ID, or undefined. */
export function getContainer(store: Store, id: string): ContainerRow | undefined {
  const r = store.db.prepare("SELECT * FROM containers WHERE id = ?").get(id) as
    | RawRow
    | undefined;
  return r ? decode(r) : undefined;
}

/** The row with this exact name, or undefined. */
export function getContainerByName(store: Store, name: string): ContainerRow | undefined {
  const r = store.db.prepare("SELECT * FROM containers WHERE name = ?").get(name) as
    | RawRow
    | undefined;
  return r ? decode(r) : undefined;
}

/** IDs starting with `prefix` (at most `limit`). */
export function idsWithPrefix(store: Store, prefix: string, limit = 2): string[] {
  const rows = store.db.prepare(
    "SELECT id FROM containers WHERE substr(id, 1, ?) = ? LIMIT ?",
  ).all(prefix.length, prefix, limit) as { id: string }[];
  return rows.map((r) => r.id);
}

/** Every container, oldest first. */
export function listContainers(store: Store): ContainerRow[] {
  const rows = store.db.prepare("SELECT * FROM containers ORDER BY created_at, id")
    .all() as unknown as RawRow[];
  return rows.map(decode);
}

/** The IDs of the containers that join `id`'s network namespace (`--network container:`). */
export function dependentIds(store: Store, id: string): string[] {
  const rows = store.db.prepare(
    `SELECT id FROM containers WHERE json_extract(spec, '$.networkFrom') = ?
     ORDER BY created_at, id`,
  ).all(id) as { id: string }[];
  return rows.map((r) => r.id);
}

/**
 * The values of the columns a container's life changes (`incarnation` … `stopped_by_user`), in
 * the order both the INSERT and the UPDATE name them.
 */
function lifeColumns(row: ContainerRow): (number | string | null)[] {
  return [
    row.incarnation,
    row.pid,
    row.conmonPid,
    row.startedAt,
    row.finishedAt,
    row.exitCode,
    row.error,
    row.stateSince,
    row.restartCount,
    row.stoppedByUser ? 1 : 0,
  ];
}

/** Insert a new container. Throws SQLite's constraint error on a duplicate name or ID. */
export function insertContainer(store: Store, row: ContainerRow): void {
  store.db.prepare(
    `INSERT INTO containers (id, name, state, spec, created_at, incarnation, pid, conmon_pid,
       started_at, finished_at, exit_code, error, state_since, restart_count, stopped_by_user)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.id,
    row.name,
    row.state,
    JSON.stringify(row.spec),
    row.createdAt,
    ...lifeColumns(row),
  );
}

/** Write back the mutable columns of a row. */
export function updateContainer(store: Store, row: ContainerRow): void {
  store.db.prepare(
    `UPDATE containers SET state = ?, incarnation = ?, pid = ?, conmon_pid = ?, started_at = ?,
       finished_at = ?, exit_code = ?, error = ?, state_since = ?, restart_count = ?,
       stopped_by_user = ? WHERE id = ?`,
  ).run(
    row.state,
    ...lifeColumns(row),
    row.id,
  );
}

/** Replace a container's spec (`network connect`/`disconnect` change its networks). */
export function updateSpec(store: Store, id: string, spec: ContainerSpec): void {
  store.db.prepare("UPDATE containers SET spec = ? WHERE id = ?").run(JSON.stringify(spec), id);
}

/** Delete a container's row (its exit code row stays). */
export function deleteContainer(store: Store, id: string): void {
  store.db.prepare("DELETE FROM containers WHERE id = ?").run(id);
}
