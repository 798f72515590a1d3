/**
 * `berth image prune [-a] [-f]`
 *
 * @module
 */
import { bool } from "../args.ts";
import { type Command, out } from "../command.ts";
import { pruneImages } from "../../image/remove.ts";
import { openImages } from "./common.ts";

/** `image prune`: remove dangling (or, with `-a`, all unused) images and their layers. */
export const imagePruneCommand: Command = {
  flags: {
    all: {
      type: "boolean",
      short: "a",
      help: "Remove every image no container uses, not only dangling ones",
    },
    force: {
      type: "boolean",
      short: "f",
      help: "Accepted for podman compatibility; image prune does not ask",
    },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    const ids = await pruneImages(await openImages(global), bool(p, "all"));
    await out(ids.map((id) => `${id}\n`).join(""));
    return 0;
  },
};
