/**
 * `berth save [--format docker-archive|oci-archive] -o FILE IMAGE...`
 *
 * @module
 */
import { str } from "../args.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { type SaveFormat, saveImages } from "../../image/save.ts";
import { openImages } from "./common.ts";
import { writeFileAtomically } from "../../fs.ts";

/** `save`: write images as a docker-archive (podman's default) or an oci-archive. */
export const saveCommand: Command = {
  flags: {
    output: {
      type: "string",
      short: "o",
      help: "Write the archive to this file (default: stdout, if it is not a terminal)",
      value: "FILE",
    },
    format: {
      type: "string",
      help: "Archive format: docker-archive or oci-archive",
      value: "format",
      defaultText: '"docker-archive"',
    },
    quiet: {
      type: "boolean",
      short: "q",
      help: "Accepted for podman compatibility; berth prints no progress",
    },
    "multi-image-archive": {
      type: "boolean",
      short: "m",
      help:
        "Accepted for podman compatibility: berth always writes each IMAGE as an image of its own",
    },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    const format = str(p, "format") ?? "docker-archive";
    if (format !== "docker-archive" && format !== "oci-archive") {
      throw new UsageError(
        `unsupported save format "${format}": use docker-archive or oci-archive`,
      );
    }
    if (p.positionals.length === 0) throw new UsageError("save needs at least one image");
    const output = str(p, "output");
    if (!output && Deno.stdout.isTerminal()) {
      throw new UsageError("refusing to write an archive to a terminal; use -o FILE");
    }
    const ctx = await openImages(global);
    if (!output) {
      await saveImages(ctx, p.positionals, format as SaveFormat, Deno.stdout);
      return 0;
    }
    await writeFileAtomically(
      output,
      (f) => saveImages(ctx, p.positionals, format as SaveFormat, f),
    );
    return 0;
  },
};
