/**
 * `berth tag IMAGE TARGET...`
 *
 * @module
 */
import { bool, parseFlags } from "../args.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { tagImage } from "../../image/remove.ts";
import { openImages, usage } from "./common.ts";

/** `tag`: give an image more names. */
export const tagCommand: Command = {
  summary: "Add names to an image",
  usage: "berth tag IMAGE TARGET_NAME...",
  async run(global, args) {
    const p = parseFlags(args, { help: { type: "boolean", short: "h" } });
    if (bool(p, "help")) return await usage(this.usage);
    const [source, ...targets] = p.positionals;
    if (!source || !targets.length) {
      throw new UsageError("tag needs an image and at least one new name");
    }
    tagImage(await openImages(global), source, targets);
    return 0;
  },
};
