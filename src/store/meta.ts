/**
 * The `meta` table: small key/value facts about the store (the boot id it was last used in).
 *
 * @module
 */
import type { Store } from "./db.ts";

/** Read a meta value. */
export function getMeta(store: Store, key: string): string | undefined {
  const r = store.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as
    | { value: string }
    | undefined;
  return r?.value;
}

/** Write a meta value. */
export function setMeta(store: Store, key: string, value: string): void {
  store.db.prepare(
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  ).run(key, value);
}
