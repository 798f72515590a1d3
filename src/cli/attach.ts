/**
 * Foreground attach for `run` and `start -a`: stream the container's output to our stdout
 * and stderr as conmon logs it, forward signals, and once the exit is seen, clean up (and
 * remove with `--rm`) right away instead of waiting for the cleanup process, then return the
 * exit code from `exit_codes`. All output is written before this returns: conmon writes the
 * exit file only after draining the container's output into the log.
 *
 * @module
 */
import type { Engine } from "../engine/context.ts";
import { dirname } from "../path.ts";
import { containerPaths } from "../engine/paths.ts";
import { waitForContainer } from "../engine/wait.ts";
import { claimCleanup } from "../engine/claim.ts";
import { removeContainer } from "../engine/remove.ts";
import { startContainer, type StartOptions } from "../engine/start.ts";
import { openLogPump, type RecordSink, toStdio } from "../logs/pump.ts";
import { errOut } from "./command.ts";
import { resolveRuntime, runtimeKill } from "../oci/runtime.ts";
import type { ContainerRow } from "../store/containers.ts";
import { SIGNALS } from "../signals.ts";
import { forwardSignals } from "./forward_signals.ts";
import { type AttachConnection, connectAttach, feedStdin } from "../monitor/attach_socket.ts";
import { log } from "../log.ts";
import { removeIfPresent } from "../fs.ts";
import { DatabaseError, NoSuchContainerError } from "../errors.ts";

/** An open log, prepared before start so no output can be missed. */
export interface Attachment {
  pump: ReturnType<typeof openLogPump>;
  /** Tells conmon's cleanup process that this process will clean up (see main.ts). */
  attachPid: string;
  /** berth's stdin fed to the container, once connected (see {@linkcode startOrDiscard}). */
  stdin?: StdinFeed;
  /**
   * Close stdin's feed and the log, and withdraw the claims to clean up (the pidfile and
   * `claim.ts`'s lock).
   */
  close(): void;
}

/** berth's stdin relayed to the container through conmon's attach socket. */
export interface StdinFeed {
  /** Stop relaying, close the connection, give the terminal back its mode. */
  close(): void;
}

/**
 * Connect berth's stdin to container `row` through conmon's attach socket and start feeding
 * it. From a terminal of our own, keystrokes pass through raw (^C reaches the container's
 * terminal as a byte); from a pipe or file, the input ends with ^D. Undefined when the socket
 * is gone (the container did not wait for input: its exit tells the rest).
 */
export function openStdin(engine: Engine, row: ContainerRow): StdinFeed | undefined {
  let conn: AttachConnection;
  try {
    conn = connectAttach(containerPaths(engine.paths, row.id).bundle);
  } catch (err) {
    log("debug", `attach stdin: ${(err as Error).message}`);
    return undefined;
  }
  const rawTerminal = row.spec.tty === true && Deno.stdin.isTerminal();
  if (rawTerminal) Deno.stdin.setRaw(true);
  feedStdin(conn, Deno.stdin.readable, row.spec.tty === true && !rawTerminal);
  return {
    close() {
      if (rawTerminal) Deno.stdin.setRaw(false);
      conn.close();
    },
  };
}

/** An output stream of the container that a foreground berth can relay. */
export type OutputStream = "stdout" | "stderr";

/** A sink that relays only the records of `streams` (`run -a STREAM`). */
export function onlyStreams(streams: ReadonlySet<OutputStream>): RecordSink {
  return (records) => toStdio(records.filter((r) => streams.has(r.stream)));
}

/**
 * Open the container's log (creating it) before the container starts, so that no output can
 * be missed and a cleanup process removing the container cannot take the log away. With
 * `streams`, only those are relayed (the log keeps everything).
 */
export function prepareAttach(
  engine: Engine,
  row: ContainerRow,
  streams?: ReadonlySet<OutputStream>,
): Attachment {
  const log = containerPaths(engine.paths, row.id).log;
  let offset = 0;
  try {
    offset = Deno.statSync(log).size; // a restart shows only the new output
  } catch { /* first run */ }
  const attachPid = containerPaths(engine.paths, row.id).attachPidFile;
  Deno.mkdirSync(dirname(attachPid), { recursive: true });
  Deno.writeTextFileSync(attachPid, `${Deno.pid}\n`);
  // Held until this process is done: conmon's exit command starts no second berth meanwhile.
  const claim = claimCleanup(engine, row.id, true);
  const pump = openLogPump(log, streams ? onlyStreams(streams) : toStdio, offset);
  const attachment: Attachment = {
    pump,
    attachPid,
    close() {
      attachment.stdin?.close();
      attachment.stdin = undefined;
      pump.close();
      removeIfPresent(attachPid);
      claim.release(); // last: the exit command's guard decides only after this
    },
  };
  return attachment;
}

/**
 * Stream output until container `row` has exited; return its exit status for the process
 * (-1 → 255).
 */
export async function attachUntilExit(
  engine: Engine,
  row: ContainerRow,
  attachment: Attachment,
  feedInput = row.spec.interactive === true,
): Promise<number> {
  // Connected before the start by startOrDiscard, or now (a running container's attach).
  if (feedInput && !attachment.stdin) attachment.stdin = openStdin(engine, row);
  const stopForwarding = row.spec.sigProxy === false ? () => {} : forwardSignals((sig) => {
    const rt = resolveRuntime(row.spec.runtime, engine.paths.runroot, engine.opts.runtimeFlags);
    runtimeKill(rt, row.id, SIGNALS[sig.slice(3)]).catch(() => {});
  });
  try {
    await attachment.pump.pump();
    // Open the log before anything else so removal by the cleanup process cannot hide it.
    const result = await waitForContainer(engine, row.id, {
      conditions: new Set(["exited"]),
      intervalMs: 250,
      extraWatch: [containerPaths(engine.paths, row.id).dir],
      cleanupAtOnce: true,
      onTick: () => attachment.pump.pump(),
    });
    await attachment.pump.pump();
    if (row.spec.autoRemove) await removeContainer(engine, row.id, { force: false });
    if (result.warning) await errOut(`Error: ${result.warning}\n`);
    return result.code < 0 ? 255 : result.code;
  } finally {
    attachment.close();
    stopForwarding();
  }
}

/**
 * Start `row`; if that fails, remove an `--rm` container (nothing else would) and close the
 * attachment, then rethrow. With `feedInput`, berth's stdin is connected to the container
 * once conmon's socket exists and before its process runs, as podman attaches: a foreground
 * killed after that is a client conmon sees leave, so the container's stdin is closed and a
 * command reading it ends (found by the soak, #15: attached after the start, a foreground
 * killed in between left `cat` waiting for good).
 */
export async function startOrDiscard(
  engine: Engine,
  row: ContainerRow,
  attachment?: Attachment,
  opts: StartOptions = {},
  feedInput = false,
): Promise<void> {
  const beforeStart = attachment && feedInput
    ? () => {
      attachment.stdin = openStdin(engine, row);
    }
    : undefined;
  try {
    await startContainer(engine, row.id, { ...opts, beforeStart });
  } catch (err) {
    attachment?.close();
    if (row.spec.autoRemove) await discard(engine, row.id);
    throw err;
  }
}

/** How long the removal of an `--rm` container whose start failed is tried again, ms. */
const DISCARD_RETRY_MS = 10_000;

/**
 * Remove the `--rm` container whose start failed. A store that refuses the write (its root
 * made read-only for a moment, as it may well be when the start itself failed on it) is tried
 * again for a while: nothing else would ever remove a container that never ran, and it would
 * stay `created` for good (found by the soak, #15). The start's error is the one reported;
 * a removal that still fails is only logged.
 */
async function discard(engine: Engine, id: string): Promise<void> {
  const deadline = Date.now() + DISCARD_RETRY_MS;
  for (;;) {
    try {
      await removeContainer(engine, id, { force: true });
      return;
    } catch (err) {
      if (err instanceof NoSuchContainerError) return;
      if (!(err instanceof DatabaseError) || Date.now() > deadline) {
        log("warn", `--rm container ${id} kept: ${(err as Error).message}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
