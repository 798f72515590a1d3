/**
 * `berth pull [flags] REFERENCE`
 *
 * @module
 */
import { bool, str } from "../args.ts";
import { type Command, out } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { parsePlatform } from "../../image/manifest.ts";
import { pullProgress } from "./progress.ts";
import { pullImage } from "../../image/pull.ts";
import { parseReference } from "../../image/reference.ts";
import { openImages, REGISTRY_FLAGS, registryOptions } from "./common.ts";

/** `pull`: fetch an image from a registry; prints its ID. */
export const pullCommand: Command = {
  flags: {
    ...REGISTRY_FLAGS,
    platform: {
      type: "string",
      help: "Pull the image for this OS/ARCH[/VARIANT] instead of the host's",
    },
    quiet: { type: "boolean", short: "q", help: "Print no progress, only the image's ID" },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    if (p.positionals.length !== 1) throw new UsageError("pull takes exactly one image reference");
    const ref = p.positionals[0];
    const registry = parseReference(ref).registry;
    const platform = str(p, "platform");
    const ctx = await openImages(global);
    const row = await pullImage(ctx, ref, {
      ...registryOptions(global, p, registry),
      platform: platform ? parsePlatform(platform) : undefined,
      onEvent: pullProgress(Deno.stderr.isTerminal(), bool(p, "quiet")),
    });
    await out(`${row.id}\n`);
    return 0;
  },
};
