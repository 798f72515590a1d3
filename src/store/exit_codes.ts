/**
 * The `exit_codes` table: a container's exit code, recorded the moment any berth process
 * first sees it, kept after the container is removed, pruned after five minutes.
 *
 * @module
 */
import { prepared, type Store } from "./db.ts";

/** A recorded exit code. */
export interface ExitCodeRow {
  id: string;
  name: string;
  incarnation: number;
  code: number;
  recordedAt: number;
}

/** How long a removed container's exit code stays readable (ms). */
export const EXIT_CODE_TTL_MS = 5 * 60 * 1000;

/**
 * Record `code` for one incarnation of a container. The first code seen for an incarnation
 * wins; a later incarnation (a restart) replaces the row. Returns true if this call wrote it.
 */
export function recordExitCode(store: Store, row: ExitCodeRow): boolean {
  const result = prepared(
    store,
    `INSERT INTO exit_codes (id, name, incarnation, code, recorded_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, incarnation = excluded.incarnation,
       code = excluded.code, recorded_at = excluded.recorded_at
     WHERE exit_codes.incarnation < excluded.incarnation`,
  ).run(row.id, row.name, row.incarnation, row.code, row.recordedAt);
  return Number(result.changes) > 0;
}

/** The recorded code for a full container ID, or undefined. */
export function getExitCode(store: Store, id: string): ExitCodeRow | undefined {
  const r = prepared(store, "SELECT * FROM exit_codes WHERE id = ?").get(id) as
    | Record<string, unknown>
    | undefined;
  return r ? fromRaw(r) : undefined;
}

/** Recorded codes whose ID starts with `prefix`, or whose name is `prefix`, newest first. */
export function findExitCodes(store: Store, prefix: string): ExitCodeRow[] {
  const rows = prepared(
    store,
    `SELECT * FROM exit_codes WHERE substr(id, 1, ?) = ? OR name = ?
     ORDER BY recorded_at DESC LIMIT 10`,
  ).all(prefix.length, prefix, prefix) as Record<string, unknown>[];
  return rows.map(fromRaw);
}

/** Delete rows older than the TTL whose container no longer exists. Returns how many. */
export function pruneExitCodes(store: Store, now: number): number {
  const result = prepared(
    store,
    `DELETE FROM exit_codes WHERE recorded_at <= ?
     AND id NOT IN (SELECT id FROM containers)`,
  ).run(now - EXIT_CODE_TTL_MS);
  return Number(result.changes);
}

/** Delete every row (after a reboot no container can still be alive). */
export function clearExitCodes(store: Store): void {
  store.db.exec("DELETE FROM exit_codes");
}

function fromRaw(r: Record<string, unknown>): ExitCodeRow {
  return {
    id: String(r.id),
    name: String(r.name),
    incarnation: Number(r.incarnation),
    code: Number(r.code),
    recordedAt: Number(r.recorded_at),
  };
}
