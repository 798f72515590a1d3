/**
 * `berth top [-l] CONTAINER [DESCRIPTOR...]`: the container's processes, as podman's `top`
 * prints them (psgo's descriptors, podman's default columns and its tabwriter layout).
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { bool } from "./args.ts";
import { openEngine } from "../engine/context.ts";
import { topContainer } from "../engine/top.ts";
import { LATEST_FLAG, targetsOrLatest } from "./targets.ts";

/**
 * Go's `tabwriter.NewWriter(w, 12, 2, 2, ' ', 0)`, podman's table writer: every column but
 * the last padded to its widest cell plus two, at least twelve; the last is left as it is.
 */
export function tabwriter(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 12, cell.length + 2));
  }
  return rows.map((row) =>
    row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i])).join("") + "\n"
  ).join("");
}

/** `top` */
export const topCommand: Command = {
  flags: { latest: LATEST_FLAG },
  // `top c -ef`: everything after the container is a descriptor (refused when a ps option).
  stopAtPositional: true,
  async run(global, p) {
    const latest = bool(p, "latest");
    const [first, ...rest] = latest ? ["", ...p.positionals] : p.positionals;
    const descriptors = rest.filter((a) => a !== "--");
    const engine = await openEngine(global);
    const [name] = targetsOrLatest(engine, latest ? [] : first ? [first] : [], latest, "top");
    const table = topContainer(engine, name, descriptors);
    await out(tabwriter([table.titles, ...table.rows]));
    return 0;
  },
};
