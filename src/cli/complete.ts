/**
 * The hidden `__complete` command the shell completion scripts call: given the words typed
 * after `berth` (the last one being the word under the cursor, maybe empty), print the
 * candidates for that word, one per line. Commands and flags come from the registry and the
 * commands' flag tables; containers and images from the database, read without starting
 * anything.
 *
 * @module
 */
import type { Command, Entry } from "./command.ts";
import { out } from "./command.ts";
import type { FlagTable } from "./args.ts";
import type { GlobalOptions } from "../engine/context.ts";
import { completionNames } from "../engine/completion_names.ts";

import { GLOBAL_FLAGS, GLOBAL_VALUE_FLAGS } from "./global_flags.ts";

/** Where the candidates for a positional argument come from. */
export type ValueKind = "containers" | "images" | "none";

/** What {@linkcode candidatesFor} needs to know about the world. */
export interface CompletionSources {
  /** Every command name and alias (`run`, `container rm`, …). */
  commands: string[];
  /** The flag table of a command, by its registry name. */
  flagsOf(command: string): Promise<FlagTable>;
  /** What a command's positional arguments are, by its registry name. */
  kindOf(command: string): ValueKind;
  containers(): string[];
  images(): string[];
}

/**
 * Which values a command's positional arguments take, read from its usage line: `CONTAINER`
 * (also `CONTAINER:PATH` of `cp`) before `IMAGE`, since `commit CONTAINER IMAGE` starts with a
 * container.
 */
export function valueKind(usage: string): ValueKind {
  const container = usage.indexOf("CONTAINER");
  const image = usage.indexOf("IMAGE");
  if (container !== -1 && (image === -1 || container < image)) return "containers";
  if (image !== -1) return "images";
  return "none";
}

/**
 * The candidates for the last of `words` (the words after `berth`), filtered by its prefix.
 *
 * @example
 * ```ts
 * await candidatesFor(["sta"], sources); // ["start", "stats", …]
 * await candidatesFor(["rm", "--fo"], sources); // ["--force"]
 * ```
 */
export async function candidatesFor(
  words: string[],
  sources: CompletionSources,
): Promise<string[]> {
  const current = words.at(-1) ?? "";
  const before = words.slice(0, -1);
  const { end } = leadingGlobals(before);
  if (end > before.length) return []; // completing a global flag's value
  const rest = before.slice(end);
  const byPrefix = (list: Iterable<string>) =>
    [...new Set(list)].filter((c) => c.startsWith(current));
  if (rest.length === 0) {
    if (current.startsWith("-")) {
      return byPrefix(Object.keys(GLOBAL_FLAGS).map((f) => `--${f}`));
    }
    return byPrefix(sources.commands.filter((c) => !c.includes(" ")));
  }
  const groupWords = sources.commands.filter((c) => c.startsWith(`${rest[0]} `));
  let command: string;
  let args: string[];
  if (sources.commands.includes(`${rest[0]} ${rest[1]}`)) {
    command = `${rest[0]} ${rest[1]}`;
    args = rest.slice(2);
  } else if (rest.length === 1 && groupWords.length > 0 && !current.startsWith("-")) {
    return byPrefix(groupWords.map((c) => c.slice(rest[0].length + 1)));
  } else if (sources.commands.includes(rest[0])) {
    command = rest[0];
    args = rest.slice(1);
  } else {
    return [];
  }
  const flags = await sources.flagsOf(command);
  if (current.startsWith("-")) {
    // Hidden flags (old spellings such as --net) are accepted but not offered, as cobra does.
    const shown = Object.keys(flags).filter((f) => !flags[f].hidden && f !== "help");
    return byPrefix(["help", ...shown].map((f) => `--${f}`));
  }
  const previous = args.at(-1);
  if (previous?.startsWith("--") && !previous.includes("=")) {
    const spec = flags[previous.slice(2)];
    if (spec && spec.type === "string") return []; // the flag's value: files, left to the shell
  }
  switch (sources.kindOf(command)) {
    case "containers":
      return byPrefix(sources.containers());
    case "images":
      return byPrefix(sources.images());
    default:
      return [];
  }
}

/**
 * The store the typed line names: `--root`/`--runroot` among the global flags before the
 * command (`--root DIR` or `--root=DIR`) win over those `__complete` itself was given.
 */
export function storeOnLine(words: string[], given: GlobalOptions): GlobalOptions {
  const { values } = leadingGlobals(words.slice(0, -1));
  return { ...given, root: values.root ?? given.root, runroot: values.runroot ?? given.runroot };
}

/**
 * The global flags at the start of `words`, before the command: the values given to them
 * (`--root DIR` or `--root=DIR`), and the index where they end — past `words` when the last
 * one still waits for its value.
 */
function leadingGlobals(words: string[]): { values: Record<string, string>; end: number } {
  const values: Record<string, string> = {};
  let i = 0;
  while (i < words.length && words[i].startsWith("-")) {
    const [flag, inline] = words[i].split(/=(.*)/s, 2);
    const name = flag.replace(/^--?/, "");
    const takesValue = GLOBAL_VALUE_FLAGS.includes(name);
    if (takesValue && inline !== undefined) values[name] = inline;
    else if (takesValue && i + 1 < words.length) values[name] = words[i + 1];
    i += takesValue && inline === undefined ? 2 : 1;
  }
  return { values, end: i };
}

/**
 * `berth __complete -- WORD...` over the commands `entries` (the registry's visible ones, passed
 * in by the registry so that this module does not import it back).
 */
export function completeCommand(entries: readonly Entry[]): Command {
  const byName = new Map(entries.flatMap((e) => [e.name, ...e.aliases].map((n) => [n, e])));
  return {
    flags: {},
    stopAtPositional: true,
    async run(global, p) {
      let names: ReturnType<typeof completionNames> | undefined;
      const loaded = () => names ??= completionNames(storeOnLine(p.positionals, global));
      const sources: CompletionSources = {
        commands: [...byName.keys()],
        flagsOf: async (name) => (await byName.get(name)!.load()).flags,
        kindOf: (name) => valueKind(byName.get(name)!.usage),
        containers: () => loaded().containers,
        images: () => loaded().images,
      };
      const found = await candidatesFor(p.positionals, sources);
      if (found.length) await out(found.join("\n") + "\n");
      return 0;
    },
  };
}
