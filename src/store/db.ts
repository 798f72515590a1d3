/**
 * Opening berth's SQLite database: WAL, a busy timeout, schema migrations, and refusing
 * (by path) a file that is corrupt or was written by a newer berth. Never recreates a file.
 * Every error SQLite raises, at open or in any later statement, becomes a
 * {@linkcode DatabaseError} naming the database's path.
 *
 * @module
 */
import { DatabaseSync, StatementSync } from "node:sqlite";
import { DatabaseError } from "../errors.ts";
import { MIGRATIONS } from "./schema.ts";

/** An open database and the path it came from (for error messages). */
export interface Store {
  /** The connection; any error from it or its statements names {@linkcode Store.path}. */
  db: DatabaseSync;
  path: string;
  /** Statements compiled on this connection, by SQL text (see {@linkcode prepared}). */
  statements?: Map<string, StatementSync>;
}

/**
 * The statement for `sql`, compiled once per connection and reused: `ps` over 1,000
 * containers would otherwise compile the same SELECT 1,000 times.
 */
export function prepared(store: Store, sql: string): StatementSync {
  const cache = store.statements ??= new Map();
  let statement = cache.get(sql);
  if (!statement) {
    statement = store.db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

/** A SQLite error re-raised with the database's path (a {@linkcode DatabaseError} as is). */
function named(path: string, err: unknown): unknown {
  if (err instanceof DatabaseError) return err;
  if (!(err instanceof Error)) return err;
  return new DatabaseError(`database ${path}: ${describe(err)}`, { cause: err });
}

/**
 * `target` (a connection or a prepared statement) with every method wrapped so that what it
 * throws names `path`; statements it returns are wrapped the same way. Corruption can surface
 * in any statement (a damaged table page is read only when a query reaches it), so no call
 * may escape this.
 */
function guarded<T extends object>(target: T, path: string, check = shmCheck(path)): T {
  return new Proxy(target, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        let out: unknown;
        try {
          check();
          out = v.apply(t, args);
        } catch (err) {
          throw named(path, err);
        }
        return out instanceof StatementSync ? guarded(out, path, check) : out;
      };
    },
  });
}

/**
 * A check, run before every call of one connection, that its WAL index (`PATH-shm`) can still
 * be written. SQLite maps that file shared and writable, and readers write to it too (read
 * marks): once the file is made immutable under the mapping, ext4 answers the next write to
 * a mapped page with SIGBUS, which kills the process with status 135 between two records
 * (found by the soak, #15). A connection that found the file read-only when it opened got a
 * read-only mapping from SQLite and is left alone. The check cannot open the file: closing
 * any descriptor of it would drop this process's POSIX locks on it, which SQLite holds.
 */
function shmCheck(path: string): () => void {
  const shm = `${path}-shm`;
  let mappedWritable: boolean | undefined;
  return () => {
    const writable = stillWritable(shm);
    if (mappedWritable === undefined) mappedWritable = writable;
    else if (mappedWritable && !writable) {
      throw new DatabaseError(
        `database ${path} became read-only: ${shm} can no longer be written`,
      );
    }
  };
}

/**
 * False if `file` exists and refuses a change (immutable, read-only file system): setting its
 * times is the one write that needs no descriptor. A missing file is writable (SQLite creates
 * it, or it will fail with its own clear error).
 */
function stillWritable(file: string): boolean {
  const now = new Date();
  try {
    Deno.utimeSync(file, now, now);
    return true;
  } catch (err) {
    return !(err instanceof Deno.errors.PermissionDenied ||
      (err as { code?: string }).code === "EROFS");
  }
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
    db = guarded(new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS }), path);
  } catch (err) {
    throw new DatabaseError(`cannot open database ${path}: ${describe(err)}`, { cause: err });
  }
  const store: Store = { db, path, statements: new Map() };
  try {
    // journal_mode needs the file readable as a database: garbage fails here.
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=NORMAL");
    db.exec("PRAGMA foreign_keys=ON");
    migrate(store);
  } catch (err) {
    db.close();
    // berth's own refusal (a newer schema) as it is; what SQLite said, as "cannot be used".
    if (err instanceof DatabaseError && !(err.cause instanceof Error)) throw err;
    const cause = err instanceof DatabaseError ? err.cause : err;
    throw new DatabaseError(`database ${path} cannot be used: ${describe(cause)}`, { cause });
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
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (err) {
    try {
      db.exec("ROLLBACK");
    } catch { /* already rolled back by SQLite */ }
    throw err;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
