/**
 * create: record a new container (state `created`) and make its directory. Nothing touches
 * the runtime yet. A duplicate name is refused before anything is written.
 *
 * @module
 */
import { INITIAL_STATE } from "./states.ts";
import { containerHostname } from "./etc_files.ts";
import { ConflictError, UsageError } from "../errors.ts";
import { immediate } from "../store/db.ts";
import {
  type ContainerRow,
  deleteContainer,
  getContainerByName,
  insertContainer,
} from "../store/containers.ts";
import type { Engine } from "./engine.ts";
import { containerPaths } from "./paths.ts";
import { overlayOptions } from "./rootfs.ts";
import type { ContainerSpec } from "../spec.ts";
import { notifyChange } from "./notify.ts";
import { findContainer } from "./lookup.ts";
import { findNetwork } from "./networks.ts";
import { assignHostPorts } from "../network/ports.ts";

/** A fresh 64-hex container ID. */
export function newContainerId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** @throws {UsageError} unless `name` is a valid container name (podman's rule) */
export function validateName(name: string): void {
  if (!NAME_RE.test(name)) {
    throw new UsageError(
      `invalid container name "${name}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`,
    );
  }
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
 * @throws {ConflictError} if the name is taken
 */
export function createContainer(
  engine: Engine,
  spec: ContainerSpec,
  name: string | undefined,
): ContainerRow {
  if (name !== undefined) validateName(name);
  if (spec.networkFrom !== undefined) {
    // Named by its ID from now on: a later container of the same name is another container.
    spec = { ...spec, networkFrom: findContainer(engine, spec.networkFrom).id };
  }
  if (spec.networks?.length) {
    // Named as stored; an unknown network or a taken host port stops create here.
    spec = {
      ...spec,
      networks: spec.networks.map((n) => findNetwork(engine, n).name),
      ...(spec.ports ? { ports: assignHostPorts(spec.ports) } : {}),
    };
  }
  const id = newContainerId();
  if (spec.rootfs.kind === "overlay") {
    // Refused now rather than at every start: paths the overlay mount options cannot carry.
    const p = containerPaths(engine.paths, id);
    overlayOptions(spec.rootfs.lowers, p.upper, p.work);
  }
  const now = engine.now();
  const row: ContainerRow = {
    id,
    name: name ?? randomName(),
    state: INITIAL_STATE,
    spec: { ...spec, hostname: containerHostname(spec, id, Deno.hostname()) },
    createdAt: now,
    incarnation: 0,
    pid: 0,
    conmonPid: 0,
    startedAt: 0,
    finishedAt: 0,
    exitCode: null,
    error: "",
    stateSince: now,
    restartCount: 0,
    stoppedByUser: false,
  };
  immediate(engine.store, () => {
    const clash = getContainerByName(engine.store, row.name);
    if (clash) {
      throw new ConflictError(
        `the container name "${row.name}" is already in use by ${clash.id}. You have to remove that container to be able to reuse that name: that name is already in use`,
      );
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
