/**
 * `berth image exists IMAGE`
 *
 * @module
 */
import type { Command } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { findImage } from "../../image/store.ts";
import { openImages } from "./common.ts";

/** `image exists`: status 0 when the image is in local storage, 1 when not; no output. */
export const imageExistsCommand: Command = {
  flags: { help: { type: "boolean", short: "h" } },
  async run(global, p) {
    if (p.positionals.length !== 1) {
      throw new UsageError(`accepts 1 arg(s), received ${p.positionals.length}`);
    }
    return findImage(await openImages(global), p.positionals[0]) ? 0 : 1;
  },
};
