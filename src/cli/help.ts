/**
 * `--help` text as podman (cobra) lays it out: the summary, `Description:`, `Usage:`,
 * `Aliases:`, `Examples:` and `Options:` (every visible flag, sorted, with its short name,
 * value type, meaning and default), wrapped to a given width. Pure: the width is an argument,
 * so the output is the same on every run.
 *
 * @module
 */
import type { FlagSpec, FlagTable } from "./args.ts";

/** What a command's help says besides its flags (a registry entry has all of it). */
export interface HelpEntry {
  /** The first line. */
  summary: string;
  /** The usage line(s) after `Usage:`. */
  usage: string;
  /** Its other names. */
  aliases: string[];
  /** The text under `Description:`. */
  description?: string;
  /** The lines under `Examples:`. */
  examples?: string[];
}

/** The narrowest width help is wrapped to, whatever the terminal says. */
export const MIN_WIDTH = 40;

/**
 * Break `text` into lines of at most `width` characters at spaces. A word longer than
 * `width` gets a line of its own; a newline in `text` always breaks.
 *
 * @example
 * ```ts
 * wrap("one two three", 8); // ["one two", "three"]
 * ```
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ").filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/** `text` wrapped to `width` with `indent` spaces before every line. */
export function indented(text: string, indent: number, width: number): string[] {
  const pad = " ".repeat(indent);
  return wrap(text, Math.max(width - indent, 1)).map((l) => (l ? pad + l : ""));
}

/** The value's name `--help` shows: the table's, else cobra's `string`/`stringArray`. */
export function valueName(spec: FlagSpec): string {
  if (spec.value !== undefined) return spec.value;
  if (spec.type === "boolean") return "";
  return spec.multiple ? "stringArray" : "string";
}

/**
 * The default `--help` shows, as cobra prints it (`"x"`, `true`, `[a,b]`), or undefined
 * when there is none worth stating (false, empty).
 */
export function defaultShown(spec: FlagSpec): string | undefined {
  if (spec.defaultText !== undefined) return spec.defaultText;
  const d = spec.default;
  if (d === undefined || d === false || d === "") return undefined;
  if (Array.isArray(d)) return d.length ? `[${d.join(",")}]` : undefined;
  return typeof d === "string" ? JSON.stringify(d) : String(d);
}

/** A flag's left column: `-e, --env stringArray` or `    --name string`. */
export function flagNames(name: string, spec: FlagSpec): string {
  const short = spec.short ? `-${spec.short}, ` : "    ";
  const value = valueName(spec);
  return `${short}--${name}${value ? ` ${value}` : ""}`;
}

/** A flag's meaning with its default: `Seconds to wait (default 10)`. */
export function flagText(spec: FlagSpec): string {
  const d = defaultShown(spec);
  return `${spec.help ?? ""}${d === undefined ? "" : ` (default ${d})`}`.trim();
}

/**
 * The flags `--help` lists: not hidden, sorted by long name as cobra sorts them. `--help`
 * itself is left out of a command's list (podman lists it under `podman --help` only).
 */
export function visibleFlags(flags: FlagTable, withHelp = false): [string, FlagSpec][] {
  return Object.entries(flags)
    .filter(([name, spec]) => !spec.hidden && (withHelp || name !== "help"))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Two columns, wrapped to `width`: each left cell, padded to the widest (at most half the
 * width), then its right cell; a left cell too wide for that puts its text on the next line.
 */
export function twoColumns(rows: [string, string][], width: number): string[] {
  const cap = Math.floor(width / 2);
  const widest = Math.max(0, ...rows.map(([left]) => left.length).filter((n) => n <= cap));
  const column = 2 + widest + 3;
  const lines: string[] = [];
  for (const [left, right] of rows) {
    const text = indented(right, column, width);
    const head = `  ${left}`;
    if (head.length + 3 > column) {
      lines.push(head);
      lines.push(...text);
    } else if (text.length && text[0]) {
      lines.push(head.padEnd(column) + text[0].trimStart(), ...text.slice(1));
    } else lines.push(head);
  }
  return lines;
}

/** The `Options:` lines of a flag table. */
export function flagLines(flags: FlagTable, width: number, withHelp = false): string[] {
  return twoColumns(
    visibleFlags(flags, withHelp).map(([name, spec]) => [flagNames(name, spec), flagText(spec)]),
    width,
  );
}

/** One titled section (`Usage:`), or nothing when it has no lines. */
function section(title: string, lines: string[]): string[] {
  return lines.length ? ["", `${title}:`, ...lines] : [];
}

/** A usage line wrapped with a hanging indent, so its continuations read as one command. */
function usageLines(usage: string, width: number): string[] {
  return usage.split("\n").map((l) => l.trim()).flatMap((line) => {
    if (line.length <= width - 2) return [`  ${line}`];
    const [first, ...rest] = wrap(line, width - 2);
    const more = rest.length ? indented(rest.join(" "), 6, width) : [];
    return [`  ${first}`, ...more];
  });
}

/**
 * A command's `--help`, as podman prints `podman run --help`.
 *
 * @param flags the command module's flag table
 * @param width the columns to wrap to
 */
export function commandHelp(entry: HelpEntry, flags: FlagTable, width: number): string {
  const lines = [
    ...wrap(entry.summary, width),
    ...section("Description", entry.description ? indented(entry.description, 2, width) : []),
    ...section("Usage", usageLines(entry.usage, width)),
    ...section("Aliases", entry.aliases.length ? indented(entry.aliases.join(", "), 2, width) : []),
    ...section("Examples", (entry.examples ?? []).map((e) => `  ${e}`)),
    ...section("Options", flagLines(flags, width)),
  ];
  return lines.join("\n") + "\n";
}

/** What `berth --help` needs besides the commands. */
export interface MainHelp {
  /** One line on berth itself. */
  summary: string;
  /** The usage line after `Usage:`. */
  usage: string;
  /** The global flags. */
  flags: FlagTable;
}

/**
 * `berth --help`: the usage, every listed command name with its summary, the global flags.
 *
 * @param commands a command's names (its own and listed aliases) and summary, in order
 */
export function mainHelp(
  main: MainHelp,
  commands: { names: string[]; summary: string }[],
  width: number,
): string {
  const rows = commands.flatMap((c) => c.names.map((n): [string, string] => [n, c.summary]));
  const lines = [
    ...wrap(main.summary, width),
    ...section("Usage", usageLines(main.usage, width)),
    ...section("Available Commands", twoColumns(rows, width).map((l) => l)),
    ...section("Options", flagLines(main.flags, width, true)),
    "",
    ...wrap(
      'Run "berth help COMMAND" or "berth COMMAND --help" for more about a command; the ' +
        "manual is docs/commands/.",
      width,
    ),
  ];
  return lines.join("\n") + "\n";
}
