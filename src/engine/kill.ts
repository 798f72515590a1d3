/**
 * kill: send a signal to a running container's process (podman: only running containers).
 *
 * @module
 */
import { NoSuchContainerError, StateError } from "../errors.ts";
import type { Engine } from "./engine.ts";
import { canKill } from "./states.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { resolveRuntime, runtimeKill } from "../oci/runtime.ts";

/**
 * Signal container `id`.
 *
 * @throws {StateError} if it is not running
 */
export async function killContainer(engine: Engine, id: string, signal: number): Promise<void> {
  const row = syncAndCheck(engine, id);
  if (!row) throw new NoSuchContainerError(id);
  if (!canKill(row.state)) {
    throw new StateError(
      `can only kill running containers. ${id} is in state ${row.state}: container state improper`,
    );
  }
  await runtimeKill(
    resolveRuntime(row.spec.runtime, engine.paths.runroot, engine.opts.runtimeFlags),
    id,
    signal,
  );
}
