/**
 * The engine context every operation receives: global options, absolute paths, the open
 * store and a clock. Opening it creates the directories, opens the database, and runs the
 * reboot refresh when the boot id changed or the run directory vanished.
 *
 * @module
 */
import { resolve } from "node:path";
import { DatabaseError } from "../errors.ts";
import { openStore, type Store } from "../store/db.ts";
import { refreshIfRebooted } from "./refresh.ts";
import { type Layout, layout } from "./paths.ts";
import { checkStoreDir } from "./store_dirs.ts";
import { type EngineEvents, installedEngineEvents } from "./events.ts";

/** Options given before the command, and the raw tokens to pass to the cleanup process. */
export interface GlobalOptions {
  root: string;
  runroot: string;
  runtime: string;
  conmon?: string;
  logLevel: string;
  /** The global flags exactly as given on the command line (relative paths unchanged). */
  rawArgs: string[];
}

/** Everything an engine operation needs. */
export interface Engine {
  opts: GlobalOptions;
  paths: Layout;
  store: Store;
  /** Milliseconds since the epoch; injectable so time rules can be tested. */
  now: () => number;
  /** Where warnings and progress go: the sink the front end installed. */
  events: EngineEvents;
}

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
