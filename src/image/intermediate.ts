/**
 * Intermediate images (pure): what `build` leaves for its cache, one per step. As podman
 * counts them, an image is intermediate when it has no name and another image is built on it
 * (its layers and history are a strict prefix of the other's); `images` hides them unless
 * `-a` is given.
 *
 * @module
 */
import type { ImageRow } from "../store/images.ts";

/** The part of an image its children repeat: its layers and its history. */
function lineage(row: ImageRow): { layers: string[]; history: string[] } {
  let history: unknown[] = [];
  try {
    history = JSON.parse(row.config).history ?? [];
  } catch { /* a config without history */ }
  return {
    layers: row.layers.map((l) => l.diffId),
    history: history.map((h) => JSON.stringify(h)),
  };
}

function isPrefix(a: string[], b: string[]): boolean {
  return a.length <= b.length && a.every((x, i) => x === b[i]);
}

/**
 * The IDs of the unnamed images among `rows` that another of `rows` is built on.
 *
 * @example
 * ```ts
 * intermediateIds([{ row: stepImage, names: [] }, { row: finalImage, names: ["a"] }]);
 * // Set { stepImage.id }
 * ```
 */
export function intermediateIds(rows: { row: ImageRow; names: string[] }[]): Set<string> {
  const all = rows.map(({ row, names }) => ({ id: row.id, names, ...lineage(row) }));
  const out = new Set<string>();
  for (const a of all) {
    if (a.names.length) continue;
    const parentOfSome = all.some((b) =>
      b.id !== a.id && b.history.length > a.history.length && isPrefix(a.history, b.history) &&
      isPrefix(a.layers, b.layers)
    );
    if (parentOfSome) out.add(a.id);
  }
  return out;
}
