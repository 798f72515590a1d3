/**
 * `berth untag IMAGE [NAME...]`
 *
 * @module
 */
import type { Command } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { untagImage } from "../../image/untag.ts";
import { openImages } from "./common.ts";

/** `untag`: take names off an image (all of them when none is given); prints nothing. */
export const untagCommand: Command = {
  flags: { help: { type: "boolean", short: "h" } },
  async run(global, p) {
    const [source, ...names] = p.positionals;
    if (!source) throw new UsageError("untag requires at least 1 arg(s), only received 0");
    untagImage(await openImages(global), source, names);
    return 0;
  },
};
