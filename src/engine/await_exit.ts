/**
 * Waiting (bounded) for a container's process to be gone: its exit file written, or its
 * monitor and process both dead. Used by stop and rm -f; holds no lock while waiting.
 *
 * @module
 */
import type { Engine } from "./engine.ts";
import { hasProcess } from "./states.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { watchContainer } from "./notify.ts";

/** Resolve true once container `id` has no process (or is gone), false after `ms`. */
export async function awaitExit(engine: Engine, id: string, ms: number): Promise<boolean> {
  const waker = watchContainer(engine, id);
  try {
    const deadline = Date.now() + ms;
    for (;;) {
      const row = syncAndCheck(engine, id);
      if (!row || !hasProcess(row.state)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await waker.next(Math.min(left, 100));
    }
  } finally {
    waker.close();
  }
}
