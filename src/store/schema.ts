/**
 * The database schema as an ordered list of migrations; `PRAGMA user_version` records how
 * many have been applied. Append, never edit: a released migration is history.
 *
 * @module
 */
import { IMAGES_MIGRATION } from "./images_schema.ts";
import { NETWORKS_MIGRATION } from "./networks_schema.ts";

/** Migration i brings the schema from version i to i+1. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE containers (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    state       TEXT NOT NULL,
    spec        TEXT NOT NULL,            -- JSON: what create was asked for
    created_at  INTEGER NOT NULL,         -- ms since epoch
    incarnation INTEGER NOT NULL DEFAULT 0,
    pid         INTEGER NOT NULL DEFAULT 0,
    conmon_pid  INTEGER NOT NULL DEFAULT 0,
    started_at  INTEGER NOT NULL DEFAULT 0,
    finished_at INTEGER NOT NULL DEFAULT 0,
    exit_code   INTEGER,
    error       TEXT NOT NULL DEFAULT '',
    state_since INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE exit_codes (
    id          TEXT PRIMARY KEY,         -- container id; the row outlives the container
    name        TEXT NOT NULL,
    incarnation INTEGER NOT NULL,
    code        INTEGER NOT NULL CHECK (code BETWEEN -1 AND 255),
    recorded_at INTEGER NOT NULL          -- ms since epoch
  );
  CREATE INDEX exit_codes_recorded_at ON exit_codes(recorded_at);
  `,
  IMAGES_MIGRATION,
  // Restart policies: how often the policy restarted a container, and whether its last exit
  // was asked for by `stop`/`kill` (then no policy restarts it).
  `
  ALTER TABLE containers ADD COLUMN restart_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE containers ADD COLUMN stopped_by_user INTEGER NOT NULL DEFAULT 0;
  `,
  NETWORKS_MIGRATION,
];
