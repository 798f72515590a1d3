/**
 * Opening berth's SQLite database: WAL, a busy timeout, schema migrations, and refusing
 * (by path) a file that is corrupt or was written by a newer berth. Never recreates a file.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { DatabaseError } from "../errors.ts";
import { MIGRATIONS } from "./schema.ts";

/** An open database and the path it came from (for error messages). */
export interface Store {
  db: DatabaseSync;
  path: string;
}

/** How long a writer waits for the lock before "database is locked" (ms). */
const BUSY_TIMEOUT_MS = 60_000;

/**
 * Open (creating if absent) the database at `path` and bring its schema up to date.
 *
 * @throws {DatabaseError} when the file is not a database, is from a newer schema, or
 * cannot be opened or written.
 */
export function openStore(path: string): Store {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw new DatabaseError(`cannot open database ${path}: ${describe(err)}`, { cause: err });
  }
  const store = { db, path };
  try {
    // journal_mode needs the file readable as a database: garbage fails here.
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=NORMAL");
    db.exec("PRAGMA foreign_keys=ON");
    migrate(store);
  } catch (err) {
    db.close();
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError(`database ${path} cannot be used: ${describe(err)}`, { cause: err });
  }
  return store;
}

/** The schema version this build of berth writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

function migrate(store: Store): void {
  const { db } = store;
  const current = Number(
    (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
  );
  if (current > SCHEMA_VERSION) {
    throw new DatabaseError(
      `database ${store.path} has schema version ${current}, newer than this berth understands (${SCHEMA_VERSION}); refusing to touch it`,
    );
  }
  if (current === SCHEMA_VERSION) return;
  immediate(store, () => {
    const now = Number(
      (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
    );
    for (let v = now; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]);
    db.exec(`PRAGMA user_version=${SCHEMA_VERSION}`);
  });
}

/**
 * Run `fn` inside one `BEGIN IMMEDIATE` transaction (the write lock is taken up front, so a
 * read-then-write cannot fail on lock upgrade). Commits on return, rolls back on throw.
 */
export function immediate<T>(store: Store, fn: () => T): T {
  const { db } = store;
  try {
    db.exec("BEGIN IMMEDIATE");
  } catch (err) {
    throw wrap(store, err);
  }
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (err) {
    try {
      db.exec("ROLLBACK");
    } catch { /* already rolled back by SQLite */ }
    throw wrap(store, err);
  }
}

function wrap(store: Store, err: unknown): unknown {
  if (!(err instanceof Error) || err.name !== "Error" && !("code" in err)) return err;
  if ((err as { code?: string }).code === "ERR_SQLITE_ERROR") {
    return new DatabaseError(`database ${store.path}: ${describe(err)}`, { cause: err });
  }
  return err;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
