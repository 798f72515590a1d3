/**
 * Command-line parsing on top of `node:util` `parseArgs`: podman-style errors, boolean flags
 * that accept `=true`/`=false`, and an option to stop at the first positional argument (so
 * `run IMG sh -c 'exit 1'` leaves `-c` to the container's command).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { UsageError } from "../errors.ts";
import { didYouMean } from "./suggest.ts";

/**
 * One flag: its type, short alias, whether it may repeat, and what `--help` and the manual
 * (src/cli/help.ts, src/cli/manual.ts) say about it.
 */
export interface FlagSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** The value the parser fills in when the flag is not given (`--help` shows it). */
  default?: string | boolean | string[];
  /** What the flag does, as `--help` prints it; required for every visible flag. */
  help?: string;
  /** The value's name in `--help` (cobra's `string`, `uint`, …); else `string`/`stringArray`. */
  value?: string;
  /**
   * The default `--help` shows when the command applies it itself (not through `default`),
   * written as cobra prints it: `"host"` for a string, `10` for a number.
   */
  defaultText?: string;
  /** Accepted but left out of `--help` and the manual (an alias kept for compatibility). */
  hidden?: boolean;
}

/** Flags of one command, by long name. */
export type FlagTable = Record<string, FlagSpec>;

/** What {@linkcode parseFlags} returns. */
export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parse `args` against `flags`.
 *
 * @param stopAtPositional stop reading flags at the first positional argument
 * @throws {UsageError} on an unknown flag or a missing value
 *
 * @example
 * ```ts
 * parseFlags(["--rm", "img", "sh", "-c", "x"], { rm: { type: "boolean" } }, true);
 * // { values: { rm: true }, positionals: ["img", "sh", "-c", "x"] }
 * ```
 */
export function parseFlags(args: string[], flags: FlagTable, stopAtPositional = false): Parsed {
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(flags)) if (spec.short) byShort.set(spec.short, name);
  const flagArgs: string[] = [];
  const positionals: string[] = [];
  const forcedFalse = new Set<string>();
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === "-" || !arg.startsWith("-")) {
      if (stopAtPositional) {
        positionals.push(...args.slice(i));
        break;
      }
      positionals.push(arg);
      continue;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const spec = flags[name];
      if (!spec) {
        const hint = didYouMean(name, Object.keys(flags), (n) => `--${n}`);
        throw new UsageError(`unknown flag: --${name}${hint}`);
      }
      if (spec.type === "boolean") {
        if (eq === -1) flagArgs.push(arg);
        else {
          const v = arg.slice(eq + 1).toLowerCase();
          if (v === "true" || v === "1") flagArgs.push(`--${name}`);
          else if (v === "false" || v === "0") forcedFalse.add(name);
          else throw new UsageError(`invalid argument "${arg.slice(eq + 1)}" for "--${name}" flag`);
        }
      } else if (eq !== -1) flagArgs.push(arg);
      else {
        if (i + 1 >= args.length) throw new UsageError(`flag needs an argument: --${name}`);
        flagArgs.push(`--${name}=${args[++i]}`);
      }
      continue;
    }
    // A group of short flags: -dit, -e K=V, -eK=V.
    for (let j = 1; j < arg.length; j++) {
      const ch = arg[j];
      const name = byShort.get(ch);
      if (!name) throw new UsageError(`unknown shorthand flag: '${ch}' in ${arg}`);
      if (flags[name].type === "boolean") {
        flagArgs.push(`--${name}`);
        continue;
      }
      let value = arg.slice(j + 1);
      if (value.startsWith("=")) value = value.slice(1);
      if (value === "" && j === arg.length - 1) {
        if (i + 1 >= args.length) {
          throw new UsageError(`flag needs an argument: '${ch}' in -${ch}`);
        }
        value = args[++i];
      }
      flagArgs.push(`--${name}=${value}`);
      break;
    }
  }
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(flags)) {
    options[name] = spec.multiple ? { type: spec.type, multiple: true } : { type: spec.type };
  }
  const { values } = parseArgs({ args: flagArgs, options, strict: true, allowPositionals: false });
  const out: Parsed["values"] = { ...values } as Parsed["values"];
  for (const name of forcedFalse) out[name] = false;
  for (const [name, spec] of Object.entries(flags)) {
    if (out[name] === undefined && spec.default !== undefined) out[name] = spec.default;
  }
  return { values: out, positionals };
}

/** A string flag's value (the last one if repeated). */
export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  if (Array.isArray(v)) return v.at(-1);
  return typeof v === "string" ? v : undefined;
}

/** A repeatable string flag's values. */
export function list(p: Parsed, name: string): string[] {
  const v = p.values[name];
  if (Array.isArray(v)) return v;
  return typeof v === "string" ? [v] : [];
}

/** A boolean flag. */
export function bool(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/**
 * Parse a Go-style duration (`250ms`, `1.5s`, `2m`, `1h30m`); a bare number is milliseconds
 * (podman's `wait --interval 5000`). Returns milliseconds.
 *
 * @throws {UsageError} on anything else, e.g. `100days`
 */
export function parseDuration(text: string, flag: string): number {
  const bare = /^\d+(\.\d+)?$/.test(text);
  const src = bare ? `${text}ms` : text;
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    "µs": 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src)) !== null) {
    total += Number(m[1]) * units[m[2]];
    pos = re.lastIndex;
  }
  if (pos !== src.length || src.length === 0) {
    throw new UsageError(`invalid duration "${text}" for ${flag}`);
  }
  return total;
}

/**
 * Parse a point in time as podman's `logs --since/--until` take it: an RFC 3339 timestamp
 * (or a date), a Unix time in seconds, or a Go duration counted back from `nowMs`.
 * Returns milliseconds since the epoch.
 *
 * @throws {UsageError} on anything else
 */
export function parseTimeFlag(text: string, flag: string, nowMs: number): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return nowMs - parseDuration(text, flag);
  const ms = /^\d{4}-\d\d-\d\d/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(
      `invalid time "${text}" for ${flag}: use a timestamp, a Unix time or a duration such as 10m`,
    );
  }
  return ms;
}

/**
 * Parse a non-negative whole number of seconds (or another unit named in the message).
 *
 * @throws {UsageError} on a negative, fractional or non-numeric value
 */
export function parseNonNegativeInt(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim())) {
    throw new UsageError(
      `invalid argument "${text}" for "${flag}": must be a non-negative integer`,
    );
  }
  return Number(text.trim());
}
