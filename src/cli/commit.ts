/**
 * `berth commit [-q] [-a AUTHOR] [-m MESSAGE] [-c CHANGE]... CONTAINER [IMAGE]`
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { list, str } from "./args.ts";
import { UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { commitContainer } from "../engine/commit.ts";

/** `commit`: a container's changes as a new image; prints the image's ID. */
export const commitCommand: Command = {
  flags: {
    quiet: { type: "boolean", short: "q" },
    author: { type: "string", short: "a" },
    message: { type: "string", short: "m" },
    change: { type: "string", short: "c", multiple: true },
  },
  async run(global, p) {
    const [container, image, ...rest] = p.positionals;
    if (!container || rest.length) {
      throw new UsageError(
        `commit requires a container and at most one image name, got ${p.positionals.length} arguments`,
      );
    }
    const engine = await openEngine(global);
    const row = await commitContainer(engine, container, {
      image,
      changes: list(p, "change"),
      author: str(p, "author"),
      message: str(p, "message"),
    });
    await out(`${row.id}\n`);
    return 0;
  },
};
