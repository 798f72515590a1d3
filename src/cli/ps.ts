/**
 * `berth ps [-a] [-q] [--no-trunc] [--noheading] [--filter K=V] [--format F]`
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { bool, list, str } from "./args.ts";
import { UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { type ContainerRow, listContainers } from "../store/containers.ts";
import { observeContainer } from "../engine/observe.ts";
import { psJson, psView } from "./views.ts";
import { isUp } from "../engine/states.ts";
import { containerFilter } from "./container_filter.ts";
import { compileTemplate, tableHeader } from "../format/template/mod.ts";
import { alignTabs, renderTable } from "../format/table.ts";

/** `--last N`: any integer; podman's default -1 (and 0) mean no limit. */
function parseLast(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new UsageError(`invalid --last "${text}": not an integer`);
  return Number(text);
}

/** `ps` */
export const psCommand: Command = {
  flags: {
    all: { type: "boolean", short: "a" },
    quiet: { type: "boolean", short: "q" },
    "no-trunc": { type: "boolean" },
    filter: { type: "string", short: "f", multiple: true },
    format: { type: "string" },
    latest: { type: "boolean", short: "l" },
    last: { type: "string", short: "n" },
    // podman's flag for containers of other tools in the same storage: berth has none.
    external: { type: "boolean" },
    sort: { type: "string" },
    noheading: { type: "boolean" },
  },
  async run(global, p) {
    if (p.positionals.length) throw new UsageError(`ps takes no arguments: ${p.positionals[0]}`);
    const sort = str(p, "sort") ?? "created";
    if (!["created", "names", "id", "status", "command", "image"].includes(sort)) {
      throw new UsageError(
        `invalid --sort "${sort}": use created, names, id, status, command or image`,
      );
    }
    const filter = containerFilter(list(p, "filter"));
    // As podman (and docker): a status filter chooses among every container.
    const all = bool(p, "all") || filter.keys.has("status");
    const lastText = str(p, "last");
    const lastCount = lastText === undefined ? undefined : parseLast(lastText);
    const format = str(p, "format");
    const template = format && format !== "json" && format !== "table"
      ? compileTemplate(format.replace(/^table\s+/, ""))
      : undefined;
    const engine = await openEngine(global);
    const observed = [];
    for (const r of listContainers(engine.store)) {
      const row = await observeContainer(engine, r.id);
      if (row) observed.push(row);
    }
    // Oldest first, as podman 4 lists them. --latest and --last N pick the newest of any
    // state, as podman's do (they imply --all).
    const last = bool(p, "latest") ? 1 : lastCount;
    let rows = observed.filter((r) => all || last !== undefined || isUp(r.state)).filter(
      filter.test,
    );
    if (last !== undefined) rows = last <= 0 ? rows : rows.slice(-last);
    const key: Record<string, (r: ContainerRow) => string> = {
      names: (r) => r.name,
      id: (r) => r.id,
      status: (r) => r.state,
      command: (r) => r.spec.command.join(" "),
      image: (r) => r.spec.imageName,
    };
    if (key[sort]) {
      rows.sort((a, b) => key[sort](a) < key[sort](b) ? -1 : key[sort](a) > key[sort](b) ? 1 : 0);
    }
    const now = engine.now();
    const views = rows.map((r) => {
      const v = psView(r, now);
      if (bool(p, "no-trunc")) v.ID = r.id;
      return v;
    });
    if (bool(p, "quiet")) {
      await out(views.map((v) => `${v.ID}\n`).join(""));
    } else if (format === "json") {
      await out(JSON.stringify(rows.map((r) => psJson(r, now)), null, 2) + "\n");
    } else if (template) {
      const lines = views.map((v) => template(v));
      if (format!.startsWith("table")) {
        const header = bool(p, "noheading") ? [] : [tableHeader(format!.replace(/^table\s+/, ""))];
        await out(alignTabs([...header, ...lines]));
      } else await out(lines.map((l) => `${l}\n`).join(""));
    } else {
      const header = ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"];
      const table = bool(p, "noheading") ? [] : [header];
      for (const v of views) {
        const cmd = String(v.Command);
        table.push([
          String(v.ID),
          String(v.Image),
          bool(p, "no-trunc") || cmd.length <= 20 ? cmd : cmd.slice(0, 17) + "...",
          String(v.CreatedHuman),
          String(v.Status),
          String(v.Ports),
          String(v.Names),
        ]);
      }
      await out(renderTable(table));
    }
    return 0;
  },
};
