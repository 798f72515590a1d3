/**
 * `berth container prune [-f]` and `berth system prune [-a] [-f]`: remove every container
 * that is not running (and, for `system`, unused images), as podman's prune commands do.
 * Without `-f` they ask first, on a terminal or from stdin; anything but y/yes keeps all.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { errOut, out } from "./command.ts";
import { bool } from "./args.ts";
import { BerthError, errorMessage, UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import type { Engine } from "../engine/context.ts";
import { removeContainer } from "../engine/remove.ts";
import { hasProcess } from "../engine/states.ts";
import { listContainers } from "../store/containers.ts";
import { observeContainer } from "../engine/observe.ts";

/** Ask `question` and read one answer line from stdin; true for y/yes. */
export async function confirm(question: string): Promise<boolean> {
  await errOut(`${question} [y/N] `);
  const buf = new Uint8Array(256);
  const n = await Deno.stdin.read(buf).catch(() => null);
  const answer = n ? new TextDecoder().decode(buf.subarray(0, n)).trim().toLowerCase() : "";
  return answer === "y" || answer === "yes";
}

/** Remove every container without a process; returns the removed IDs and the first error. */
async function pruneContainers(engine: Engine): Promise<{ ids: string[]; error?: unknown }> {
  const ids: string[] = [];
  let error: unknown;
  for (const listed of listContainers(engine.store)) {
    const row = await observeContainer(engine, listed.id);
    if (!row || hasProcess(row.state)) continue;
    try {
      await removeContainer(engine, row.id, { force: false });
      ids.push(row.id);
    } catch (err) {
      error ??= err; // a container that started meanwhile stays; others go on
    }
  }
  return { ids, error };
}

function failure(err: unknown): number {
  return err instanceof BerthError ? err.exitCode : 125;
}

/** `container prune` */
export const containerPruneCommand: Command = {
  flags: {
    force: { type: "boolean", short: "f" },
    filter: { type: "string", multiple: true },
  },
  async run(global, p) {
    if (p.positionals.length) throw new UsageError("container prune takes no arguments");
    if (p.values.filter) throw new UsageError("container prune: --filter is not supported");
    if (
      !bool(p, "force") &&
      !await confirm(
        "WARNING! This will remove all non running containers.\nAre you sure you want to continue?",
      )
    ) return 0;
    const engine = await openEngine(global);
    const { ids, error } = await pruneContainers(engine);
    await out(ids.map((id) => `${id}\n`).join(""));
    if (error === undefined) return 0;
    await errOut(`Error: ${errorMessage(error)}\n`);
    return failure(error);
  },
};

/** `system prune` */
export const systemPruneCommand: Command = {
  flags: {
    all: { type: "boolean", short: "a" },
    force: { type: "boolean", short: "f" },
    volumes: { type: "boolean" },
  },
  async run(global, p) {
    if (p.positionals.length) throw new UsageError("system prune takes no arguments");
    const what = bool(p, "all")
      ? "all images without at least one container"
      : "all dangling images";
    if (
      !bool(p, "force") &&
      !await confirm(
        `WARNING! This command removes:\n\t- all stopped containers\n\t- ${what}\n\nAre you sure you want to continue?`,
      )
    ) return 0;
    const engine = await openEngine(global);
    const { ids, error } = await pruneContainers(engine);
    const { openImages } = await import("./image/common.ts");
    const { pruneImages } = await import("../image/remove.ts");
    const images = await pruneImages(await openImages(global), bool(p, "all"));
    await out(
      `Deleted Containers\n${ids.map((id) => `${id}\n`).join("")}` +
        `Deleted Images\n${images.map((id) => `${id}\n`).join("")}`,
    );
    if (error === undefined) return 0;
    await errOut(`Error: ${errorMessage(error)}\n`);
    return failure(error);
  },
};
