/**
 * `berth push [flags] IMAGE [DESTINATION]`
 *
 * @module
 */
import { bool, str } from "../args.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../../errors.ts";
import type { ManifestFormat } from "../../image/manifest_convert.ts";
import { pushDestination, pushImage } from "../../image/push.ts";
import { pushProgress } from "./progress.ts";
import { openImages, REGISTRY_FLAGS, registryOptions } from "./common.ts";

const FORMATS: Record<string, ManifestFormat> = { oci: "oci", docker: "docker", v2s2: "docker" };

/** `push`: copy a stored image to a registry, an OCI layout or an archive. */
export const pushCommand: Command = {
  flags: {
    ...REGISTRY_FLAGS,
    format: {
      type: "string",
      short: "f",
      help: "Manifest format to write: oci or docker (v2s2); default: the image's own",
      value: "FORMAT",
    },
    digestfile: {
      type: "string",
      help: "Write the digest of the pushed manifest to this file",
      value: "FILE",
    },
    quiet: { type: "boolean", short: "q", help: "Print nothing while pushing" },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    if (p.positionals.length < 1 || p.positionals.length > 2) {
      throw new UsageError("push takes an image and at most one destination");
    }
    const [source, dest] = p.positionals;
    const formatText = str(p, "format");
    const format = formatText === undefined ? undefined : FORMATS[formatText];
    if (formatText !== undefined && !format) {
      throw new UsageError(`unsupported manifest format "${formatText}": use oci or docker`);
    }
    const ctx = await openImages(global);
    const target = pushDestination(ctx, source, dest);
    const registry = target.kind === "registry" ? target.ref.registry : "";
    const result = await pushImage(ctx, source, target, {
      ...registryOptions(global, p, registry),
      format,
      onEvent: pushProgress(Deno.stderr.isTerminal(), bool(p, "quiet")),
    });
    const digestFile = str(p, "digestfile");
    if (digestFile) Deno.writeTextFileSync(digestFile, result.digest);
    return 0;
  },
};
