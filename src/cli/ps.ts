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
    all: {
      type: "boolean",
      short: "a",
      help: "Show all the containers, not only the running ones",
    },
    quiet: { type: "boolean", short: "q", help: "Print only the containers' IDs" },
    "no-trunc": { type: "boolean", help: "Print full IDs and commands" },
    filter: {
      type: "string",
      short: "f",
      multiple: true,
      help:
        "Show only the containers that match: id=, name=, status=, exited=, label=KEY[=VALUE], restart-policy= (values of one key are alternatives; different keys must all match)",
      value: "KEY=VALUE",
    },
    format: {
      type: "string",
      help:
        "Print as json, a Go template such as {{.ID}} {{.Names}}, or table TEMPLATE (with a header)",
      value: "json|TEMPLATE",
    },
    latest: {
      type: "boolean",
      short: "l",
      help: "Show only the container created last, in any state",
    },
    last: {
      type: "string",
      short: "n",
      help: "Show only the N containers created last, in any state (-1: all)",
      value: "int",
      defaultText: "-1",
    },
    // podman's flag for containers of other tools in the same storage: berth has none.
    external: {
      type: "boolean",
      help: "Accepted for podman compatibility; berth has no external containers to show",
    },
    sort: {
      type: "string",
      help: "Sort by: command, created, id, image, names or status",
      value: "choice",
      defaultText: '"created"',
    },
    noheading: { type: "boolean", help: "Do not print the header line" },
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
