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
    quiet: {
      type: "boolean",
      short: "q",
      help: "Accepted for podman compatibility: berth prints only the image ID anyway",
    },
    author: { type: "string", short: "a", help: "The image's author" },
    message: {
      type: "string",
      short: "m",
      help: "The commit message, stored in the image's history",
    },
    change: {
      type: "string",
      short: "c",
      multiple: true,
      value: "INSTRUCTION",
      help:
        "A Dockerfile instruction applied to the image's config: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL",
    },
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
