/**
 * What a command module is, and the one way every command runs: its flags parsed (with
 * `--help` added to each table), `--help` printed from the registry entry and the flag table,
 * else the handler called with what was parsed. Output helpers for stdout and stderr.
 *
 * @module
 */
import type { GlobalOptions } from "../engine/context.ts";
import { bool, type FlagTable, type Parsed, parseFlags } from "./args.ts";
import { writeAll } from "../io.ts";
import { commandHelp, MIN_WIDTH } from "./help.ts";

/** One command's module: its flags and its handler. Summary and usage live in the registry. */
export interface Command {
  /** Its flags by long name; `--help` is added unless the table has its own (`-h`). */
  flags: FlagTable;
  /** Stop reading flags at the first positional argument (`run IMG sh -c …`). */
  stopAtPositional?: boolean;
  /**
   * Run the command; returns the process exit status. Throws typed errors, whose status
   * `main` uses.
   *
   * @param p the parsed flags and positional arguments
   * @param args the arguments as given (for a command that hands them on)
   */
  run(global: GlobalOptions, p: Parsed, args: string[]): Promise<number>;
}

/** Write text to stdout (all of it). */
export async function out(text: string): Promise<void> {
  await writeAll(Deno.stdout, new TextEncoder().encode(text));
}

/** Write text to stderr (all of it). */
export async function errOut(text: string): Promise<void> {
  await writeAll(Deno.stderr, new TextEncoder().encode(text));
}

/**
 * The columns help is wrapped to: the terminal's when stdout is one, else 80 (so piped and
 * generated help is the same everywhere).
 */
export function helpWidth(): number {
  try {
    if (Deno.stdout.isTerminal()) return Math.max(Deno.consoleSize().columns, MIN_WIDTH);
  } catch { /* no console size: the default */ }
  return 80;
}

/**
 * Run the command `entry` names with `args`: load its module, parse its flags, and print its
 * help (`help` set by `berth help CMD` / `berth --help CMD`, or `--help` among its flags) or
 * call its handler.
 *
 * @throws {import("../errors.ts").UsageError} on an unknown flag or a missing value
 */
export async function runCommand(
  entry: Entry,
  global: GlobalOptions,
  args: string[],
  help = false,
): Promise<number> {
  const cmd = await entry.load();
  const given = help ? ["--help", ...args] : args;
  const p = parseFlags(given, { help: { type: "boolean" }, ...cmd.flags }, cmd.stopAtPositional);
  if (bool(p, "help")) {
    await out(commandHelp(entry, cmd.flags, helpWidth()));
    return 0;
  }
  return await cmd.run(global, p, args);
}

export { writeAll };

/** One command of the registry. */
export interface Entry {
  /** Its words joined with a space: `ps`, `container prune`, `image inspect`. */
  name: string;
  /** Other words for it: `container ls`, `container ps`, `image rm`, `system info`. */
  aliases: string[];
  /** One line for `berth --help`. */
  summary: string;
  /** The usage line(s) after `Usage: `, e.g. `berth wait [flags] CONTAINER...`. */
  usage: string;
  /** What `--help` says under `Description:`: what the command does, in a few sentences. */
  description?: string;
  /** Command lines `--help` shows under `Examples:`. */
  examples?: string[];
  /** Its module: the flag table and the handler. */
  load: () => Promise<Command>;
  /** Left out of `berth --help`, suggestions and completion (`__complete`). */
  hidden?: boolean;
}
