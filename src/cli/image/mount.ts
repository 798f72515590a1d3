/**
 * `berth image mount [IMAGE...]` and `berth image unmount [-a] IMAGE...`: a read-only view
 * of an image's filesystem on the host (see src/image/mount.ts).
 *
 * @module
 */
import { bool, str } from "../args.ts";
import { type Command, out } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { requireImage } from "../../image/store.ts";
import { imageMountPoint, mountedImageIds, mountImage, unmountImage } from "../../image/mount.ts";
import { imageNames, listImages } from "../../store/images.ts";
import { alignTabs } from "../../format/table.ts";
import { openImages } from "./common.ts";

/**
 * `image mount IMAGE` prints the mount point; with several images, or none (the mounted
 * ones), podman's `ID<TAB>PATH` lines, the ID being the first name if there is one.
 */
export const imageMountCommand: Command = {
  flags: {
    all: { type: "boolean", short: "a", help: "Mount every image" },
    format: { type: "string", help: "json: print the mounts as JSON" },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    const all = bool(p, "all");
    if (all && p.positionals.length) {
      throw new UsageError("when using the --all switch, you may not pass any image names or IDs");
    }
    const format = str(p, "format");
    if (format !== undefined && format !== "json") {
      throw new UsageError(`unknown --format argument: "${format}"`);
    }
    const ctx = await openImages(global);
    const mounted: { id: string; path: string }[] = [];
    if (p.positionals.length || all) {
      const rows = all ? listImages(ctx.store) : p.positionals.map((ref) => requireImage(ctx, ref));
      for (const row of rows) mounted.push({ id: row.id, path: await mountImage(ctx, row) });
    } else {
      for (const id of mountedImageIds(ctx)) mounted.push({ id, path: imageMountPoint(ctx, id) });
    }
    if (p.positionals.length === 1 && format === undefined && !all) {
      await out(`${mounted[0].path}\n`);
      return 0;
    }
    if (format === "json") {
      const reports = mounted.map((m) => ({
        id: m.id,
        Names: imageNames(ctx.store, m.id),
        Repositories: imageNames(ctx.store, m.id),
        mountpoint: m.path,
      }));
      await out(`${JSON.stringify(reports, null, 1)}\n`);
      return 0;
    }
    const lines = mounted.map((m) => `${imageNames(ctx.store, m.id)[0] ?? m.id}\t${m.path}`);
    if (lines.length) await out(alignTabs(lines));
    return 0;
  },
};

/** `image unmount`: unmount each image's view (one not mounted is fine); prints the IDs. */
export const imageUnmountCommand: Command = {
  flags: {
    all: { type: "boolean", short: "a", help: "Unmount every mounted image" },
    // podman's: there is no mount count to override, so every unmount is complete.
    force: {
      type: "boolean",
      short: "f",
      help: "Unmount even if in use (every unmount is complete)",
    },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    const all = bool(p, "all");
    if (all && p.positionals.length) {
      throw new UsageError("when using the --all switch, you may not pass any image names or IDs");
    }
    if (!all && !p.positionals.length) throw new UsageError("image name or ID must be specified");
    const ctx = await openImages(global);
    const ids = all ? mountedImageIds(ctx) : p.positionals.map((ref) => requireImage(ctx, ref).id);
    for (const id of ids) {
      await unmountImage(ctx, id);
      await out(`${id}\n`);
    }
    return 0;
  },
};
