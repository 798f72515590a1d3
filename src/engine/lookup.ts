/**
 * Finding a container by what the user typed: full ID, exact name, or a unique ID prefix
 * (podman's order). Removed containers are found only through their exit codes.
 *
 * @module
 */
import { ConflictError, NoSuchContainerError } from "../errors.ts";
import {
  type ContainerRow,
  getContainer,
  getContainerByName,
  idsWithPrefix,
} from "../store/containers.ts";
import { type ExitCodeRow, findExitCodes } from "../store/exit_codes.ts";
import type { Engine } from "./engine.ts";

/**
 * The container `nameOrId` names.
 *
 * @throws {NoSuchContainerError} if none; {@linkcode ConflictError} if a prefix is ambiguous
 */
export function findContainer(engine: Engine, nameOrId: string): ContainerRow {
  const row = tryFindContainer(engine, nameOrId);
  if (!row) throw new NoSuchContainerError(nameOrId);
  return row;
}

/** Like {@linkcode findContainer}, but undefined when there is no such container. */
export function tryFindContainer(engine: Engine, nameOrId: string): ContainerRow | undefined {
  if (nameOrId === "") return undefined;
  const store = engine.store;
  if (/^[0-9a-f]{64}$/.test(nameOrId)) {
    const row = getContainer(store, nameOrId);
    if (row) return row;
  }
  const byName = getContainerByName(store, nameOrId);
  if (byName) return byName;
  if (!/^[0-9a-f]+$/.test(nameOrId)) return undefined;
  const ids = idsWithPrefix(store, nameOrId, 2);
  if (ids.length > 1) {
    throw new ConflictError(
      `more than one result for container ID prefix "${nameOrId}": ambiguous; use more characters`,
    );
  }
  return ids.length ? getContainer(store, ids[0]) : undefined;
}

/**
 * The exit code row of a removed container named by full ID, unique prefix or former name.
 */
export function findRemovedExitCode(engine: Engine, nameOrId: string): ExitCodeRow | undefined {
  if (nameOrId === "") return undefined;
  const rows = findExitCodes(engine.store, nameOrId);
  const exact = rows.find((r) => r.id === nameOrId) ?? rows.find((r) => r.name === nameOrId);
  if (exact) return exact;
  const prefixed = rows.filter((r) => r.id.startsWith(nameOrId));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
