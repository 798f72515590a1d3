/**
 * `berth images [-q] [--no-trunc] [--format json|TEMPLATE]`
 *
 * @module
 */
import { bool, parseFlags, str } from "../args.ts";
import { type Command, out } from "../command.ts";
import { alignTabs, humanDuration, renderTable } from "../../format/table.ts";
import { compileTemplate, tableHeader } from "../../format/template.ts";
import { containersUsingImage, imageNames, listImages } from "../../store/images.ts";
import { humanSize } from "../../image/progress.ts";
import { listView, splitName } from "../../image/views.ts";
import { openImages, usage } from "./common.ts";

/** `images`: list local images. */
export const imagesCommand: Command = {
  summary: "List images",
  usage: "berth images [-q] [--no-trunc] [--format json|TEMPLATE]",
  async run(global, args) {
    const p = parseFlags(args, {
      quiet: { type: "boolean", short: "q" },
      "no-trunc": { type: "boolean" },
      all: { type: "boolean", short: "a" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (bool(p, "help")) return await usage(this.usage);
    const ctx = await openImages(global);
    const views = listImages(ctx.store).map((row) =>
      listView(row, imageNames(ctx.store, row.id), containersUsingImage(ctx.store, row.id).length)
    );
    const format = str(p, "format");
    const trunc = (id: string) => bool(p, "no-trunc") ? `sha256:${id}` : id.slice(0, 12);
    if (format === "json") {
      await out(JSON.stringify(views, null, 4) + "\n");
      return 0;
    }
    if (bool(p, "quiet")) {
      await out(views.map((v) => `${trunc(String(v.Id))}\n`).join(""));
      return 0;
    }
    // One row per name (podman), a dangling image as <none> <none>.
    const rows = views.flatMap((v) => {
      const names = v.Names as string[];
      const base = {
        ...v,
        ID: trunc(String(v.Id)),
        CreatedSince: `${humanDuration(Date.now() - Number(v.Created) * 1000)} ago`,
        SizeHuman: humanSize(Number(v.Size)),
      };
      return (names.length ? names : [""]).map((n) => {
        const { repository, tag } = n ? splitName(n) : { repository: "<none>", tag: "<none>" };
        return { ...base, Repository: repository, Tag: tag };
      });
    });
    if (format && format !== "table") {
      const body = format.replace(/^table\s+/, "");
      const t = compileTemplate(body);
      const lines = rows.map((r) => t(r));
      if (format.startsWith("table")) {
        await out(alignTabs([tableHeader(body), ...lines]));
      } else await out(lines.map((l) => l + "\n").join(""));
      return 0;
    }
    await out(renderTable([
      ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"],
      ...rows.map((r) => [r.Repository, r.Tag, r.ID, r.CreatedSince, r.SizeHuman]),
    ]));
    return 0;
  },
};
