/**
 * `berth image prune [-a] [-f]`
 *
 * @module
 */
import { bool, parseFlags } from "../args.ts";
import { type Command, out } from "../command.ts";
import { pruneImages } from "../../image/remove.ts";
import { openImages, usage } from "./common.ts";

/** `image prune`: remove dangling (or, with `-a`, all unused) images and their layers. */
export const imagePruneCommand: Command = {
  summary: "Remove unused images",
  usage: "berth image prune [-a] [-f]",
  async run(global, args) {
    const p = parseFlags(args, {
      all: { type: "boolean", short: "a" },
      force: { type: "boolean", short: "f" },
      help: { type: "boolean", short: "h" },
    });
    if (bool(p, "help")) return await usage(this.usage);
    const ids = await pruneImages(await openImages(global), bool(p, "all"));
    await out(ids.map((id) => `${id}\n`).join(""));
    return 0;
  },
};
