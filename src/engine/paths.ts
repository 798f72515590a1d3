/**
 * Where berth keeps things. Persistent state (database, bundles, logs) lives under `--root`;
 * transient state (exit files, locks, runtime state) under `--runroot`, which a reboot clears.
 *
 * @module
 */
import { join } from "../path.ts";

/** The absolute paths of one store. */
export interface Layout {
  root: string;
  runroot: string;
  dbPath: string;
  containersDir: string;
  exitsDir: string;
  notifyDir: string;
  locksDir: string;
  persistDir: string;
  /** Present while the run directory has been initialised in this boot. */
  aliveFile: string;
  aliveLock: string;
}

/** Build the layout for absolute `root` and `runroot`. */
export function layout(root: string, runroot: string): Layout {
  return {
    root,
    runroot,
    dbPath: join(root, "berth.db"),
    containersDir: join(root, "containers"),
    exitsDir: join(runroot, "exits"),
    notifyDir: join(runroot, "notify"),
    locksDir: join(runroot, "locks"),
    persistDir: join(runroot, "persist"),
    aliveFile: join(runroot, "alive"),
    aliveLock: join(runroot, "alive.lck"),
  };
}

/** Paths belonging to one container. */
export interface ContainerPaths {
  /** The container's directory: the bundle, the log, the overlay dirs. Safe to watch. */
  dir: string;
  /**
   * The OCI bundle (config.json; conmon's attach socket and ctl/winsz FIFOs). Never watch
   * it: Deno's watcher opens changed files, and opening a FIFO without a writer blocks.
   */
  bundle: string;
  configJson: string;
  log: string;
  /** Overlay upper/work dirs and the mount point of a container's root filesystem. */
  upper: string;
  work: string;
  merged: string;
  /** Transient files: pidfiles, the runtime's error log. */
  runDir: string;
  pidFile: string;
  conmonPidFile: string;
  /** The PID of a foreground `run`/`start -a` that will clean up this container itself. */
  attachPidFile: string;
  /**
   * Locked (shared) by each berth process that will finish this container's cleanup itself;
   * conmon's exit command waits for it to be free before it decides to start berth.
   */
  claimFile: string;
  runtimeLog: string;
  /**
   * The PID of the berth process starting the container, from before its root filesystem is
   * mounted until the start is over: a start whose process is gone was interrupted.
   */
  startingFile: string;
  /** conmon's sync messages (`{"data": PID}`, or -1 and the runtime's stderr on a failed create). */
  syncFile: string;
  exitFile: string;
  persistDir: string;
  notifyFile: string;
  lockFile: string;
}

/** Paths of the container `id` in `l`. */
export function containerPaths(l: Layout, id: string): ContainerPaths {
  const dir = join(l.containersDir, id);
  const bundle = join(dir, "bundle");
  const runDir = join(l.runroot, "containers", id);
  return {
    dir,
    bundle,
    configJson: join(bundle, "config.json"),
    log: join(dir, "ctr.log"),
    upper: join(dir, "upper"),
    work: join(dir, "work"),
    merged: join(dir, "merged"),
    runDir,
    pidFile: join(runDir, "pidfile"),
    conmonPidFile: join(runDir, "conmon.pid"),
    attachPidFile: join(runDir, "attach.pid"),
    claimFile: join(runDir, "claim"),
    runtimeLog: join(runDir, "oci-log"),
    syncFile: join(runDir, "conmon-sync"),
    startingFile: join(runDir, "starting"),
    exitFile: join(l.exitsDir, id),
    persistDir: join(l.persistDir, id),
    notifyFile: join(l.notifyDir, id),
    lockFile: join(l.locksDir, id),
  };
}
