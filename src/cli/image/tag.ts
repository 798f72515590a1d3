/**
 * `berth tag IMAGE TARGET...`
 *
 * @module
 */
import type { Command } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { tagImage } from "../../image/remove.ts";
import { openImages } from "./common.ts";

/** `tag`: give an image more names. */
export const tagCommand: Command = {
  flags: { help: { type: "boolean", short: "h" } },
  async run(global, p) {
    const [source, ...targets] = p.positionals;
    if (!source || !targets.length) {
      throw new UsageError("tag needs an image and at least one new name");
    }
    tagImage(await openImages(global), source, targets);
    return 0;
  },
};
