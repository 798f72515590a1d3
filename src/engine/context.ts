/**
 * Opening the engine context every operation receives (global options, absolute paths, the
 * open store, a clock, the event sink; its types are in `engine.ts`). Opening it creates the directories, opens the database, and runs the
 * reboot refresh when the boot id changed or the run directory vanished.
 *
 * @module
 */
import { resolve } from "../path.ts";
import { DatabaseError } from "../errors.ts";
import { openStore } from "../store/db.ts";
import { refreshIfRebooted } from "./refresh.ts";
import { layout } from "./paths.ts";
import { checkStoreDir } from "./store_dirs.ts";
import { installedEngineEvents } from "./events.ts";
import type { Engine, GlobalOptions } from "./engine.ts";

/** The context's types, re-exported for the front ends that open it. */
export type { Engine, GlobalOptions };

/**
 * Open the engine: create the root and run directories, open the database, refresh after
 * a reboot.
 *
 * @throws {UnsafeDirectoryError} when a root or run directory is not the caller's alone
 * @throws {DatabaseError} when the directories or the database cannot be used
 */
export async function openEngine(opts: GlobalOptions): Promise<Engine> {
  const paths = layout(resolve(opts.root), resolve(opts.runroot));
  // Before anything is created: a directory prepared by someone else is never used.
  checkStoreDir(paths.root, "root");
  checkStoreDir(paths.runroot, "runroot");
  for (const dir of [paths.root, paths.containersDir]) ensureDir(dir, "root");
  for (const dir of [paths.runroot, paths.exitsDir, paths.notifyDir, paths.locksDir]) {
    ensureDir(dir, "runroot");
  }
  const store = openStore(paths.dbPath);
  const engine: Engine = { opts, paths, store, now: Date.now, events: installedEngineEvents() };
  await refreshIfRebooted(engine);
  return engine;
}

function ensureDir(dir: string, what: string): void {
  try {
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new DatabaseError(
      `cannot create ${what} directory ${dir}: ${err instanceof Error ? err.message : err}`,
    );
  }
}
