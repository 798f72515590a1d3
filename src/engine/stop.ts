/**
 * stop: send the stop signal, wait up to the timeout (holding no lock, state `stopping`),
 * then SIGKILL and wait up to five more seconds; then clean up (and remove an `--rm`
 * container). Stopping a container that is not running is a no-op.
 *
 * @module
 */
import { MonitorDiedError, NoSuchContainerError, StateError } from "../errors.ts";
import type { ContainerRow } from "../store/containers.ts";
import type { Engine } from "./engine.ts";
import { canStop, isRunning, needsCleanup } from "./states.ts";
import { mutate, syncContainer, transition } from "./sync.ts";
import { MONITOR_DIED, syncAndCheck } from "./monitor_check.ts";
import { awaitExit } from "./await_exit.ts";
import { cleanupContainer } from "./cleanup.ts";
import { finishAutoRemove, removalMissed } from "./teardown.ts";
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
  const stopping = canStop(row.state);
  if (stopping) {
    row = mutate(engine, id, (r) => {
      if (!isRunning(r.state)) return false;
      transition(r, "stopping", engine.now());
      return true;
    }) ?? row;
    const rt = resolveRuntime(row.spec.runtime, engine.paths.runroot, engine.opts.runtimeFlags);
    const timeout = timeoutSec ?? row.spec.stopTimeout;
    let done = false;
    if (timeout > 0) {
      await runtimeKill(rt, id, row.spec.stopSignal);
      done = await awaitExit(engine, id, timeout * 1000);
      if (!done) {
        await engine.events.warning(
          `StopSignal ${
            signalName(row.spec.stopSignal)
          } failed to stop container ${row.name} in ${timeout} seconds, resorting to SIGKILL`,
        );
      }
    }
    if (!done) {
      await runtimeKill(rt, id, 9);
      done = await awaitExit(engine, id, KILL_WAIT_MS);
    }
    if (!done) throw new StateError(`container ${id} did not exit after SIGKILL`);
    log("debug", `stop ${id.slice(0, 12)}: exited`);
  }
  row = syncContainer(engine, id);
  if (!row) return undefined;
  if (needsCleanup(row.state)) {
    await cleanupContainer(engine, id, { remove: row.spec.autoRemove });
    row = syncContainer(engine, id);
  } else if (removalMissed(row)) {
    await finishAutoRemove(engine, id); // its cleanup process died before the removal
    row = syncContainer(engine, id);
  }
  // Only this stop's own outcome is reported: stopping a stopped container is a no-op.
  if (stopping && row?.error === MONITOR_DIED) throw new MonitorDiedError(MONITOR_DIED);
  return row;
}
