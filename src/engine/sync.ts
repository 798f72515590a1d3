/**
 * Sync: reload a container's row and fold in conmon's exit file. The first berth process
 * that sees the exit file records the code in `exit_codes` in the same transaction that
 * moves the container to `stopped`. Every state change goes through {@linkcode mutate}.
 *
 * @module
 */
import { immediate } from "../store/db.ts";
import { type ContainerRow, getContainer, updateContainer } from "../store/containers.ts";
import { recordExitCode } from "../store/exit_codes.ts";
import type { Engine } from "./engine.ts";
import { containerPaths } from "./paths.ts";
import { assertTransition, hasProcess, type State } from "./states.ts";
import { notifyChange } from "./notify.ts";
import { log } from "../log.ts";

/** What conmon wrote: the status, and when. */
export interface ExitFile {
  code: number;
  finishedAt: number;
}

/** Read `<exits>/<id>`: undefined while the container has not exited. */
export function readExitFile(path: string): ExitFile | undefined {
  let text: string;
  let mtime: number;
  try {
    text = Deno.readTextFileSync(path);
    mtime = Deno.statSync(path).mtime?.getTime() ?? Date.now();
  } catch {
    return undefined;
  }
  const code = parseExitStatus(text);
  return code === undefined ? undefined : { code, finishedAt: mtime };
}

/**
 * Parse conmon's exit file: a decimal status, no newline; -1 after `--timeout`.
 * An empty or partial file (conmon still writing) is undefined.
 */
export function parseExitStatus(text: string): number | undefined {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= -1 && n <= 255 ? n : undefined;
}

/**
 * Move `row` to `to` (checked against the transition table) and stamp the time. Pure
 * apart from the row it edits.
 */
export function transition(row: ContainerRow, to: State, now: number): void {
  assertTransition(row.state, to);
  row.state = to;
  row.stateSince = now;
}

/**
 * Record an observed exit on `row` (inside a transaction): state `stopped`, code in both
 * the row and `exit_codes`. Idempotent per incarnation.
 */
export function applyExit(
  engine: Engine,
  row: ContainerRow,
  code: number,
  finishedAt: number,
  error = "",
): void {
  transition(row, "stopped", engine.now());
  row.exitCode = code;
  row.finishedAt = finishedAt;
  row.pid = 0;
  if (error) row.error = error;
  recordExitCode(engine.store, {
    id: row.id,
    name: row.name,
    incarnation: row.incarnation,
    code,
    recordedAt: engine.now(),
  });
  log("debug", `phase exit-seen ${row.id.slice(0, 12)} code=${code}`);
}

/**
 * Reload container `id` and fold in its exit file. Returns undefined if it no longer
 * exists. One short `BEGIN IMMEDIATE` transaction; waiters are notified if it changed.
 * `known`: the row as the caller has just read it (`ps` over every container), so that a
 * container without a process is not read twice.
 */
export function syncContainer(
  engine: Engine,
  id: string,
  known?: ContainerRow,
): ContainerRow | undefined {
  // Fast path, no write lock: nothing to fold in unless a process state meets an exit file.
  const seen = known ?? getContainer(engine.store, id);
  if (!seen || !hasProcess(seen.state)) return seen;
  if (!readExitFile(containerPaths(engine.paths, id).exitFile)) return seen;
  return mutate(engine, id, () => false);
}

/**
 * Read-modify-write container `id` in one transaction, folding in the exit file first.
 * `fn` edits the row (using {@linkcode transition}) and returns true to save it.
 * Returns the row as saved, or undefined if the container is gone.
 */
export function mutate(
  engine: Engine,
  id: string,
  fn: (row: ContainerRow) => boolean,
): ContainerRow | undefined {
  let changed = false;
  const row = immediate(engine.store, () => {
    const row = getContainer(engine.store, id);
    if (!row) return undefined;
    if (hasProcess(row.state)) {
      const exit = readExitFile(containerPaths(engine.paths, id).exitFile);
      if (exit) {
        applyExit(engine, row, exit.code, exit.finishedAt);
        changed = true;
      }
    }
    if (fn(row)) changed = true;
    if (changed) updateContainer(engine.store, row);
    return row;
  });
  if (changed) notifyChange(engine, id);
  return row;
}
