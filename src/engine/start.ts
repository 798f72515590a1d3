/**
 * start: `created`/`exited` → `initialized` → `running`. Mount the root filesystem, write
 * config.json, start conmon (which runs `runtime create`), wait for the container's pidfile,
 * then `runtime start`. A failed create leaves the container `created` with the runtime's
 * message recorded, and raises the error classified as 126/127. Whether to start at all is
 * `decide/start.ts`'s call.
 *
 * @module
 */
import { NoSuchContainerError, RuntimeError, runtimeStartError } from "../errors.ts";
import { type ContainerRow, getContainer } from "../store/containers.ts";
import { networkToJoin } from "./dependencies.ts";
import { isBridged, networkRecord, setUpNetwork, tearDownNetwork } from "./network_attach.ts";
import type { Engine } from "./engine.ts";
import { containerPaths } from "./paths.ts";
import { isInitialized } from "./states.ts";
import { decideStart } from "./decide/start.ts";
import { mutate, syncContainer, transition } from "./sync.ts";
import { withContainerLock } from "./lock.ts";
import { linkMtab, mountRootfs, unmountRootfs } from "./rootfs.ts";
import { watchFiles } from "./notify.ts";
import { releaseRuntimeLocked } from "./teardown.ts";
import { log } from "../log.ts";
import { hostBoundingCaps, ociConfig } from "../oci/config.ts";
import { hostDevices } from "../oci/devices.ts";
import { readHostSystemdCgroup } from "../oci/systemd.ts";
import { writeEtcFiles } from "./etc_files.ts";
import { checkWorkdir } from "./workdir.ts";
import { hostRlimits } from "../oci/limits.ts";
import {
  cleanRuntimeMessage,
  lastRuntimeError,
  resolveRuntime,
  type Runtime,
  runtimeDelete,
  runtimeStart,
} from "../oci/runtime.ts";
import { conmonArgs, resolveConmon, spawnConmon, syncFailure } from "../monitor/conmon.ts";
import { currentInvocation, exitCommand, guardedExitCommand } from "../monitor/exit_command.ts";
import { procState, readPidFile, runningExitCommand } from "../monitor/proc.ts";
import { removeIfPresent } from "../fs.ts";

/** How long `runtime create` may take before berth gives up (podman: 240 s). */
const CREATE_TIMEOUT_MS = 240_000;
/** conmon writes its own pidfile right after forking, long before `runtime create` ends. */
const CONMON_PIDFILE_TIMEOUT_MS = 10_000;

/**
 * Start container `id`. Returns the row after start; a container that is already running
 * is returned unchanged.
 *
 * @throws {CommandNotFoundError} / {CommandNotInvokableError} / {RuntimeError} on failure
 */
export async function startContainer(
  engine: Engine,
  id: string,
  opts: StartOptions = {},
): Promise<ContainerRow> {
  // The container whose network it joins runs first, as podman starts dependencies.
  const from = getContainer(engine.store, id)?.spec.networkFrom;
  if (from) await startContainer(engine, from);
  return await withContainerLock(engine, id, () => startLocked(engine, id, opts));
}

/** Who asked for a start, and what it passes on besides the container's spec. */
export interface StartOptions {
  /**
   * The container's restart policy (the cleanup), not the user: the restart count goes up
   * instead of back to 0.
   */
  byPolicy?: boolean;
  /**
   * `run --preserve-fds N`: this process's fds 3 … 2+N go to the container. A property of
   * this process (its open fds), so not part of the stored spec.
   */
  preserveFds?: number;
  /**
   * Called once the runtime has created the container and conmon's attach socket exists,
   * before the container's process runs: a foreground `run -i` attaches its stdin here, as
   * podman attaches before start, so that a foreground killed at any later moment is a client
   * conmon sees leave (and closes the container's stdin for), never one that never came.
   */
  beforeStart?: () => Promise<void> | void;
}

/**
 * {@linkcode startContainer} for a caller that holds the container's lock (the cleanup
 * carrying out a restart policy).
 */
export async function startLocked(
  engine: Engine,
  id: string,
  opts: StartOptions = {},
): Promise<ContainerRow> {
  // Who is starting it: if this process dies mid-start (SIGKILL), the next berth process to
  // look at the container finds the start interrupted and undoes it (see interrupted.ts).
  if (!getContainer(engine.store, id)) throw new NoSuchContainerError(id);
  const { runDir, startingFile } = containerPaths(engine.paths, id);
  Deno.mkdirSync(runDir, { recursive: true });
  Deno.writeTextFileSync(startingFile, `${Deno.pid}\n`);
  try {
    return await startSteps(engine, id, opts);
  } finally {
    removeIfPresent(startingFile);
  }
}

async function startSteps(
  engine: Engine,
  id: string,
  opts: StartOptions,
): Promise<ContainerRow> {
  let row = syncContainer(engine, id);
  if (!row) throw new NoSuchContainerError(id);
  const decision = decideStart(row);
  if (decision.kind === "alreadyRunning") return row;
  if (decision.finishCleanup) {
    await releaseRuntimeLocked(engine, row); // finish the last run's cleanup first
    row = syncContainer(engine, id)!;
  }
  const rt = resolveRuntime(row.spec.runtime, engine.paths.runroot, engine.opts.runtimeFlags);
  const p = containerPaths(engine.paths, id);
  const joinedFrom = row.spec.networkFrom ? networkToJoin(engine, row.spec.networkFrom) : undefined;
  const rootfsPath = await mountRootfs(engine, row);
  let bridged;
  try {
    checkWorkdir(row, rootfsPath);
    if (row.spec.rootfs.kind !== "dir") linkMtab(rootfsPath);
    // Before the runtime creates the container: it joins a namespace that is already wired.
    bridged = isBridged(row.spec) ? await setUpNetwork(engine, row) : undefined;
  } catch (err) {
    await unmountRootfs(engine, row);
    throw err;
  }
  const joinNetwork = bridged ? { path: bridged.netns, own: true } : joinedFrom;
  // `container:X` with X on a bridge: X's address and DNS server, as podman writes them.
  const etcNetwork = bridged?.status ??
    (row.spec.networkFrom ? networkRecord(engine, row.spec.networkFrom)?.status : undefined);
  Deno.mkdirSync(p.runDir, { recursive: true });
  Deno.mkdirSync(rt.stateRoot, { recursive: true });
  // A stale pidfile or exit file would be read as this run's.
  removeIfPresent(p.pidFile, p.conmonPidFile, p.runtimeLog, p.syncFile, p.exitFile);
  // Before conmon exists: a waiter can claim the cleanup (claim.ts) by locking this file.
  Deno.writeFileSync(p.claimFile, new Uint8Array(), { append: true });
  const config = ociConfig({
    id,
    spec: row.spec,
    rootfsPath,
    rlimits: hostRlimits(),
    etcFiles: writeEtcFiles(p.dir, row.name, row.spec, rootfsPath, id, etcNetwork),
    hostCaps: hostBoundingCaps(),
    kernel: Deno.osRelease(),
    joinNetwork,
    hostDevices: row.spec.privileged ? hostDevices() : undefined,
    systemdCgroup: row.spec.systemd ? readHostSystemdCgroup() : undefined,
  });
  Deno.writeTextFileSync(p.configJson, JSON.stringify(config));

  const waker = watchFiles([p.runDir], ["pidfile", "conmon.pid"]);
  try {
    const status = await spawnConmon(
      resolveConmon(engine.opts.conmon),
      conmonArgs({
        id,
        name: row.name,
        runtimePath: rt.conmonPath,
        runtimeArgs: [
          ...rt.flags,
          "--root",
          rt.stateRoot,
          "--log",
          p.runtimeLog,
          "--log-format",
          "json",
        ],
        bundle: p.bundle,
        pidFile: p.pidFile,
        conmonPidFile: p.conmonPidFile,
        exitDir: engine.paths.exitsDir,
        logPath: p.log,
        timeout: row.spec.timeout,
        stdin: row.spec.interactive === true,
        terminal: row.spec.tty === true,
        logSizeMax: row.spec.logSizeMax,
        preserveFds: opts.preserveFds,
        exitCommand: guardedExitCommand(
          { claim: p.claimFile, exitFile: p.exitFile, conmonPidFile: p.conmonPidFile },
          exitCommand(currentInvocation(), engine.opts.rawArgs, id, row.spec.autoRemove),
        ),
      }),
      { syncFile: p.syncFile, preserveFds: opts.preserveFds },
    );
    log("debug", `phase conmon-spawned ${id.slice(0, 12)}`);
    if (status !== 0) {
      await tearDownNetwork(engine, id);
      await unmountRootfs(engine, row);
      throw new RuntimeError(`conmon failed to start (exit status ${status})`);
    }
    const created = await awaitCreated(engine, row, waker);
    if (!created.ok) {
      const msg = created.error;
      mutate(engine, id, (r) => {
        r.error = msg;
        return true;
      });
      await runtimeDelete(rt, id).catch(() => {});
      await tearDownNetwork(engine, id);
      await unmountRootfs(engine, row);
      throw runtimeStartError(msg);
    }
    try {
      row = mutate(engine, id, (r) => {
        transition(r, "initialized", engine.now());
        r.incarnation += 1;
        r.pid = created.pid;
        r.conmonPid = created.conmonPid;
        r.error = "";
        r.exitCode = null;
        r.finishedAt = 0;
        // A new run: a stop asked for before it no longer applies (podman's StoppedByUser).
        r.stoppedByUser = false;
        r.restartCount = opts.byPolicy ? r.restartCount + 1 : 0;
        return true;
      })!;
    } catch (err) {
      // The database refused the record (read-only, full): nothing would know of this
      // runtime container, its conmon, mounts, cgroups and network, so take them back down,
      // as a failed create does. Found by the soak (#15): they were left behind for good.
      await runtimeDelete(rt, id).catch(() => {});
      await tearDownNetwork(engine, id).catch(() => {});
      await unmountRootfs(engine, row).catch(() => {});
      throw err;
    }
    log("debug", `phase created ${id.slice(0, 12)} pid=${created.pid}`);
    if (row.spec.conmonPidFile) {
      Deno.writeTextFileSync(row.spec.conmonPidFile, `${created.conmonPid}\n`);
    }
  } finally {
    waker.close();
  }
  return await runAfterCreate(engine, rt, row, opts.beforeStart);
}

async function runAfterCreate(
  engine: Engine,
  rt: Runtime,
  row: ContainerRow,
  beforeStart?: () => Promise<void> | void,
) {
  const id = row.id;
  try {
    await beforeStart?.();
    await runtimeStart(rt, id);
  } catch (err) {
    const msg = (err as Error).message;
    mutate(engine, id, (r) => {
      r.error = msg;
      return true;
    });
    // Kill the half-started container; conmon will see it exit and clean up.
    await runtimeDelete(rt, id).catch(() => {});
    throw runtimeStartError(msg);
  }
  const started = mutate(engine, id, (r) => {
    r.startedAt = engine.now();
    // The exit may already have been seen (a very short command): keep `stopped`.
    if (isInitialized(r.state)) transition(r, "running", engine.now());
    return true;
  });
  log("debug", `phase started ${id.slice(0, 12)}`);
  return started ?? row;
}

type Created = { ok: true; pid: number; conmonPid: number } | { ok: false; error: string };

/** Wait until conmon's `runtime create` wrote the pidfile, or conmon died without it. */
async function awaitCreated(
  engine: Engine,
  row: ContainerRow,
  waker: { next(ms: number): Promise<void> },
): Promise<Created> {
  const p = containerPaths(engine.paths, row.id);
  const started = Date.now();
  const deadline = started + CREATE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const conmonPid = readPidFile(p.conmonPidFile) ?? 0;
    const pid = readPidFile(p.pidFile);
    if (pid) return { ok: true, pid, conmonPid };
    if (!conmonPid && Date.now() - started > CONMON_PIDFILE_TIMEOUT_MS) {
      return { ok: false, error: `conmon did not write its pidfile ${p.conmonPidFile}` };
    }
    // A failed create: conmon exits, or (more often) runs its exit command and waits for
    // it; that cleanup process needs the lock this start holds, so do not wait for conmon.
    const failed = runtimeLogError(p.runtimeLog) ??
      (conmonPid && (procState(conmonPid) !== "alive" || runningExitCommand(conmonPid))
        ? "the OCI runtime failed to create the container"
        : undefined);
    if (failed !== undefined) {
      if (readPidFile(p.pidFile)) continue; // written just before the check
      // The runtime's JSON log is the clearest; a runtime that failed before it opened its
      // log (a bad global flag) said why only on stderr, which conmon passed on.
      return {
        ok: false,
        error: runtimeLogError(p.runtimeLog) ?? syncError(p.syncFile) ?? failed,
      };
    }
    await waker.next(conmonPid ? 20 : 5);
  }
  return { ok: false, error: "timed out waiting for the OCI runtime to create the container" };
}

/** The runtime's stderr after a failed create, as conmon wrote it to the sync file. */
function syncError(syncFile: string): string | undefined {
  try {
    const message = syncFailure(Deno.readTextFileSync(syncFile));
    return message === undefined ? undefined : cleanRuntimeMessage(message) || undefined;
  } catch {
    return undefined;
  }
}

/** The runtime's error message, if its JSON log has one yet. */
function runtimeLogError(runtimeLog: string): string | undefined {
  let text = "";
  try {
    text = Deno.readTextFileSync(runtimeLog);
  } catch {
    return undefined;
  }
  return lastRuntimeError(text);
}
