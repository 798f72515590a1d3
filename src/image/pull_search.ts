/**
 * Pulling a name that may be short: each candidate of {@linkcode pullCandidates} in turn (the
 * search registries of berth.conf, docker.io when it names none), the first that a registry
 * serves wins, and when none does, one error says what was tried and why each failed.
 *
 * @module
 */
import { RegistryError } from "../errors.ts";
import type { ImageRow } from "../store/images.ts";
import { pullImage, type PullOptions } from "./pull.ts";
import { parseReference, pullCandidates } from "./reference.ts";
import type { ImageCtx } from "./store.ts";

/** The options of one registry's pull: TLS and credentials differ from registry to registry. */
export type PullOptionsFor = (registry: string) => PullOptions;

/** What {@linkcode pullSearching} pulled, and the reference it was found as. */
export interface Pulled {
  row: ImageRow;
  /** The candidate that a registry served, fully qualified. */
  ref: string;
}

/**
 * Pull `text`, trying each candidate in order. A registry's refusal or absence
 * ({@linkcode RegistryError}) moves on to the next; other errors (a digest mismatch, a bad
 * image) stop the search, as they say the registry answered.
 *
 * @param search the registries a short name is tried in (undefined: docker.io)
 * @throws {RegistryError} the registry's own error when there was one candidate; otherwise
 * one line naming every candidate with why it failed
 * @throws {UsageError} when `text` is malformed
 */
export async function pullSearching(
  ctx: ImageCtx,
  text: string,
  search: readonly string[] | undefined,
  optionsFor: PullOptionsFor,
): Promise<Pulled> {
  const candidates = pullCandidates(text, search);
  if (candidates.length === 0) {
    // podman's words for an empty unqualified-search-registries.
    throw new RegistryError(
      `short-name "${text}" did not resolve: berth.conf's [registries] search is empty`,
    );
  }
  const failures: string[] = [];
  for (const ref of candidates) {
    try {
      return { row: await pullImage(ctx, ref, optionsFor(parseReference(ref).registry)), ref };
    } catch (err) {
      if (!(err instanceof RegistryError) || candidates.length === 1) throw err;
      failures.push(`${ref}: ${err.message}`);
    }
  }
  throw new RegistryError(
    `pulling short name "${text}" failed in every search registry: ${failures.join("; ")}`,
  );
}
