/**
 * Whether a new container may be recorded, decided from the request and facts about the
 * store and the host (no I/O): a valid name nobody holds, and no `--ulimit` above the
 * host's hard limit (the runtime could not raise it, and the start would fail later with
 * a less helpful message). Both front ends get the same refusals.
 *
 * @module
 */
import { ConflictError, UlimitAboveHostError, UsageError } from "../../errors.ts";
import type { ContainerSpec } from "../../spec.ts";
import { RLIM_INFINITY, type Rlimit } from "../../oci/limits.ts";

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** The container a front end asks for, once its spec is built. */
export interface CreateCandidate {
  /** The name asked for, or the random one picked for it. */
  name: string;
  spec: ContainerSpec;
}

/** What the store and the host say about a container about to be created. */
export interface CreateFacts {
  /** The ID of the container that already holds the name, if any. */
  nameOwner?: string;
  /** The host's hard limit per rlimit type (`RLIMIT_NOFILE` → 1048576). */
  hostHard: Record<string, number>;
}

/** @throws {UsageError} unless `name` is a valid container name (podman's rule) */
export function validateName(name: string): void {
  if (!NAME_RE.test(name)) {
    throw new UsageError(
      `invalid container name "${name}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`,
    );
  }
}

/**
 * Refuse an rlimit above the host's hard limit.
 *
 * @throws {UlimitAboveHostError} naming the limit
 */
export function checkUlimit(limit: Rlimit, hostHard: Record<string, number>): void {
  const max = hostHard[limit.type];
  if (max !== undefined && limit.hard > max) {
    const name = limit.type.slice("RLIMIT_".length).toLowerCase();
    const text = (n: number) => n === RLIM_INFINITY ? "unlimited" : `${n}`;
    throw new UlimitAboveHostError(
      `ulimit ${name}: hard limit ${text(limit.hard)} exceeds the host's ${text(max)}`,
    );
  }
}

/**
 * Decide whether `candidate` may be created; returns when it may.
 *
 * @example
 * ```ts
 * decideCreate({ name: "web", spec }, { hostHard: {} }); // ok
 * decideCreate({ name: "web", spec }, { nameOwner: "3f2a…", hostHard: {} }); // throws ConflictError
 * ```
 * @throws {UsageError} for an invalid name
 * @throws {UlimitAboveHostError} for a `--ulimit` the host cannot grant
 * @throws {ConflictError} when another container holds the name
 */
export function decideCreate(candidate: CreateCandidate, facts: CreateFacts): void {
  const name = candidate.name;
  validateName(name);
  for (const u of candidate.spec.ulimits ?? []) checkUlimit(u, facts.hostHard);
  if (facts.nameOwner !== undefined) {
    throw new ConflictError(
      `the container name "${name}" is already in use by ${facts.nameOwner}. You have to remove that container to be able to reuse that name: that name is already in use`,
    );
  }
}
