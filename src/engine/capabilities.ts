/**
 * `--cap-add`/`--cap-drop` (and the API's `CapAdd`/`CapDrop`) into the capability set, for
 * both front ends.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { ALL_CAPS, DEFAULT_CAPS } from "../oci/config.ts";

/**
 * The capability set after `--cap-add`/`--cap-drop` (names with or without `CAP_`, any case;
 * `ALL` in either). Undefined when neither flag was given (the default set applies).
 *
 * @throws {UsageError} for an unknown capability
 */
export function applyCapabilityFlags(add: string[], drop: string[]): string[] | undefined {
  if (add.length === 0 && drop.length === 0) return undefined;
  const norm = (c: string) => {
    const up = c.trim().toUpperCase();
    const name = up === "ALL" ? up : up.startsWith("CAP_") ? up : `CAP_${up}`;
    if (name !== "ALL" && !ALL_CAPS.includes(name)) {
      throw new UsageError(`unknown capability "${c}"`);
    }
    return name;
  };
  const adds = add.flatMap((a) => a.split(",")).map(norm);
  const drops = drop.flatMap((d) => d.split(",")).map(norm);
  let caps = drops.includes("ALL") ? [] : [...DEFAULT_CAPS];
  caps = adds.includes("ALL") ? [...ALL_CAPS] : [...new Set([...caps, ...adds])];
  return caps.filter((c) => !drops.includes(c) || adds.includes(c));
}
