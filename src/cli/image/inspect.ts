/**
 * `berth image inspect [--format json|TEMPLATE] IMAGE...`
 *
 * @module
 */
import { str } from "../args.ts";
import { type Command, errOut, out } from "../command.ts";
import { BerthError, errorMessage, UsageError } from "../../errors.ts";
import { compileTemplate } from "../../format/template/mod.ts";
import { imageNames } from "../../store/images.ts";
import { lowerDirs, requireImage } from "../../image/store.ts";
import { inspectImageView } from "../../image/views.ts";
import { openImages } from "./common.ts";

/** `image inspect`: JSON details of images; exits 125 if any is unknown. */
export const imageInspectCommand: Command = {
  flags: {
    format: {
      type: "string",
      short: "f",
      help: "Print as json (the default) or through a Go template, e.g. {{.Id}}",
      value: "json|TEMPLATE",
    },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    if (!p.positionals.length) throw new UsageError("image inspect needs at least one image");
    const ctx = await openImages(global);
    const views: Record<string, unknown>[] = [];
    const errors: string[] = [];
    for (const ref of p.positionals) {
      try {
        const row = requireImage(ctx, ref);
        views.push(inspectImageView(row, imageNames(ctx.store, row.id), lowerDirs(ctx, row)));
      } catch (err) {
        if (!(err instanceof BerthError)) throw err;
        errors.push(errorMessage(err));
      }
    }
    // As podman: what was found is printed (`[]` when nothing), then the failures.
    const format = str(p, "format");
    if (format && format !== "json") {
      const t = compileTemplate(format);
      await out(views.map((v) => t(v) + "\n").join(""));
    } else await out(JSON.stringify(views, null, 4) + "\n");
    if (!errors.length) return 0;
    await errOut(errors.slice(1).map((e) => `error inspecting object: ${e}\n`).join(""));
    throw new BerthError(`inspecting object: ${errors[0]}`);
  },
};
