/**
 * `berth history [--no-trunc] [-q] [-H=false] [--format json|TEMPLATE] IMAGE`
 *
 * @module
 */
import { bool, str } from "../args.ts";
import { type Command, out } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { alignTabs, humanDuration } from "../../format/table.ts";
import { compileTemplate, tableHeader } from "../../format/template/mod.ts";
import { imageHistory } from "../../image/history.ts";
import { podmanSize } from "../../image/image_filter.ts";
import { layerSize, requireImage } from "../../image/store.ts";
import { listImages } from "../../store/images.ts";
import { openImages } from "./common.ts";

/** podman's cut of CREATED BY: 42 characters and "...". */
function truncate(s: string): string {
  return s.length > 45 ? `${s.slice(0, 42)}...` : s;
}

/** RFC 3339 to the second, as Go prints a time in UTC. */
function rfc3339(ms: number): string {
  return Number.isNaN(ms) ? "" : new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
}

/**
 * Columns padded to their widest cell plus two spaces, SIZE at least 10 wide, and the
 * padding kept before an empty COMMENT (podman's tabwriter output, byte for byte).
 */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  widths[3] = Math.max(widths[3], 10);
  return rows.map((r) =>
    r.map((c, i) => i === r.length - 1 ? c : c.padEnd(widths[i] + 2)).join("") + "\n"
  ).join("");
}

/** `history`: the layers and steps an image was made of, newest first. */
export const historyCommand: Command = {
  flags: {
    "no-trunc": { type: "boolean", help: "Print full IDs and commands" },
    quiet: { type: "boolean", short: "q", help: "Print only the IDs" },
    human: {
      type: "boolean",
      short: "H",
      default: true,
      help: "Print times as durations and sizes in kB/MB (=false: RFC 3339 times)",
    },
    format: {
      type: "string",
      help: "Print as json, a Go template such as {{.ID}} {{.Size}}, or table TEMPLATE",
      value: "json|TEMPLATE",
    },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    if (p.positionals.length !== 1) throw new UsageError("history takes exactly one image");
    const ctx = await openImages(global);
    const row = requireImage(ctx, p.positionals[0]);
    const rows = imageHistory(row, listImages(ctx.store), (d) => layerSize(ctx.paths, d));
    const noTrunc = bool(p, "no-trunc");
    const format = str(p, "format");
    if (format === "json") {
      // podman's keys on one line, comment omitted when empty, and Go's escapes of < > &.
      const doc = rows.map((r) => ({
        id: r.id,
        created: r.createdText,
        CreatedBy: r.createdBy,
        size: r.size,
        ...(r.comment ? { comment: r.comment } : {}),
        Created: rfc3339(r.created),
      }));
      const json = JSON.stringify(doc).replace(
        /[<>&]/g,
        (c) => `\\u00${c.charCodeAt(0).toString(16)}`,
      );
      await out(json + "\n");
      return 0;
    }
    const now = Date.now();
    const shown = rows.map((r) => ({
      ID: noTrunc || r.id === "<missing>" ? r.id : r.id.slice(0, 12),
      Created: !bool(p, "human")
        ? rfc3339(r.created)
        : Number.isNaN(r.created)
        ? ""
        : `${humanDuration(now - r.created)} ago`,
      CreatedBy: noTrunc ? r.createdBy : truncate(r.createdBy),
      Size: podmanSize(r.size),
      Comment: r.comment,
    }));
    if (bool(p, "quiet")) {
      await out(shown.map((r) => `${r.ID}\n`).join(""));
      return 0;
    }
    if (format && format !== "table") {
      const body = format.replace(/^table\s+/, "");
      const t = compileTemplate(body);
      const lines = shown.map((r) => t(r));
      if (format.startsWith("table")) await out(alignTabs([tableHeader(body), ...lines]));
      else await out(lines.map((l) => l + "\n").join(""));
      return 0;
    }
    await out(table([
      ["ID", "CREATED", "CREATED BY", "SIZE", "COMMENT"],
      ...shown.map((r) => [r.ID, r.Created, r.CreatedBy, r.Size, r.Comment]),
    ]));
    return 0;
  },
};
