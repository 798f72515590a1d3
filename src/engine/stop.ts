/**
 * stop: send the stop signal, wait up to the timeout (holding no lock, state `stopping`),
 * then SIGKILL and wait up to five more seconds; then clean up (and remove an `--rm`
 * container). Stopping a container that is not running is a no-op. What to send is
 * `decide/stop.ts`'s call, what is due after the exit `decide/after_exit.ts`'s.
 *
 * @module
 */
import { MonitorDiedError, NoSuchContainerError, StateError } from "../errors.ts";
import type { ContainerRow } from "../store/containers.ts";
import type { Engine } from "./engine.ts";
import { isRunning } from "./states.ts";
import { decideStop, marksStopped, SIGKILL } from "./decide/stop.ts";
import { decideAfterExit } from "./decide/after_exit.ts";
import { mutate, syncContainer, transition } from "./sync.ts";
import { MONITOR_DIED, syncAndCheck } from "./monitor_check.ts";
import { withContainerLock } from "./lock.ts";
import { awaitExit } from "./await_exit.ts";
import { cleanupContainer } from "./cleanup.ts";
import { finishAutoRemove } from "./teardown.ts";
import { log } from "../log.ts";
import { resolveRuntime, runtimeKill } from "../oci/runtime.ts";
import { signalName } from "../signals.ts";

/** How long to wait after SIGKILL (podman's killContainerTimeout). */
const KILL_WAIT_MS = 5000;

/**
 * Stop container `id`, waiting `timeoutSec` after the stop signal before SIGKILL.
 * Returns the row afterwards (undefined if it was removed meanwhile).
 */
export async function stopContainer(
  engine: Engine,
  id: string,
  timeoutSec: number | undefined,
): Promise<ContainerRow | undefined> {
  let row = syncAndCheck(engine, id);
  if (!row) throw new NoSuchContainerError(id);
  if (marksStopped(row)) {
    // Marked under the lock, before the signal: a cleanup carrying out a restart policy
    // holds it, so it either sees the mark and does not restart, or has restarted already
    // and this stop ends the new run. A container between runs is marked too.
    row = await withContainerLock(engine, id, () =>
      mutate(engine, id, (r) => {
        r.stoppedByUser = true;
        if (isRunning(r.state)) transition(r, "stopping", engine.now());
        return true;
      }));
    if (!row) return undefined;
  }
  const plan = decideStop(row, { timeout: timeoutSec });
  const stopping = plan.kind !== "nothing";
  if (stopping) {
    const rt = resolveRuntime(row.spec.runtime, engine.paths.runroot, engine.opts.runtimeFlags);
    let done = false;
    if (plan.kind === "signal") {
      await runtimeKill(rt, id, plan.signal);
      done = await awaitExit(engine, id, plan.thenKillAfterSec * 1000);
      if (!done) {
        await engine.events.warning(
          `StopSignal ${
            signalName(plan.signal)
          } failed to stop container ${row.name} in ${plan.thenKillAfterSec} seconds, resorting to SIGKILL`,
        );
      }
    }
    if (!done) {
      await runtimeKill(rt, id, SIGKILL);
      done = await awaitExit(engine, id, KILL_WAIT_MS);
    }
    if (!done) throw new StateError(`container ${id} did not exit after SIGKILL`);
    log("debug", `stop ${id.slice(0, 12)}: exited`);
  }
  row = syncContainer(engine, id);
  if (!row) return undefined;
  const next = decideAfterExit(row);
  if (next.kind === "cleanup") {
    await cleanupContainer(engine, id, { remove: next.remove });
    row = syncContainer(engine, id);
  } else if (next.kind === "finishRemoval") {
    await finishAutoRemove(engine, id); // its cleanup process died before the removal
    row = syncContainer(engine, id);
  }
  // Only this stop's own outcome is reported: stopping a stopped container is a no-op.
  if (stopping && row?.error === MONITOR_DIED) throw new MonitorDiedError(MONITOR_DIED);
  return row;
}
