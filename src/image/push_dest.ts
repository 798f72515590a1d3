/**
 * The destination of `push` (pure): `docker://REF` or a plain reference (a registry),
 * `oci:DIR[:TAG]` (an OCI layout directory), `docker-archive:FILE` or `oci-archive:FILE`.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { parseReference, type Reference } from "./reference.ts";

/** Where an image is pushed. */
export type PushDestination =
  | { kind: "registry"; ref: Reference }
  | { kind: "oci"; dir: string; tag?: string }
  | { kind: "docker-archive" | "oci-archive"; file: string };

/**
 * Parse a push destination.
 *
 * @throws {UsageError} for an empty path or a malformed reference
 */
export function parseDestination(text: string): PushDestination {
  const colon = text.indexOf(":");
  const transport = colon > 0 ? text.slice(0, colon) : "";
  const rest = text.slice(colon + 1);
  if (transport === "docker") {
    if (!rest.startsWith("//")) throw new UsageError(`invalid destination "${text}": docker://REF`);
    return { kind: "registry", ref: parseReference(rest.slice(2)) };
  }
  if (transport === "oci") {
    // A tag cannot hold "/", so the last ":" before a slash-free tail separates it.
    const m = /^(.*[^:]):([\w][\w.-]{0,127})$/.exec(rest);
    const dir = m ? m[1] : rest;
    if (!dir) throw new UsageError(`invalid destination "${text}": oci:DIR[:TAG]`);
    return { kind: "oci", dir, tag: m?.[2] };
  }
  if (transport === "docker-archive" || transport === "oci-archive") {
    if (!rest) throw new UsageError(`invalid destination "${text}": ${transport}:FILE`);
    return { kind: transport, file: rest };
  }
  return { kind: "registry", ref: parseReference(text) };
}
