/**
 * `berth rmi [-f] [-i] [-a] IMAGE...`
 *
 * @module
 */
import { bool } from "../args.ts";
import { type Command, errOut, out } from "../command.ts";
import {
  errorMessage,
  ImageInUseError,
  ImageMountedError,
  NoSuchImageError,
  UsageError,
} from "../../errors.ts";
import { openEngine } from "../../engine/context.ts";
import { removeContainer } from "../../engine/remove.ts";
import { listImages } from "../../store/images.ts";
import { removeImages } from "../../image/remove.ts";
import { imageCtx } from "../../engine/image.ts";

/**
 * podman's exit status for `rmi`'s failures, taken together (its `ImageEngine.Remove`): 2 if
 * any image is in use by a container (or mounted), 1 if every failure is an unknown image, else 125.
 * Not `forEachTarget`'s lowest-status rule (targets.ts): podman's `rmi` reports all its
 * failures as one error, and an image in use outranks an unknown one.
 */
export function rmiStatus(errors: readonly Error[]): number {
  if (errors.some((e) => e instanceof ImageInUseError || e instanceof ImageMountedError)) return 2;
  if (errors.every((e) => e instanceof NoSuchImageError)) return 1;
  return 125;
}

/**
 * `rmi`: remove images. Every reference is tried and every failure reported (podman's
 * "N errors occurred", in one `Error:`); the status is {@linkcode rmiStatus}. `-f` removes the
 * containers using an image that is deleted, and ignores unknown images, as does `-i`.
 */
export const rmiCommand: Command = {
  flags: {
    force: {
      type: "boolean",
      short: "f",
      help:
        "Remove the containers using the images too, delete an image with several names by its ID, and ignore missing images",
    },
    ignore: {
      type: "boolean",
      short: "i",
      help: "Ignore errors when a named image does not exist",
    },
    all: { type: "boolean", short: "a", help: "Remove every image" },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    const all = bool(p, "all");
    if (all && p.positionals.length) {
      throw new UsageError(
        "when using the --all switch, you may not pass any images names or IDs",
      );
    }
    if (!all && !p.positionals.length) throw new UsageError("image name or ID must be specified");
    const engine = await openEngine(global);
    const ctx = imageCtx(engine);
    const refs = all ? listImages(ctx.store).map((r) => r.id) : p.positionals;
    const report = await removeImages(ctx, refs, {
      force: bool(p, "force"),
      ignoreMissing: bool(p, "ignore"),
      all,
      removeUsers: async (ids) => {
        for (const id of ids) await removeContainer(engine, id, { force: true });
      },
    });
    await out(
      report.untagged.map((n) => `Untagged: ${n}\n`).join("") +
        report.deleted.map((id) => `Deleted: ${id}\n`).join(""),
    );
    const errs = report.errors;
    if (!errs.length) return 0;
    await errOut(
      errs.length === 1
        ? `Error: ${errorMessage(errs[0])}\n`
        : `Error: ${errs.length} errors occurred:\n${
          errs.map((e) => `\t* ${errorMessage(e)}\n`).join("")
        }`,
    );
    return rmiStatus(errs);
  },
};
