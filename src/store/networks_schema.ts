/**
 * The network tables' migration, apart from their queries so the schema list does not import
 * them (no cycle through db.ts).
 *
 * @module
 */

/** The migration that adds the network tables (schema version 4). */
export const NETWORKS_MIGRATION = `
  CREATE TABLE networks (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    config     TEXT NOT NULL            -- JSON: podman's network record
  );
  CREATE TABLE network_leases (
    network_id   TEXT NOT NULL,
    ip           TEXT NOT NULL,
    container_id TEXT NOT NULL,
    PRIMARY KEY (network_id, ip)
  );
  CREATE INDEX network_leases_container ON network_leases(container_id);
  CREATE TABLE container_netns (
    container_id TEXT PRIMARY KEY,
    netns        TEXT NOT NULL,         -- the namespace file under the run directory
    options      TEXT NOT NULL,         -- JSON: netavark's input at setup
    status       TEXT NOT NULL DEFAULT '' -- JSON: netavark's answer; '' until setup succeeded
  );
`;
