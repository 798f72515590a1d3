/**
 * `berth diff [--format json] CONTAINER|IMAGE`
 *
 * @module
 */
import { str } from "./args.ts";
import { type Command, out } from "./command.ts";
import { UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { type Change, diffChanges } from "../engine/diff.ts";

const KEYS = { C: "changed", A: "added", D: "deleted" } as const;

/** podman's JSON form: the non-empty lists of changed, added and deleted paths. */
export function changesJson(changes: Change[]): string {
  const doc: Record<string, string[]> = {};
  for (const k of ["C", "A", "D"] as const) {
    const paths = changes.filter((c) => c.kind === k).map((c) => c.path);
    if (paths.length) doc[KEYS[k]] = paths;
  }
  return JSON.stringify(doc, null, 5) + "\n";
}

/** `diff`: the files a container (or an image's top layer) added, changed and deleted. */
export const diffCommand: Command = {
  flags: {
    format: { type: "string", help: "Print as json instead of A/C/D lines", value: "json" },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    if (p.positionals.length !== 1) {
      throw new UsageError("diff takes exactly one container or image");
    }
    const format = str(p, "format");
    if (format !== undefined && format !== "json") {
      throw new UsageError(`unsupported format "${format}": only json`);
    }
    const changes = diffChanges(await openEngine(global), p.positionals[0]);
    await out(
      format === "json"
        ? changesJson(changes)
        : changes.map((c) => `${c.kind} ${c.path}\n`).join(""),
    );
    return 0;
  },
};
