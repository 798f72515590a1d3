/**
 * What a command is: a name, a one-line summary, a usage line, and a function from its
 * arguments to an exit status.
 *
 * @module
 */
import type { GlobalOptions } from "../engine/context.ts";
import { writeAll } from "../io.ts";

/** One berth command (`run`, `wait`, `ps`, …). */
export interface Command {
  /** One-line summary for `berth --help`. */
  summary: string;
  /** Usage line, e.g. `berth wait [flags] CONTAINER...`. */
  usage: string;
  /** Run the command; returns the process exit status. Throws typed errors. */
  run(global: GlobalOptions, args: string[]): Promise<number>;
}

/** Write text to stdout (all of it). */
export async function out(text: string): Promise<void> {
  await writeAll(Deno.stdout, new TextEncoder().encode(text));
}

/** Print a usage line (and any notes after it) and return 0. */
export async function printUsage(usage: string, notes = ""): Promise<number> {
  await out(`Usage: ${usage}\n${notes ? `\n${notes}` : ""}`);
  return 0;
}

/** Write text to stderr (all of it). */
export async function errOut(text: string): Promise<void> {
  await writeAll(Deno.stderr, new TextEncoder().encode(text));
}

export { writeAll };
