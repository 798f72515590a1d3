/**
 * `berth load [-i FILE|DIR]`
 *
 * @module
 */
import { str } from "../args.ts";
import { type Command, out } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { loadImages } from "../../image/load.ts";
import { openImages } from "./common.ts";

/** `load`: images from an oci-archive, docker-archive or OCI layout directory. */
export const loadCommand: Command = {
  flags: {
    input: {
      type: "string",
      short: "i",
      help:
        "Read from this docker-archive or oci-archive file, or OCI layout directory, instead of stdin",
      value: "FILE|DIR",
    },
    quiet: {
      type: "boolean",
      short: "q",
      help: "Accepted for podman compatibility; berth prints no progress either way",
    },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    if (p.positionals.length) throw new UsageError("load takes no arguments; use -i FILE");
    const input = str(p, "input") ?? "-";
    if (input === "-" && Deno.stdin.isTerminal()) {
      throw new UsageError("cannot read an image archive from a terminal; use -i FILE");
    }
    const ctx = await openImages(global);
    const loaded = await loadImages(ctx, input);
    const lines = loaded.flatMap((l) => l.names.length ? l.names : [`sha256:${l.row.id}`]).map((
      n,
    ) => `Loaded image: ${n}\n`);
    await out(lines.join(""));
    return 0;
  },
};
