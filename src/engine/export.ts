/**
 * export: a tar of a container's root filesystem as its processes see it (the overlay of
 * its image and its changes; mounted for the while if the container is not running), without
 * the volumes mounted into it, as podman's `export` writes it.
 *
 * @module
 */
import type { Engine } from "./engine.ts";
import { findContainer } from "./lookup.ts";
import { withContainerRoot } from "./copy.ts";
import { walkEntries, writeTar } from "./copy_tree.ts";

/**
 * Write container `nameOrId`'s root filesystem as a tar to `write`.
 *
 * @throws {NoSuchContainerError} / {StateError} (being removed)
 */
export async function exportContainer(
  engine: Engine,
  nameOrId: string,
  write: (b: Uint8Array) => Promise<void>,
): Promise<void> {
  const row = findContainer(engine, nameOrId);
  await withContainerRoot(engine, row.id, async (view) => {
    await writeTar(walkEntries({ ...view, mounts: [] }, "/", ""), write);
  });
}
