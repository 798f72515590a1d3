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
    change: { type: "string", short: "c", multiple: true },
    message: { type: "string", short: "m" },
    quiet: { type: "boolean", short: "q" },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    const [input, ref, ...extra] = p.positionals;
    if (!input || extra.length) {
      throw new UsageError("import takes TARBALL and an optional REFERENCE");
    }
    const ctx = await openImages(global);
    const row = await importTarball(
      ctx,
      input === "-" ? Deno.stdin.readable : input,
      ref,
      list(p, "change"),
      str(p, "message"),
    );
    await out(`${bool(p, "quiet") ? "" : "sha256:"}${row.id}\n`);
    return 0;
  },
};
