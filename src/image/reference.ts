/**
 * Image references, normalised the way docker and podman do: `busybox` →
 * `docker.io/library/busybox:latest`, `host:port/name:tag`, `name@sha256:…` (pure). Names
 * given to local images (import, tag, load) default to podman's `localhost/` instead, and a
 * short name is looked up locally under both.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { isDigest } from "./digest.ts";

/** A parsed, normalised reference. */
export interface Reference {
  /** Registry host (with port), e.g. `docker.io`, `127.0.0.1:5000`. */
  registry: string;
  /** Repository path, e.g. `library/busybox`. */
  repository: string;
  /** Tag, when given or defaulted (absent for a digest-only reference). */
  tag?: string;
  /** `sha256:…` when pinned by digest. */
  digest?: string;
}

/** The default registry for names without a host. */
export const DEFAULT_REGISTRY = "docker.io";

/** The registry podman gives a locally created image whose name has no host. */
export const LOCAL_REGISTRY = "localhost";

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d+)?$|^\[[0-9a-fA-F:.]+\](?::\d+)?$/;

/** Whether the first component of a name is a registry host rather than a path component. */
function isHostComponent(first: string): boolean {
  return first.includes(".") || first.includes(":") || first === "localhost" || /[A-Z]/.test(first);
}

/**
 * Whether `text` names no registry (`busybox`, `foo/bar:1`): a short name, whose registry is
 * a default.
 */
export function isShortName(text: string): boolean {
  const name = text.split("@")[0];
  const slash = name.indexOf("/");
  return slash === -1 || !isHostComponent(name.slice(0, slash));
}

/**
 * Parse and normalise `text`. A tag defaults to `latest` unless a digest is given; the
 * registry defaults to `defaultRegistry` (`library/` is added to one-component names on
 * docker.io only).
 *
 * @throws {UsageError} when the reference is malformed
 *
 * @example
 * ```ts
 * formatReference(parseReference("busybox")); // "docker.io/library/busybox:latest"
 * ```
 */
export function parseReference(text: string, defaultRegistry = DEFAULT_REGISTRY): Reference {
  const bad = (why: string) => new UsageError(`invalid reference format "${text}": ${why}`);
  if (text === "" || text.length > 4096) throw bad("empty or too long");
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) throw bad("digest must be sha256:<64 hex digits>");
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(`invalid tag "${tag}"`);
  }
  const parts = rest.split("/");
  let registry = defaultRegistry;
  const first = parts[0];
  if (parts.length > 1 && isHostComponent(first)) {
    registry = first;
    parts.shift();
    if (!HOST.test(registry)) throw bad(`invalid registry host "${registry}"`);
  }
  if (registry === "index.docker.io" || registry === "registry-1.docker.io") {
    registry = DEFAULT_REGISTRY;
  }
  if (parts.length === 0 || parts.some((p) => !COMPONENT.test(p))) {
    throw bad("repository name must be lowercase letters, digits and separators");
  }
  if (registry === DEFAULT_REGISTRY && parts.length === 1) parts.unshift("library");
  if (tag === undefined && digest === undefined) tag = "latest";
  return { registry, repository: parts.join("/"), tag, digest };
}

/** `registry/repository`. */
export function repoName(ref: Reference): string {
  return `${ref.registry}/${ref.repository}`;
}

/** The full normalised text: `registry/repository[:tag][@digest]`. */
export function formatReference(ref: Reference): string {
  return repoName(ref) + (ref.tag ? `:${ref.tag}` : "") + (ref.digest ? `@${ref.digest}` : "");
}

/**
 * The name an image is stored under locally: `repo:tag`, or `repo@digest` for a digest-only
 * reference.
 */
export function storedName(ref: Reference): string {
  return ref.tag ? `${repoName(ref)}:${ref.tag}` : `${repoName(ref)}@${ref.digest}`;
}

/**
 * The name a locally created image gets (`import`, `tag`, `load`): like podman, a name
 * without a registry is `localhost/NAME`.
 *
 * @throws {UsageError} when the reference is malformed
 *
 * @example
 * ```ts
 * localName("bb2"); // "localhost/bb2:latest"
 * localName("docker.io/bb2"); // "docker.io/library/bb2:latest"
 * ```
 */
export function localName(text: string): string {
  return storedName(parseReference(text, LOCAL_REGISTRY));
}

/**
 * The stored names a local lookup of `text` tries, in order: for a short name
 * `localhost/NAME` first, then the docker.io normalisation (podman's local resolution).
 *
 * @throws {UsageError} when the reference is malformed
 */
export function localCandidates(text: string): string[] {
  const normal = storedName(parseReference(text));
  return isShortName(text) ? [localName(text), normal] : [normal];
}

/**
 * The references a pull of `text` tries, in order: a short name in each of the `search`
 * registries (`alpine` → `quay.io/alpine:latest`, `docker.io/library/alpine:latest`: podman's
 * unqualified-search-registries rule, `library/` on docker.io only), any other name as it is.
 *
 * @param search berth.conf's `[registries] search`; docker.io alone when unset
 * @throws {UsageError} when the reference is malformed
 *
 * @example
 * ```ts
 * pullCandidates("alpine", ["quay.io", "docker.io"]);
 * // ["quay.io/alpine:latest", "docker.io/library/alpine:latest"]
 * ```
 */
export function pullCandidates(
  text: string,
  search: readonly string[] = [DEFAULT_REGISTRY],
): string[] {
  if (!isShortName(text)) return [formatReference(parseReference(text))];
  return search.map((registry) => formatReference(parseReference(text, registry)));
}

/** The host to contact for a registry name (`docker.io` → `registry-1.docker.io`). */
export function registryHost(registry: string): string {
  return registry === DEFAULT_REGISTRY ? "registry-1.docker.io" : registry;
}
