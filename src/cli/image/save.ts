/**
 * `berth save -o FILE IMAGE...`
 *
 * @module
 */
import { bool, parseFlags, str } from "../args.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { saveOciArchive } from "../../image/save.ts";
import { openImages, usage } from "./common.ts";

/** `save`: write images as an oci-archive. */
export const saveCommand: Command = {
  summary: "Save images to an oci-archive",
  usage: "berth save [--format oci-archive] -o FILE IMAGE...",
  async run(global, args) {
    const p = parseFlags(args, {
      output: { type: "string", short: "o" },
      format: { type: "string" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
    });
    if (bool(p, "help")) return await usage(this.usage);
    const format = str(p, "format") ?? "oci-archive";
    if (format !== "oci-archive") {
      throw new UsageError(`unsupported save format "${format}": only oci-archive`);
    }
    if (p.positionals.length === 0) throw new UsageError("save needs at least one image");
    const output = str(p, "output");
    if (!output && Deno.stdout.isTerminal()) {
      throw new UsageError("refusing to write an archive to a terminal; use -o FILE");
    }
    const ctx = await openImages(global);
    if (!output) {
      await saveOciArchive(ctx, p.positionals, Deno.stdout);
      return 0;
    }
    const tmp = `${output}.tmp-${Deno.pid}`;
    const f = await Deno.open(tmp, { create: true, truncate: true, write: true });
    try {
      await saveOciArchive(ctx, p.positionals, f);
      f.close();
      await Deno.rename(tmp, output);
    } catch (err) {
      try {
        f.close();
      } catch { /* closed */ }
      await Deno.remove(tmp).catch(() => {});
      throw err;
    }
    return 0;
  },
};
