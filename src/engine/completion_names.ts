/**
 * The names a shell completion offers: containers (names and short IDs) and images (names),
 * read from the database as it is, without creating directories, refreshing after a reboot or
 * touching any container.
 *
 * @module
 */
import { resolve } from "node:path";
import { openStore } from "../store/db.ts";
import { listContainers } from "../store/containers.ts";
import { allImageNames } from "../store/images.ts";
import { layout } from "./paths.ts";
import type { GlobalOptions } from "./engine.ts";

/** What completion can offer from one store. */
export interface CompletionNames {
  /** Container names, then their 12-character IDs, oldest container first. */
  containers: string[];
  /** Image names (`repo:tag`), sorted. */
  images: string[];
}

/**
 * The store's container and image names; empty lists when there is no database yet or it
 * cannot be read (completion must never fail loudly).
 */
export function completionNames(opts: GlobalOptions): CompletionNames {
  const dbPath = layout(resolve(opts.root), resolve(opts.runroot)).dbPath;
  try {
    Deno.statSync(dbPath);
  } catch {
    return { containers: [], images: [] };
  }
  let store;
  try {
    store = openStore(dbPath);
  } catch {
    return { containers: [], images: [] };
  }
  try {
    const rows = listContainers(store);
    return {
      containers: [...rows.map((r) => r.name), ...rows.map((r) => r.id.slice(0, 12))],
      images: allImageNames(store).map((n) => n.name),
    };
  } finally {
    store.db.close();
  }
}
