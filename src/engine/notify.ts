/**
 * Waking waiters without polling: every committed state change touches
 * `<runroot>/notify/<id>`, and conmon writes `<runroot>/exits/<id>`. A waiter watches both
 * directories with inotify (`Deno.watchFs`) and re-checks only when its container's file
 * changes, or when the fallback interval passes.
 *
 * @module
 */
import { basename } from "../path.ts";
import type { Engine } from "./engine.ts";
import { containerPaths } from "./paths.ts";

/** Tell waiters that container `id` changed (call after the transaction commits). */
export function notifyChange(engine: Engine, id: string): void {
  try {
    Deno.writeFileSync(containerPaths(engine.paths, id).notifyFile, new Uint8Array());
  } catch { /* waiters fall back to their poll interval */ }
}

/** A wake-up source for one container. */
export interface Waker {
  /** Resolve at the next relevant file event, or after `ms`, whichever comes first. */
  next(ms: number): Promise<void>;
  close(): void;
}

/**
 * Watch `dirs` for events on files whose name is one of `names` (any file if empty).
 * Start watching before checking the condition, so no event is missed in between.
 */
export function watchFiles(dirs: string[], names: string[]): Waker {
  let pending = false;
  let wake: (() => void) | undefined;
  let watcher: Deno.FsWatcher | undefined;
  try {
    watcher = Deno.watchFs(dirs, { recursive: false });
  } catch {
    watcher = undefined; // a missing directory: poll instead
  }
  const wanted = new Set(names);
  (async () => {
    if (!watcher) return;
    try {
      for await (const ev of watcher) {
        if (wanted.size === 0 || ev.paths.some((p) => wanted.has(basename(p)))) {
          pending = true;
          wake?.();
        }
      }
    } catch { /* closed */ }
  })();
  return {
    next(ms: number): Promise<void> {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          pending = false;
          resolve();
        }
        wake = done;
      });
    },
    close() {
      try {
        watcher?.close();
      } catch { /* already closed */ }
      wake?.();
    },
  };
}

/** Watch a container's exit file and state-change file. */
export function watchContainer(engine: Engine, id: string, extraDirs: string[] = []): Waker {
  const { exitsDir, notifyDir } = engine.paths;
  return watchFiles([exitsDir, notifyDir, ...extraDirs], [id, "ctr.log"]);
}
