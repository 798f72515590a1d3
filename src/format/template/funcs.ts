/**
 * The functions a template can call: Go's text/template builtins and podman's additions.
 *
 * Each takes and returns JSON-like values and reports a mistake by throwing a plain `Error`;
 * the executor adds the `template: error calling NAME:` prefix, as Go's exec does, so the
 * messages here read like Go's.
 *
 * @module
 */
import { goString, sprint, sprintf, sprintln, typeName } from "./fmt.ts";

/** Go's notion of true: not false, 0, nil, or an empty string, array or map. */
export function truth(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * The value `index` gives for a key a map lacks: Go's zero value of the map's element type,
 * guessed from the values present (`""` for string maps such as labels, and for empty or
 * null maps; `<no value>` when the values are of mixed types).
 */
function zeroOf(map: Record<string, unknown> | null): unknown {
  const values = map ? Object.values(map) : [];
  if (values.every((x) => typeof x === "string")) return "";
  if (values.every((x) => typeof x === "number")) return 0;
  if (values.every((x) => typeof x === "boolean")) return false;
  return undefined;
}

function intIndex(ix: unknown, len: number, cap = len): number {
  if (typeof ix !== "number" || !Number.isInteger(ix)) {
    throw new Error(`cannot index slice/array with type ${typeName(ix)}`);
  }
  if (ix < 0 || ix > cap) throw new Error(`index out of range: ${ix}`);
  return ix;
}

function index(item: unknown, ...indices: unknown[]): unknown {
  let v = item;
  for (const ix of indices) {
    if (Array.isArray(v)) v = v[intIndex(ix, v.length, v.length - 1)];
    else if (typeof v === "string") {
      v = new TextEncoder().encode(v)[intIndex(ix, utf8Length(v), utf8Length(v) - 1)];
    } else if (v === null || v === undefined || typeof v === "object") {
      if (typeof ix === "number" && (v === null || v === undefined)) {
        throw new Error(`index out of range: ${ix}`);
      }
      if (typeof ix !== "string") {
        throw new Error(`value has type ${typeName(ix)}; should be string`);
      }
      const map = (v ?? null) as Record<string, unknown> | null;
      v = map && Object.hasOwn(map, ix) ? map[ix] : zeroOf(map);
    } else throw new Error(`can't index item of type ${typeName(v)}`);
  }
  return v;
}

function slice(item: unknown, ...indices: unknown[]): unknown {
  if (typeof item !== "string" && !Array.isArray(item)) {
    throw new Error(`can't slice item of type ${typeName(item)}`);
  }
  if (indices.length > (typeof item === "string" ? 2 : 3)) {
    throw new Error(`too many slice indexes: ${indices.length}`);
  }
  const len = item.length;
  const from = indices.length > 0 ? intIndex(indices[0], len) : 0;
  const to = indices.length > 1 ? intIndex(indices[1], len) : len;
  if (from > to) throw new Error(`invalid slice index: ${from} > ${to}`);
  return item.slice(from, to);
}

type Kind = "bool" | "number" | "string" | "nil" | "other";
function kind(v: unknown): Kind {
  if (v === null || v === undefined) return "nil";
  const t = typeof v;
  return t === "boolean" ? "bool" : t === "number" ? "number" : t === "string" ? "string" : "other";
}

function eq(a: unknown, ...bs: unknown[]): boolean {
  if (bs.length === 0) throw new Error("missing argument for comparison");
  const ka = kind(a);
  for (const b of bs) {
    const kb = kind(b);
    if (ka !== kb) {
      if (ka !== "nil" && kb !== "nil") throw new Error("incompatible types for comparison");
    } else if (ka === "other") throw new Error(`non-comparable type ${typeName(a)}`);
    else if (a === b || ka === "nil") return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const ka = kind(a);
  const kb = kind(b);
  if (ka === "nil" || ka === "other" || kb === "nil" || kb === "other") {
    throw new Error("invalid type for comparison");
  }
  if (ka !== kb) throw new Error("incompatible types for comparison");
  if (ka === "bool") throw new Error("invalid type for comparison");
  return (a as number | string) < (b as number | string);
}

/** Go's `and` (`stopAt` false) and `or` (true): the first deciding argument, else the last. */
function decider(stopAt: boolean, args: unknown[]): unknown {
  for (const v of args) if (truth(v) === stopAt) return v;
  return args.at(-1);
}

function str(v: unknown): string {
  return typeof v === "string" ? v : goString(v);
}

function int(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new Error(`wrong type for value; expected ${what}; got ${typeName(v)}`);
  }
  return v;
}

function evalArgsString(args: unknown[]): string {
  return args.length === 1 && typeof args[0] === "string" ? args[0] : sprint(args);
}

/** A template function and how many arguments it takes (checked when parsing). */
export interface Func {
  min: number;
  max: number;
  fn: (...args: unknown[]) => unknown;
}

const f = (min: number, max: number, fn: (...args: unknown[]) => unknown): Func => ({
  min,
  max,
  fn,
});
const ANY = Infinity;

/** Every function a template may name, by name. */
export const FUNCS: Readonly<Record<string, Func>> = {
  // The executor short-circuits `and` and `or` itself, so a later argument that would fail is
  // never evaluated; these give the same answer when all arguments are already values.
  and: f(1, ANY, (...a) => decider(false, a)),
  or: f(1, ANY, (...a) => decider(true, a)),
  not: f(1, 1, (v) => !truth(v)),
  len: f(1, 1, (v) => {
    if (v === null || v === undefined) return 0;
    if (typeof v === "string") return utf8Length(v);
    if (Array.isArray(v)) return v.length;
    if (typeof v === "object") return Object.keys(v).length;
    throw new Error(`len of type ${typeName(v)}`);
  }),
  index: f(1, ANY, index),
  slice: f(1, ANY, slice),
  print: f(0, ANY, (...a) => sprint(a)),
  println: f(0, ANY, (...a) => sprintln(a)),
  printf: f(1, ANY, (format, ...a) => {
    if (typeof format !== "string") {
      throw new Error(`wrong type for value; expected string; got ${typeName(format)}`);
    }
    return sprintf(format, a);
  }),
  eq: f(1, ANY, eq),
  ne: f(2, 2, (a, b) => !eq(a, b)),
  lt: f(2, 2, lt),
  le: f(2, 2, (a, b) => lt(a, b) || eq(a, b)),
  gt: f(2, 2, (a, b) => !lt(a, b) && !eq(a, b)),
  ge: f(2, 2, (a, b) => !lt(a, b)),
  html: f(
    0,
    ANY,
    (...a) =>
      evalArgsString(a).replace(
        /[<>&'"\0]/g,
        (c) =>
          ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&#39;", '"': "&#34;" })[c] ?? "\ufffd",
      ),
  ),
  urlquery: f(
    0,
    ANY,
    (...a) =>
      encodeURIComponent(evalArgsString(a)).replace(
        /[!'()*]/g,
        (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
      ).replaceAll("%20", "+"),
  ),
  js: f(0, ANY, (...a) =>
    // deno-lint-ignore no-control-regex
    evalArgsString(a).replace(/[\\'"<>&=\x00-\x1f]/g, (c) => {
      const simple: Record<string, string> = { "\\": "\\\\", "'": "\\'", '"': '\\"' };
      return simple[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    })),
  json: f(1, 1, (v) => JSON.stringify(v ?? null)),
  upper: f(1, 1, (v) => str(v).toUpperCase()),
  lower: f(1, 1, (v) => str(v).toLowerCase()),
  title: f(1, 1, (v) => str(v).replace(/\b\w/g, (c) => c.toUpperCase())),
  join: f(2, 2, (list, sep) => {
    if (list === null || list === undefined) return "";
    if (!Array.isArray(list)) {
      throw new Error(`wrong type for value; expected []string; got ${typeName(list)}`);
    }
    return list.map(str).join(str(sep));
  }),
  split: f(2, 2, (s, sep) => sep === "" ? [...str(s)] : str(s).split(str(sep))),
  truncate: f(2, 2, (s, n) => [...str(s)].slice(0, Math.max(0, int(n, "int"))).join("")),
  pad: f(3, 3, (s, before, after) =>
    " ".repeat(Math.max(0, int(before, "int"))) + str(s) +
    " ".repeat(Math.max(0, int(after, "int")))),
  contains: f(2, 2, (s, sub) => str(s).includes(str(sub))),
  hasPrefix: f(2, 2, (s, p) => str(s).startsWith(str(p))),
  hasSuffix: f(2, 2, (s, p) => str(s).endsWith(str(p))),
};
