/**
 * Containers that depend on others: `--network container:X` joins X's network namespace, so
 * X must run first and may not be removed before it (podman's dependency rules).
 *
 * @module
 */
import { ConflictError, StateError } from "../errors.ts";
import { dependentIds, getContainer } from "../store/containers.ts";
import type { Engine } from "./engine.ts";
import { hasProcess } from "./states.ts";

/** The network namespace a container joins, and whether it is not the host's. */
export interface JoinedNetwork {
  path: string;
  own: boolean;
}

/** The inode of a namespace file, to tell whether two processes share it. */
function nsInode(path: string): number | undefined {
  try {
    return Deno.statSync(path).ino ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The network namespace of container `from` (running), for a container that joins it.
 *
 * @throws {StateError} if `from` is gone or has no process
 */
export function networkToJoin(engine: Engine, from: string): JoinedNetwork {
  const target = getContainer(engine.store, from);
  if (!target || !hasProcess(target.state) || target.pid <= 0) {
    throw new StateError(
      `cannot join the network namespace of container ${from}: it is not running`,
    );
  }
  const path = `/proc/${target.pid}/ns/net`;
  const ino = nsInode(path);
  if (ino === undefined) {
    throw new StateError(`cannot join the network namespace of container ${from}: ${path} is gone`);
  }
  return { path, own: ino !== nsInode("/proc/self/ns/net") };
}

/**
 * Refuse to remove `id` while other containers depend on it, with podman's message.
 *
 * @throws {ConflictError} naming the dependents
 */
export function checkNoDependents(engine: Engine, id: string): void {
  const deps = dependentIds(engine.store, id);
  if (deps.length) {
    throw new ConflictError(
      `container ${id} has dependent containers which must be removed before it: ${
        deps.join(", ")
      }: container already exists`,
    );
  }
}

/**
 * `rm --depend`: the order to remove `id` and everything that depends on it, dependents
 * first (depth first), each once.
 */
export function removalOrder(engine: Engine, id: string): string[] {
  const order: string[] = [];
  const visit = (c: string) => {
    if (order.includes(c)) return;
    for (const d of dependentIds(engine.store, c)) visit(d);
    order.push(c);
  };
  visit(id);
  return order;
}
