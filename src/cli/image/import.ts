/**
 * `berth import [-c INSTRUCTION]... TARBALL [REFERENCE]`
 *
 * @module
 */
import { bool, list, parseFlags, str } from "../args.ts";
import { type Command, out } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { importTarball } from "../../image/import.ts";
import { openImages, usage } from "./common.ts";

/** `import`: a rootfs tarball as a one-layer image; prints its ID. */
export const importCommand: Command = {
  summary: "Create an image from a root filesystem tarball",
  usage:
    "berth import [-c 'CMD|ENTRYPOINT|ENV|WORKDIR|USER|LABEL …']... [-m MSG] TARBALL|- [REFERENCE]",
  async run(global, args) {
    const p = parseFlags(args, {
      change: { type: "string", short: "c", multiple: true },
      message: { type: "string", short: "m" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
    });
    if (bool(p, "help")) return await usage(this.usage);
    const [input, ref, ...extra] = p.positionals;
    if (!input || extra.length) {
      throw new UsageError("import takes TARBALL and an optional REFERENCE");
    }
    const ctx = await openImages(global);
    const row = await importTarball(ctx, input, ref, list(p, "change"), str(p, "message"));
    await out(`${bool(p, "quiet") ? "" : "sha256:"}${row.id}\n`);
    return 0;
  },
};
