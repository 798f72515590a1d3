/**
 * `images --filter` and `images REF`, as podman 4.3 (libimage) matches them, and podman's
 * human-readable sizes (pure).
 *
 * @module
 */
import { UsageError } from "../errors.ts";

/** What an image filter looks at. */
export interface FilterSubject {
  /** Stored names, e.g. `localhost/bb:1`, `docker.io/library/busybox:latest`. */
  names: string[];
}

/** A compiled set of filters: true when the image is listed. */
export type ImageFilter = (img: FilterSubject) => boolean;

/**
 * Go's `path.Match` as a regular expression: `*` is any run of non-`/` characters, `?` one
 * non-`/` character, `[…]`/`[^…]` a class, `\` escapes. Undefined for a malformed pattern
 * (which Go reports as matching nothing).
 */
export function goPathPattern(pattern: string): RegExp | undefined {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "\\") {
      if (++i >= pattern.length) return undefined;
      re += escapeRe(pattern[i]);
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end === -1) return undefined;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith("^");
      if (negate) body = body.slice(1);
      if (!body) return undefined;
      re += `[${negate ? "^" : ""}${body.replace(/[\]\\^]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else re += escapeRe(c);
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return undefined;
  }
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * The strings podman matches a `reference=` pattern against for one stored name: the full
 * name, the path without registry (with and without tag), the last component (with and
 * without tag), and the name without tag.
 *
 * @example
 * ```ts
 * referenceCandidates("docker.io/library/x:1");
 * // ["docker.io/library/x:1", "library/x", "x:1", "docker.io/library/x", "library/x:1", "x"]
 * ```
 */
export function referenceCandidates(name: string): string[] {
  const at = name.indexOf("@");
  const colon = name.lastIndexOf(":");
  const cut = at !== -1 ? at : colon > name.lastIndexOf("/") ? colon : name.length;
  const trimmed = name.slice(0, cut);
  const suffix = name.slice(cut);
  const slash = trimmed.indexOf("/");
  const path = slash === -1 ? trimmed : trimmed.slice(slash + 1);
  const out = [name, path, name.slice(name.lastIndexOf("/", cut) + 1)];
  if (suffix) out.push(trimmed, path + suffix, trimmed.slice(trimmed.lastIndexOf("/") + 1));
  return out;
}

/** Whether one of `names` matches the `reference=` pattern. */
export function referenceMatches(pattern: string, names: string[]): boolean {
  const re = goPathPattern(pattern);
  return !!re && names.some((n) => referenceCandidates(n).some((c) => re.test(c)));
}

/** Go's strconv.ParseBool. */
function parseGoBool(key: string, value: string): boolean {
  if (["1", "t", "T", "true", "TRUE", "True"].includes(value)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(value)) return false;
  throw new UsageError(`invalid value "${value}" for ${key} filter: want true or false`);
}

/**
 * Compile `--filter` values (`reference=PATTERN`, `dangling=BOOL`). Values of one key are
 * alternatives; different keys must all match (podman).
 *
 * @throws {UsageError} for a malformed or unsupported filter
 */
export function compileImageFilters(filters: string[]): ImageFilter {
  const byKey = new Map<string, ImageFilter[]>();
  for (const f of filters) {
    const eq = f.indexOf("=");
    if (eq <= 0) {
      throw new UsageError(
        `invalid image filter "${f}": must be in the format "filter=value or filter!=value"`,
      );
    }
    const key = f.slice(0, eq);
    const value = f.slice(eq + 1);
    let test: ImageFilter;
    if (key === "reference") test = (img) => referenceMatches(value, img.names);
    else if (key === "dangling") {
      const want = parseGoBool(key, value);
      test = (img) => (img.names.length === 0) === want;
    } else throw new UsageError(`unsupported image filter "${key}"`);
    byKey.set(key, [...(byKey.get(key) ?? []), test]);
  }
  const groups = [...byKey.values()];
  return (img) => groups.every((alternatives) => alternatives.some((t) => t(img)));
}

/**
 * A size as podman shows it (go-units `HumanSizeWithPrecision(n, 3)`): decimal units,
 * three significant digits, a space: `1.99 MB`, `2 MB`, `512 B`.
 */
export function podmanSize(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${goG3(v)} ${units[i]}`;
}

/** Go's `%.3g`. */
function goG3(v: number): string {
  const p = v.toPrecision(3);
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(p);
  const strip = (s: string) => s.includes(".") ? s.replace(/\.?0+$/, "") : s;
  if (!m) return strip(p);
  return `${strip(m[1])}e${m[2]}${m[3].padStart(2, "0")}`;
}
