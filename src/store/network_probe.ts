/**
 * Whether another store still has a network: what decides if that store's claim on a
 * subnet (src/network/subnet_claims.ts) is stale. Read-only, and never creates a database.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { pathExists } from "../fs.ts";

/**
 * Whether the database at `db` holds network `id`: false when the file is gone (a deleted
 * store) or has no such network, undefined when it cannot be read (then nobody takes the
 * claim over).
 */
export function storeHasNetwork(db: string, id: string): boolean | undefined {
  if (!pathExists(db)) return false;
  let conn: DatabaseSync | undefined;
  try {
    conn = new DatabaseSync(db, { readOnly: true, timeout: 5_000 });
    return conn.prepare("SELECT 1 AS x FROM networks WHERE id = ?").get(id) !== undefined;
  } catch {
    return pathExists(db) ? undefined : false;
  } finally {
    conn?.close();
  }
}
