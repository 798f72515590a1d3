/**
 * The manual: one Markdown page per command (`docs/commands/berth-<command>.md`) and an index,
 * made from the same registry entries and flag tables as `--help`. Pure: `scripts/gen_docs.ts`
 * writes the pages, and a unit test checks that the checked-in ones are what this makes.
 *
 * @module
 */
import type { FlagSpec, FlagTable } from "./args.ts";
import type { Entry } from "./command.ts";
import { defaultShown, valueName, visibleFlags } from "./help.ts";

/** A command's page's file name: `berth-container-prune.md`. */
export function pageName(entry: Entry): string {
  return `berth-${entry.name.replaceAll(" ", "-")}.md`;
}

/** The index's file name. */
export const INDEX_PAGE = "index.md";

/** One flag's heading and text. */
function flagSection(name: string, spec: FlagSpec): string[] {
  const value = valueName(spec);
  const names = [spec.short ? `\`-${spec.short}\`` : "", `\`--${name}${value ? ` ${value}` : ""}\``]
    .filter(Boolean).join(", ");
  const d = defaultShown(spec);
  const notes = [
    spec.multiple ? "May be given more than once." : "",
    d === undefined ? "" : `Default: \`${d}\`.`,
  ].filter(Boolean);
  const help = spec.help ?? "";
  const sentence = help && !/[.!?]$/.test(help) ? `${help}.` : help;
  return [`### ${names}`, "", [sentence, ...notes].join(" ").trim(), ""];
}

/** The `Options` part of a page: every visible flag, sorted, or a line saying there are none. */
function optionLines(flags: FlagTable): string[] {
  const shown = visibleFlags(flags);
  if (!shown.length) return ["This command has no options besides `--help`.", ""];
  return shown.flatMap(([name, spec]) => flagSection(name, spec));
}

/** A fenced block of lines. */
function fenced(lines: string[], lang = ""): string[] {
  return ["```" + lang, ...lines, "```", ""];
}

/**
 * A command's page: its summary, usage, aliases, description, options and examples.
 *
 * @param flags the command module's flag table
 */
export function commandPage(entry: Entry, flags: FlagTable): string {
  const aliases = entry.aliases.map((a) => `\`berth ${a}\``);
  const lines = [
    `# berth ${entry.name}`,
    "",
    entry.summary,
    "",
    "## Usage",
    "",
    ...fenced(entry.usage.split("\n").map((l) => l.trim())),
    ...(aliases.length ? [`Also: ${aliases.join(", ")}.`, ""] : []),
    ...(entry.description ? ["## Description", "", entry.description, ""] : []),
    "## Options",
    "",
    ...optionLines(flags),
    ...(entry.examples?.length ? ["## Examples", "", ...fenced(entry.examples, "sh")] : []),
    "## See also",
    "",
    `[All commands and the global options](${INDEX_PAGE})`,
  ];
  return lines.join("\n") + "\n";
}

/**
 * The index: every command with its summary and a link to its page, then the global options.
 *
 * @param globals the global flags
 */
export function indexPage(entries: readonly Entry[], globals: FlagTable): string {
  const lines = [
    "# berth commands",
    "",
    "The manual of every berth command, generated from the same tables as `berth --help` and",
    "`berth COMMAND --help` (`deno task docs` writes it; a unit test checks it is up to date).",
    "",
    "## Usage",
    "",
    ...fenced(["berth [options] COMMAND [flags] [args]"]),
    "## Commands",
    "",
    ...entries.map((e) => `- [\`berth ${e.name}\`](${pageName(e)}): ${e.summary}`),
    "",
    "## Global options",
    "",
    ...visibleFlags(globals, true).flatMap(([name, spec]) => flagSection(name, spec)),
  ];
  return lines.join("\n").trimEnd() + "\n";
}

/**
 * Every page of the manual, by file name: one per visible command and the index.
 *
 * @param flagsOf the flag table of a command (its module's)
 */
export async function manualPages(
  entries: readonly Entry[],
  globals: FlagTable,
  flagsOf: (entry: Entry) => Promise<FlagTable>,
): Promise<Map<string, string>> {
  const pages = new Map<string, string>();
  for (const entry of entries) pages.set(pageName(entry), commandPage(entry, await flagsOf(entry)));
  pages.set(INDEX_PAGE, indexPage(entries, globals));
  return pages;
}
