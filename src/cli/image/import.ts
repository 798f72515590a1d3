/**
 * `berth import [-c INSTRUCTION]... TARBALL [REFERENCE]`
 *
 * @module
 */
import { bool, list, str } from "../args.ts";
import { type Command, out } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { importTarball } from "../../image/import.ts";
import { openImages } from "./common.ts";

/** `import`: a rootfs tarball as a one-layer image; prints its ID. */
export const importCommand: Command = {
  flags: {
    change: {
      type: "string",
      short: "c",
      multiple: true,
      help:
        "Apply a Dockerfile instruction to the image's configuration: CMD, ENTRYPOINT, ENV, WORKDIR, USER or LABEL",
    },
    message: { type: "string", short: "m", help: "Set the image's commit message" },
    quiet: { type: "boolean", short: "q", help: "Print the image's ID without the sha256: prefix" },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
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
