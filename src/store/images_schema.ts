/**
 * Tables for the image store (owned by the image subsystem).
 *
 * @module
 */

/** Migration 2: images and their names. */
export const IMAGES_MIGRATION = `
  CREATE TABLE images (
    id          TEXT PRIMARY KEY,         -- sha256 hex of the image config (the image ID)
    digest      TEXT NOT NULL,            -- digest of the manifest (sha256:...)
    manifest    TEXT NOT NULL,            -- the manifest JSON, as stored in the blob store
    config      TEXT NOT NULL,            -- the image config JSON
    layers      TEXT NOT NULL,            -- JSON [{diffId, digest, mediaType, size}], bottom first
    size        INTEGER NOT NULL DEFAULT 0, -- uncompressed size of all layers (bytes)
    created_at  INTEGER NOT NULL          -- ms since epoch, when stored here
  );
  CREATE TABLE image_names (
    name        TEXT PRIMARY KEY,         -- normalised, e.g. docker.io/library/busybox:latest
    image_id    TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE
  );
  CREATE INDEX image_names_image_id ON image_names(image_id);
`;
