/**
 * `berth rmi [-f] [-a] IMAGE...`
 *
 * @module
 */
import { bool, parseFlags } from "../args.ts";
import { type Command, out } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { listImages } from "../../store/images.ts";
import { removeImages } from "../../image/remove.ts";
import { openImages, usage } from "./common.ts";

/** `rmi`: remove images (refuses one a container uses, unless `-f`). */
export const rmiCommand: Command = {
  summary: "Remove images",
  usage: "berth rmi [-f] [-a] IMAGE...",
  async run(global, args) {
    const p = parseFlags(args, {
      force: { type: "boolean", short: "f" },
      all: { type: "boolean", short: "a" },
      help: { type: "boolean", short: "h" },
    });
    if (bool(p, "help")) return await usage(this.usage);
    const ctx = await openImages(global);
    const refs = bool(p, "all") ? listImages(ctx.store).map((r) => r.id) : p.positionals;
    if (!refs.length && !bool(p, "all")) throw new UsageError("rmi needs at least one image");
    const report = await removeImages(ctx, refs, bool(p, "force"));
    await out(
      report.untagged.map((n) => `Untagged: ${n}\n`).join("") +
        report.deleted.map((id) => `Deleted: ${id}\n`).join(""),
    );
    return 0;
  },
};
