/**
 * `berth export [-o FILE] CONTAINER`
 *
 * @module
 */
import { str } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { exportContainer } from "../engine/export.ts";
import { writeAll } from "../io.ts";
import { writeFileAtomically } from "../fs.ts";

/** `export`: a container's root filesystem as a tar, on stdout or in `-o FILE`. */
export const exportCommand: Command = {
  flags: {
    output: {
      type: "string",
      short: "o",
      help: "Write the tar to this file (default: stdout, if it is not a terminal)",
      value: "FILE",
    },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    if (p.positionals.length !== 1) throw new UsageError("export takes exactly one container");
    const output = str(p, "output");
    if (!output && Deno.stdout.isTerminal()) {
      throw new UsageError("refusing to export to terminal. Use -o flag or redirect");
    }
    const engine = await openEngine(global);
    if (!output) {
      await exportContainer(engine, p.positionals[0], (b) => writeAll(Deno.stdout, b));
      return 0;
    }
    // A failed export leaves no half tar behind.
    await writeFileAtomically(
      output,
      (f) => exportContainer(engine, p.positionals[0], (b) => writeAll(f, b)),
    );
    return 0;
  },
};
