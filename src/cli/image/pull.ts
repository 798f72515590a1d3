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
import { pullSearching } from "../../image/pull_search.ts";
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
    parseReference(ref); // a malformed reference is refused before the store is opened
    const given = str(p, "platform");
    const platform = given ? parsePlatform(given) : undefined;
    const onEvent = pullProgress(Deno.stderr.isTerminal(), bool(p, "quiet"));
    const ctx = await openImages(global);
    // A short name is tried in berth.conf's search registries, each with its own TLS rule.
    const { row } = await pullSearching(ctx, ref, global.config?.searchRegistries, (registry) => ({
      ...registryOptions(global, p, registry),
      platform,
      onEvent,
    }));
    await out(`${row.id}\n`);
    return 0;
  },
};
