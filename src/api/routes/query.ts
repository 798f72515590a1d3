/**
 * Query-string values as Docker reads them: booleans (moby's `BoolValue`), the `filters`
 * JSON in both its map and list forms, and times given as Unix seconds with fractions.
 *
 * @module
 */
import { UsageError } from "../../errors.ts";

/** moby's rule: absent, "", 0, no, false, none are false; anything else true. */
export function queryBool(q: URLSearchParams, name: string, fallback = false): boolean {
  const v = q.get(name);
  if (v === null) return fallback;
  return !["", "0", "no", "false", "none"].includes(v.trim().toLowerCase());
}

/**
 * `filters={"status":{"running":true}}` or `{"status":["running"]}` → key → values.
 *
 * @throws {UsageError} on malformed JSON
 */
export function parseFilters(raw: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!raw) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new UsageError(`invalid filters: ${raw}`);
  }
  if (typeof parsed !== "object" || parsed === null) {
    throw new UsageError(`invalid filters: ${raw}`);
  }
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    const values = Array.isArray(v)
      ? v.map(String)
      : typeof v === "object" && v !== null
      ? Object.entries(v).filter(([, on]) => on).map(([x]) => x)
      : [String(v)];
    out.set(k, values);
  }
  return out;
}

/**
 * A Docker time parameter (`since`, `until`): Unix seconds, maybe with a fraction; `0` or
 * absent is none. Returns milliseconds since the epoch.
 *
 * @throws {UsageError} for anything else
 */
export function queryTime(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === "" || v === "0") return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.floor(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new UsageError(`invalid ${name}: ${v}`);
  return t;
}
