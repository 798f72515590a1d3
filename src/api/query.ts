/**
 * Reading Docker API query parameters the way moby does.
 *
 * @module
 */
import { UsageError } from "../errors.ts";

/**
 * A boolean parameter by moby's `BoolValue` rule: `""`, `0`, `no`, `false`, `none` are false,
 * anything else true; `fallback` when the parameter is absent.
 */
export function queryBool(query: URLSearchParams, name: string, fallback = false): boolean {
  const v = query.get(name);
  if (v === null) return fallback;
  return !["", "0", "no", "false", "none"].includes(v.trim().toLowerCase());
}

/**
 * A non-negative integer parameter; `fallback` when absent or empty.
 *
 * @throws {UsageError} (400) when it is not a number
 */
export function queryInt(query: URLSearchParams, name: string, fallback: number): number {
  const v = query.get(name);
  if (v === null || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`invalid value for ${name}: ${v}`);
  return n;
}

/**
 * The `filters` parameter (`{"label":{"k=v":true}}` or the older `{"label":["k=v"]}`) as
 * name → values.
 *
 * @throws {UsageError} (400) on malformed JSON
 */
export function queryFilters(query: URLSearchParams): Record<string, string[]> {
  const raw = query.get("filters");
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new UsageError(`invalid filters: ${raw}`);
  }
  const out: Record<string, string[]> = {};
  if (!parsed || typeof parsed !== "object") return out;
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(v)) out[k] = v.map(String);
    else if (v && typeof v === "object") {
      out[k] = Object.entries(v as Record<string, unknown>).filter(([, on]) => on).map(([x]) => x);
    }
  }
  return out;
}
