/**
 * Whether a new container may be recorded, decided from the request and facts about the
 * store (no I/O): a valid name nobody holds. Both front ends get the same refusals.
 *
 * @module
 */
import { ConflictError, UsageError } from "../../errors.ts";
import type { ContainerSpec } from "../../spec.ts";

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** The container a front end asks for, once its spec is built. */
export interface CreateCandidate {
  /** The name asked for, or the random one picked for it. */
  name: string;
  spec: ContainerSpec;
}

/** What the store says about a container about to be created. */
export interface CreateFacts {
  /** The ID of the container that already holds the name, if any. */
  nameOwner?: string;
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
 * Decide whether `candidate` may be created; returns when it may.
 *
 * @example
 * ```ts
 * decideCreate({ name: "web", spec }, {}); // ok
 * decideCreate({ name: "web", spec }, { nameOwner: "3f2a…" }); // throws ConflictError
 * ```
 * @throws {UsageError} for an invalid name
 * @throws {ConflictError} when another container holds the name
 */
export function decideCreate(candidate: CreateCandidate, facts: CreateFacts): void {
  const name = candidate.name;
  validateName(name);
  if (facts.nameOwner !== undefined) {
    throw new ConflictError(
      `the container name "${name}" is already in use by ${facts.nameOwner}. You have to remove that container to be able to reuse that name: that name is already in use`,
    );
  }
}
