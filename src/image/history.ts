/**
 * An image's history as podman's `history` lists it: one row per entry of the config's
 * `history`, newest first; a row that made a layer shows that layer's size, and the ID of
 * a stored image whose top layer it is (the image itself for the top row), `<missing>`
 * otherwise.
 *
 * @module
 */
import type { ImageRow } from "../store/images.ts";
import { imageConfig } from "./store.ts";

/** One history row. */
export interface HistoryRow {
  /** The image ID (sha256 hex), or `<missing>`. */
  id: string;
  /** Milliseconds since the epoch; NaN when the entry has no date. */
  created: number;
  /** `created` as the config writes it (RFC 3339, often with nanoseconds). */
  createdText: string;
  createdBy: string;
  size: number;
  comment: string;
}

interface HistoryEntry {
  created?: string;
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
}

/**
 * The history of `row` (pure, given the stored images and a layer-size lookup).
 */
export function imageHistory(
  row: ImageRow,
  images: ImageRow[],
  sizeOf: (diffId: string) => number,
): HistoryRow[] {
  const cfg = imageConfig(row);
  const layers = row.layers.map((l) => l.diffId);
  let entries = (Array.isArray(cfg.history) ? cfg.history : []) as HistoryEntry[];
  // No history recorded (some builders write none): one row per layer.
  if (!entries.length) entries = layers.map(() => ({ created: cfg.created }));
  const topOf = new Map<string, string>();
  for (const img of images) {
    if (img.id === row.id) continue; // the image itself names only its top row
    const ids = img.layers.map((l) => l.diffId);
    const prefix = ids.every((d, i) => d === layers[i]);
    if (prefix && ids.length) topOf.set(ids.join(","), img.id);
  }
  const out: HistoryRow[] = [];
  let layer = 0;
  for (const [i, e] of entries.entries()) {
    const makesLayer = !e.empty_layer && layer < layers.length;
    let id = "<missing>";
    let size = 0;
    if (makesLayer) {
      size = sizeOf(layers[layer]);
      id = topOf.get(layers.slice(0, layer + 1).join(",")) ?? id;
      layer++;
    }
    if (i === entries.length - 1) id = row.id;
    out.push({
      id,
      created: Date.parse(e.created ?? ""),
      createdText: e.created ?? "",
      createdBy: e.created_by ?? "",
      size,
      comment: e.comment ?? "",
    });
  }
  return out.reverse();
}
