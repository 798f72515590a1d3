/**
 * create: record a new container (state `created`) and make its directory. Nothing touches
 * the runtime yet. What may be created is `decide/create.ts`'s call, made inside the
 * transaction that inserts the row, so a duplicate name is refused before anything is
 * written.
 *
 * @module
 */
import { INITIAL_STATE } from "./states.ts";
import { containerHostname } from "./etc_files.ts";
import { UsageError } from "../errors.ts";
import { immediate } from "../store/db.ts";
import {
  type ContainerRow,
  deleteContainer,
  getContainerByName,
  insertContainer,
  newContainerRow,
} from "../store/containers.ts";
import type { Engine } from "./engine.ts";
import { containerPaths } from "./paths.ts";
import { overlayOptions } from "./rootfs.ts";
import type { ContainerSpec } from "../spec.ts";
import { notifyChange } from "./notify.ts";
import { findContainer } from "./lookup.ts";
import { checkStaticIp, DEFAULT_NETWORK, ensureDefaultNetwork, findNetwork } from "./networks.ts";
import { assignHostPorts } from "../network/ports.ts";
import { decideCreate } from "./decide/create.ts";
import { hostHardLimits, readProcLimits } from "../oci/limits.ts";

/** A fresh 64-hex container ID. */
export function newContainerId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const ADJECTIVES = [
  "brave",
  "calm",
  "eager",
  "fond",
  "keen",
  "lucid",
  "merry",
  "quiet",
  "swift",
  "wise",
];
const NOUNS = [
  "anchor",
  "bollard",
  "cleat",
  "dock",
  "harbor",
  "jetty",
  "mooring",
  "pier",
  "quay",
  "wharf",
];

/** A random `adjective_noun` name, podman-style. */
export function randomName(): string {
  const pick = (a: string[]) => a[crypto.getRandomValues(new Uint32Array(1))[0] % a.length];
  return `${pick(ADJECTIVES)}_${pick(NOUNS)}_${crypto.getRandomValues(new Uint16Array(1))[0]}`;
}

/**
 * Create a container from a validated spec.
 *
 * @throws {UsageError} for an invalid name
 * @throws {UlimitAboveHostError} for a `--ulimit` above the host's hard limit
 * @throws {ConflictError} if the name is taken
 */
export function createContainer(
  engine: Engine,
  spec: ContainerSpec,
  name: string | undefined,
): ContainerRow {
  if (spec.networkFrom !== undefined) {
    // Named by its ID from now on: a later container of the same name is another container.
    spec = { ...spec, networkFrom: findContainer(engine, spec.networkFrom).id };
  }
  if (spec.networks?.length) {
    // Named as stored; an unknown network or a taken host port stops create here.
    spec = {
      ...spec,
      networks: spec.networks.map((n) =>
        checkStaticIp(
          n === DEFAULT_NETWORK ? ensureDefaultNetwork(engine) : findNetwork(engine, n),
          spec.staticIp,
        )
      ),
      ...(spec.ports ? { ports: assignHostPorts(spec.ports) } : {}),
    };
  }
  const id = newContainerId();
  const row = newContainerRow({
    id,
    name: name ?? randomName(),
    state: INITIAL_STATE,
    spec: { ...spec, hostname: containerHostname(spec, id, Deno.hostname()) },
  }, engine.now());
  immediate(engine.store, () => {
    decideCreate(
      { name: row.name, spec },
      {
        nameOwner: getContainerByName(engine.store, row.name)?.id,
        hostHard: hostHardLimits(readProcLimits()),
      },
    );
    if (spec.rootfs.kind === "overlay") {
      // Refused now rather than at every start: paths the overlay mount options cannot carry.
      const p = containerPaths(engine.paths, id);
      overlayOptions(spec.rootfs.lowers, p.upper, p.work);
    }
    insertContainer(engine.store, row);
  });
  try {
    Deno.mkdirSync(containerPaths(engine.paths, id).bundle, { recursive: true, mode: 0o700 });
  } catch (err) {
    immediate(engine.store, () => deleteContainer(engine.store, id));
    throw new UsageError(`creating container directory: ${(err as Error).message}`);
  }
  notifyChange(engine, id);
  return row;
}
