/**
 * Typed queries on the `images` and `image_names` tables (and the read-only questions the
 * image store asks about containers). No decisions here.
 *
 * @module
 */
import type { Store } from "./db.ts";

/** One stored layer of an image. */
export interface LayerRecord {
  /** sha256 of the uncompressed tar (the extracted directory's key). */
  diffId: string;
  /** Digest of the blob as stored (compressed or not). */
  digest: string;
  mediaType: string;
  /** Size of the blob. */
  size: number;
}

/** One image, decoded. */
export interface ImageRow {
  id: string;
  digest: string;
  manifest: string;
  config: string;
  layers: LayerRecord[];
  size: number;
  createdAt: number;
}

interface RawImage {
  id: string;
  digest: string;
  manifest: string;
  config: string;
  layers: string;
  size: number;
  created_at: number;
}

function decode(r: RawImage): ImageRow {
  return {
    id: r.id,
    digest: r.digest,
    manifest: r.manifest,
    config: r.config,
    layers: JSON.parse(r.layers),
    size: Number(r.size),
    createdAt: Number(r.created_at),
  };
}

/** Insert an image, or keep the existing row with the same ID. */
export function putImage(store: Store, row: ImageRow): void {
  store.db.prepare(
    `INSERT INTO images (id, digest, manifest, config, layers, size, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
  ).run(
    row.id,
    row.digest,
    row.manifest,
    row.config,
    JSON.stringify(row.layers),
    row.size,
    row.createdAt,
  );
}

/** The image with this full ID. */
export function getImage(store: Store, id: string): ImageRow | undefined {
  const r = store.db.prepare("SELECT * FROM images WHERE id = ?").get(id) as RawImage | undefined;
  return r ? decode(r) : undefined;
}

/** Every image, newest first. */
export function listImages(store: Store): ImageRow[] {
  const rows = store.db.prepare("SELECT * FROM images ORDER BY created_at DESC, id").all();
  return (rows as unknown as RawImage[]).map(decode);
}

/** IDs starting with `prefix` (at most `limit`). */
export function imageIdsWithPrefix(store: Store, prefix: string, limit = 2): string[] {
  const rows = store.db.prepare(
    "SELECT id FROM images WHERE substr(id, 1, ?) = ? LIMIT ?",
  ).all(prefix.length, prefix, limit) as { id: string }[];
  return rows.map((r) => r.id);
}

/** The image ID a name points at. */
export function imageIdByName(store: Store, name: string): string | undefined {
  const r = store.db.prepare("SELECT image_id FROM image_names WHERE name = ?").get(name) as
    | { image_id: string }
    | undefined;
  return r?.image_id;
}

/** The IDs of images whose manifest has this digest. */
export function imageIdsByDigest(store: Store, digest: string): string[] {
  const rows = store.db.prepare("SELECT id FROM images WHERE digest = ?").all(digest) as {
    id: string;
  }[];
  return rows.map((r) => r.id);
}

/**
 * Names of an image, in the order they were given to it (podman lists c/storage's `Names` so:
 * the name an image was pulled or loaded by comes first, later tags after it).
 */
export function imageNames(store: Store, id: string): string[] {
  const rows = store.db.prepare(
    "SELECT name FROM image_names WHERE image_id = ? ORDER BY rowid",
  ).all(id) as { name: string }[];
  return rows.map((r) => r.name);
}

/** Every name → image ID pair, oldest name first. */
export function allImageNames(store: Store): { name: string; imageId: string }[] {
  const rows = store.db.prepare("SELECT name, image_id FROM image_names ORDER BY rowid").all() as {
    name: string;
    image_id: string;
  }[];
  return rows.map((r) => ({ name: r.name, imageId: r.image_id }));
}

/**
 * Point `name` at image `id`. A name moved from another image is deleted and inserted again,
 * so it becomes the newest name of `id` (as c/storage appends it); a name `id` already has
 * keeps its place.
 */
export function setImageName(store: Store, name: string, id: string): void {
  store.db.prepare("DELETE FROM image_names WHERE name = ? AND image_id != ?").run(name, id);
  store.db.prepare("INSERT OR IGNORE INTO image_names (name, image_id) VALUES (?, ?)").run(
    name,
    id,
  );
}

/** Remove a name; true if it existed. */
export function removeImageName(store: Store, name: string): boolean {
  return Number(store.db.prepare("DELETE FROM image_names WHERE name = ?").run(name).changes) > 0;
}

/** Delete an image row (its names go with it). */
export function deleteImage(store: Store, id: string): void {
  store.db.prepare("DELETE FROM images WHERE id = ?").run(id);
}

/** Containers (id, name) created from image `id`. */
export function containersUsingImage(store: Store, id: string): { id: string; name: string }[] {
  return store.db.prepare(
    "SELECT id, name FROM containers WHERE json_extract(spec, '$.imageId') = ?",
  ).all(id) as { id: string; name: string }[];
}

/** Every image ID some container was created from. */
export function imageIdsInUse(store: Store): Set<string> {
  const rows = store.db.prepare(
    "SELECT DISTINCT json_extract(spec, '$.imageId') AS id FROM containers",
  ).all() as { id: string | null }[];
  return new Set(rows.map((r) => r.id).filter((v): v is string => typeof v === "string"));
}

/** Every directory some container uses as an overlay lower layer. */
export function lowerDirsInUse(store: Store): Set<string> {
  const rows = store.db.prepare(
    `SELECT j.value AS dir FROM containers, json_each(json_extract(containers.spec, '$.rootfs.lowers')) AS j`,
  ).all() as { dir: string }[];
  return new Set(rows.map((r) => r.dir));
}
