/**
 * `berth images [-q] [--no-trunc] [--filter reference=P|dangling=B]... [--format json|TEMPLATE] [REF]`
 *
 * @module
 */
import { bool, list, str } from "../args.ts";
import { type Command, out } from "../command.ts";
import { alignTabs, humanDuration, renderTable } from "../../format/table.ts";
import { compileTemplate, tableHeader } from "../../format/template/mod.ts";
import { containersUsingImage, imageNames, listImages } from "../../store/images.ts";
import { UsageError } from "../../errors.ts";
import { compileImageFilters, podmanSize } from "../../image/image_filter.ts";
import { listView, splitName } from "../../image/views.ts";
import { openImages } from "./common.ts";

/**
 * `images`: list local images, all or those matching the filters (`images REF` is
 * `--filter reference=REF`, as in podman; a matching image is shown with all its names).
 */
export const imagesCommand: Command = {
  flags: {
    quiet: { type: "boolean", short: "q", help: "Print only the images' IDs" },
    "no-trunc": { type: "boolean", help: "Print full image IDs" },
    all: {
      type: "boolean",
      short: "a",
      help: "Accepted for podman compatibility; berth stores no intermediate images to add",
    },
    format: {
      type: "string",
      help:
        "Print as json, a Go template such as {{.Repository}}:{{.Tag}}, or table TEMPLATE (with a header)",
      value: "json|TEMPLATE",
    },
    filter: {
      type: "string",
      short: "f",
      multiple: true,
      help:
        "Show only the images that match: reference=PATTERN, dangling=true|false (values of one key are alternatives; different keys must all match)",
      value: "KEY=VALUE",
    },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    if (p.positionals.length > 1) {
      throw new UsageError(`accepts at most 1 arg(s), received ${p.positionals.length}`);
    }
    const filters = list(p, "filter");
    if (p.positionals.length && filters.length) {
      throw new UsageError("cannot specify an image and a filter(s)");
    }
    const keep = compileImageFilters(
      p.positionals.length ? [`reference=${p.positionals[0]}`] : filters,
    );
    const ctx = await openImages(global);
    const views = listImages(ctx.store)
      .map((row) => ({ row, names: imageNames(ctx.store, row.id) }))
      .filter(keep)
      .map(({ row, names }) =>
        listView(row, names, containersUsingImage(ctx.store, row.id).length)
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
      };
      // Templates see podman's strings: {{.Size}} "1.99 MB", {{.Created}} "2 hours ago".
      const shown = { ...base, Size: podmanSize(Number(v.Size)), Created: base.CreatedSince };
      return (names.length ? names : [""]).map((n) => {
        const { repository, tag } = n ? splitName(n) : { repository: "<none>", tag: "<none>" };
        return { ...shown, Repository: repository, Tag: tag };
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
      ...rows.map((r) => [r.Repository, r.Tag, r.ID, r.CreatedSince, r.Size]),
    ]));
    return 0;
  },
};
