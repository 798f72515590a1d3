/**
 * Container events for a front end that streams them (`GET /events`): `create`, `start`,
 * `die` (with the exit code) and `destroy`, found by comparing snapshots of the store each
 * time a container's state-change or exit file is touched (inotify, with a fallback poll).
 * Only live events: berth keeps no event log.
 *
 * @module
 */
import type { Engine } from "./engine.ts";
import { hasProcess } from "./states.ts";
import { syncContainer } from "./sync.ts";
import { watchFiles } from "./notify.ts";
import { nextOrAbort } from "./wait.ts";
import { type ContainerRow, listContainers } from "../store/containers.ts";
import { getExitCode } from "../store/exit_codes.ts";

/** One event. */
export interface ContainerEvent {
  action: "create" | "start" | "die" | "destroy";
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  /** For `die`. */
  exitCode?: number;
  /** Milliseconds since the epoch. */
  time: number;
}

/** What is remembered of a container between snapshots. */
interface Seen {
  row: ContainerRow;
  /** The exit of its current run was reported. */
  died: boolean;
}

function ended(row: ContainerRow): boolean {
  return row.incarnation > 0 && !hasProcess(row.state);
}

function snapshot(engine: Engine): Map<string, ContainerRow> {
  const out = new Map<string, ContainerRow>();
  for (const listed of listContainers(engine.store)) {
    const row = hasProcess(listed.state) ? syncContainer(engine, listed.id) : listed;
    if (row) out.set(row.id, row);
  }
  return out;
}

/**
 * The events between two snapshots (pure): `before` is updated to describe `now`.
 */
export function diffSnapshots(
  before: Map<string, Seen>,
  now: Map<string, ContainerRow>,
  time: number,
  codeOfRemoved: (id: string) => number,
): ContainerEvent[] {
  const events: ContainerEvent[] = [];
  const ev = (action: ContainerEvent["action"], row: ContainerRow, exitCode?: number) =>
    events.push({
      action,
      id: row.id,
      name: row.name,
      image: row.spec.imageName,
      labels: row.spec.labels ?? {},
      time,
      ...(exitCode === undefined ? {} : { exitCode }),
    });
  for (const [id, row] of now) {
    const old = before.get(id);
    let died = old?.died ?? false;
    if (!old) {
      ev("create", row);
      if (row.incarnation > 0) ev("start", row);
    } else if (row.incarnation > old.row.incarnation) {
      if (old.row.incarnation > 0 && !old.died) ev("die", old.row, old.row.exitCode ?? 0);
      ev("start", row);
      died = false;
    }
    if (ended(row) && !died) {
      ev("die", row, row.exitCode ?? codeOfRemoved(id));
      died = true;
    }
    before.set(id, { row, died });
  }
  for (const [id, old] of before) {
    if (now.has(id)) continue;
    if (old.row.incarnation > 0 && !old.died) ev("die", old.row, codeOfRemoved(id));
    ev("destroy", old.row);
    before.delete(id);
  }
  return events;
}

/**
 * Report every container event from now on to `onEvent`, until `signal` aborts (then this
 * rejects with its reason) or `until` (ms since the epoch) passes.
 */
export async function watchContainerEvents(
  engine: Engine,
  onEvent: (e: ContainerEvent) => Promise<void>,
  signal: AbortSignal,
  until?: number,
): Promise<void> {
  const waker = watchFiles([engine.paths.notifyDir, engine.paths.exitsDir], []);
  const seen = new Map<string, Seen>();
  for (const [id, row] of snapshot(engine)) seen.set(id, { row, died: ended(row) });
  const codeOf = (id: string) => getExitCode(engine.store, id)?.code ?? 0;
  try {
    for (;;) {
      const left = until === undefined ? 500 : Math.min(500, until - Date.now());
      if (left <= 0) return;
      await nextOrAbort(waker, left, signal);
      for (const e of diffSnapshots(seen, snapshot(engine), engine.now(), codeOf)) {
        await onEvent(e);
      }
    }
  } finally {
    waker.close();
  }
}
