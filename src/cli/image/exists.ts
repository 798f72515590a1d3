/**
 * `berth image exists IMAGE`
 *
 * @module
 */
import { bool, parseFlags } from "../args.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { findImage } from "../../image/store.ts";
import { openImages, usage } from "./common.ts";

/** `image exists`: status 0 when the image is in local storage, 1 when not; no output. */
export const imageExistsCommand: Command = {
  summary: "Check whether an image exists in local storage",
  usage: "berth image exists IMAGE",
  async run(global, args) {
    const p = parseFlags(args, { help: { type: "boolean", short: "h" } });
    if (bool(p, "help")) return await usage(this.usage);
    if (p.positionals.length !== 1) {
      throw new UsageError(`accepts 1 arg(s), received ${p.positionals.length}`);
    }
    return findImage(await openImages(global), p.positionals[0]) ? 0 : 1;
  },
};
