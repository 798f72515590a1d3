import { ImageError } from "../errors.ts";
/**
 * Cleaning tar entry names into safe relative paths (pure).
 *
 * @module
 */

/**
 * Split an entry name into path components: leading `/` and `./` dropped, empty and `.`
 * components removed. An empty result means the archive root.
 *
 * @throws {ImageError} when a component is `..` (the entry would leave the layer) or the
 * name contains a NUL byte
 *
 * @example
 * ```ts
 * cleanEntryPath("./usr//bin/"); // ["usr", "bin"]
 * cleanEntryPath("/etc/passwd"); // ["etc", "passwd"]
 * ```
 */
export function cleanEntryPath(name: string): string[] {
  if (name.includes("\0")) {
    throw new ImageError(`tar entry name contains NUL: ${JSON.stringify(name)}`);
  }
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) {
    throw new ImageError(`tar entry ${JSON.stringify(name)} escapes the layer ("..")`);
  }
  return parts;
}
