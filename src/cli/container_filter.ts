/**
 * podman's container filters (`ps --filter`, `start --filter`): `KEY=VALUE` pairs, where the
 * values of one key are alternatives (any may match) and different keys must all match.
 * `id=`, `name=`, `status=`, `exited=`, `label=`, `restart-policy=`.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import type { ContainerRow } from "../store/containers.ts";
import { filterStatus, hasExited, STATES } from "../engine/states.ts";
import { RESTART_POLICY_NAMES, restartPolicyName } from "../engine/restart_policy.ts";

/** The values `status=` accepts: berth's states and podman's (stopped means exited). */
const STATUS_VALUES = [...STATES, "configured", "paused", "unknown"] as string[];

/** A parsed set of filters. */
export interface ContainerFilter {
  /** The keys given (`ps` lists every state when `status` is one, as podman does). */
  keys: Set<string>;
  /** True if `row` passes every key. */
  test(row: ContainerRow): boolean;
}

/** Group `KEY=VALUE` strings by key, in order. */
export function groupFilters(filters: string[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const f of filters) {
    const eq = f.indexOf("=");
    if (eq === -1) throw new UsageError(`invalid filter "${f}": expected KEY=VALUE`);
    const key = f.slice(0, eq);
    byKey.set(key, [...(byKey.get(key) ?? []), f.slice(eq + 1)]);
  }
  return byKey;
}

/** A regular expression from a filter value (podman matches id/name as regexps). */
function regexp(key: string, value: string): RegExp {
  try {
    return new RegExp(value);
  } catch {
    throw new UsageError(`invalid filter "${key}=${value}": bad regular expression`);
  }
}

/** One key's test: true if any of `values` matches. */
function keyTest(key: string, values: string[]): (r: ContainerRow) => boolean {
  switch (key) {
    case "id": {
      const res = values.map((v) => regexp(key, v));
      return (r) => res.some((re) => re.test(r.id));
    }
    case "name": {
      const res = values.map((v) => regexp(key, v));
      return (r) => res.some((re) => re.test(r.name));
    }
    case "status": {
      for (const v of values) {
        if (!STATUS_VALUES.includes(v)) throw new UsageError(`unknown container state: ${v}`);
      }
      const wanted = values.map((v) => v === "stopped" ? "exited" : v);
      return (r) => wanted.includes(filterStatus(r.state)) || wanted.includes(r.state);
    }
    case "exited": {
      const codes = values.map((v) => {
        if (!/^-?\d+$/.test(v)) {
          throw new UsageError(`exited code out of range "${v}": invalid syntax`);
        }
        return Number(v);
      });
      return (r) => hasExited(r.state) && r.exitCode !== null && codes.includes(r.exitCode);
    }
    case "label":
      // Every label given must be there (podman's MatchLabelFilters).
      return (r) => values.every((v) => hasLabel(r, v));
    case "restart-policy": {
      const bad = values.filter((v) =>
        v !== "none" && !(RESTART_POLICY_NAMES as readonly string[]).includes(v)
      );
      if (bad.length) {
        throw new UsageError(
          `${bad.join(", ")} ${
            bad.length > 1 ? "invalid restart policies" : "invalid restart policy"
          }`,
        );
      }
      // `none` is a container created without --restart (podman's policy "").
      return (r) => {
        const name = restartPolicyName(r.spec.restartPolicy);
        return values.some((v) => v === "none" ? name === "" : name === v);
      };
    }
    default:
      throw new UsageError(`${key} is an invalid filter`);
  }
}

/** `label=K` (present) or `label=K=V` (with that value). */
function hasLabel(r: ContainerRow, value: string): boolean {
  const eq = value.indexOf("=");
  const k = eq === -1 ? value : value.slice(0, eq);
  const labels = r.spec.labels ?? {};
  return k in labels && (eq === -1 || labels[k] === value.slice(eq + 1));
}

/**
 * Parse `--filter` values.
 *
 * @throws {UsageError} for an unknown key or a bad value, with podman's messages
 */
export function containerFilter(filters: string[]): ContainerFilter {
  const groups = groupFilters(filters);
  const tests = [...groups].map(([key, values]) => keyTest(key, values));
  return { keys: new Set(groups.keys()), test: (row) => tests.every((t) => t(row)) };
}
