/**
 * `network connect` and `network disconnect`: change the bridge networks of a container,
 * under its lock. A running container gets (or loses) the interface at once; any other one
 * at its next start, from its spec.
 *
 * @module
 */
import { ConflictError, NoSuchContainerError, UsageError } from "../errors.ts";
import { immediate } from "../store/db.ts";
import { updateSpec } from "../store/containers.ts";
import type { Engine } from "./engine.ts";
import { findContainer } from "./lookup.ts";
import { findNetwork } from "./networks.ts";
import { withContainerLock } from "./lock.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { hasProcess } from "./states.ts";
import { connectRunning, disconnectRunning, isBridged } from "./network_attach.ts";

/**
 * Connect container `ctr` to network `name`; `aliases` join its `--network-alias` names.
 *
 * @throws {UsageError} for a container off the bridges; {@linkcode ConflictError} if it is
 * connected already
 */
export async function connectNetwork(
  engine: Engine,
  name: string,
  ctr: string,
  aliases: string[],
): Promise<void> {
  const net = findNetwork(engine, name);
  const id = findContainer(engine, ctr).id;
  await withContainerLock(engine, id, async () => {
    const row = syncAndCheck(engine, id);
    if (!row) throw new NoSuchContainerError(ctr);
    if (!isBridged(row.spec)) {
      throw new UsageError(
        `container ${id} uses the ${row.spec.network} network mode: only a container on bridge networks can be connected`,
      );
    }
    if (row.spec.networks?.includes(net.name)) {
      throw new ConflictError(
        `container ${id} is already connected to network ${net.name}: network is already connected`,
      );
    }
    const spec = {
      ...row.spec,
      networks: [...(row.spec.networks ?? []), net.name],
      ...(aliases.length
        ? { networkAliases: [...new Set([...(row.spec.networkAliases ?? []), ...aliases])] }
        : {}),
    };
    immediate(engine.store, () => updateSpec(engine.store, id, spec));
    if (hasProcess(row.state)) await connectRunning(engine, { ...row, spec }, net);
  });
}

/**
 * Disconnect container `ctr` from network `name`.
 *
 * @throws {UsageError} if it is not connected to it, or it is its last network
 */
export async function disconnectNetwork(engine: Engine, name: string, ctr: string) {
  const net = findNetwork(engine, name);
  const id = findContainer(engine, ctr).id;
  await withContainerLock(engine, id, async () => {
    const row = syncAndCheck(engine, id);
    if (!row) throw new NoSuchContainerError(ctr);
    const networks = row.spec.networks ?? [];
    if (!networks.includes(net.name)) {
      throw new UsageError(
        `container ${id} is not connected to network ${net.name}: network is not connected`,
      );
    }
    if (networks.length === 1) {
      throw new UsageError(
        `container ${id} is on no other network: a bridged container keeps at least one (rm it, or connect another first)`,
      );
    }
    const spec = { ...row.spec, networks: networks.filter((n) => n !== net.name) };
    immediate(engine.store, () => updateSpec(engine.store, id, spec));
    if (hasProcess(row.state)) await disconnectRunning(engine, row, net);
  });
}
