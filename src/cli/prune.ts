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
import { ContainerRunningError, NoSuchContainerError, UsageError } from "../errors.ts";
import { forEachTarget } from "./targets.ts";
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

/**
 * Remove every container without a process, printing each removed ID; one `Error:` line per
 * failure, the status by {@linkcode forEachTarget}'s rule. A container that started (or was
 * removed) meanwhile is passed over, as podman's prune leaves running containers alone: the
 * error's class says so, not its exit status. `beforeErrors` runs once every container was
 * tried, before the `Error:` lines (system prune's images).
 */
async function pruneContainers(
  engine: Engine,
  beforeErrors?: () => Promise<void>,
): Promise<number> {
  const ids = listContainers(engine.store).map((r) => r.id);
  return await forEachTarget(ids, async (id) => {
    const row = await observeContainer(engine, id);
    if (!row || hasProcess(row.state)) return;
    await removeContainer(engine, row.id, { force: false });
    return `${row.id}\n`;
  }, {
    skip: (err) => err instanceof ContainerRunningError || err instanceof NoSuchContainerError,
    beforeErrors,
  });
}

/** `container prune` */
export const containerPruneCommand: Command = {
  flags: {
    force: { type: "boolean", short: "f", help: "Do not ask for confirmation" },
    filter: {
      type: "string",
      multiple: true,
      help: "Not supported by berth: refused with an error",
    },
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
    return await pruneContainers(await openEngine(global));
  },
};

/** `system prune` */
export const systemPruneCommand: Command = {
  flags: {
    all: {
      type: "boolean",
      short: "a",
      help: "Remove every image no container uses, not only dangling ones",
    },
    force: { type: "boolean", short: "f", help: "Do not ask for confirmation" },
    volumes: {
      type: "boolean",
      help: "Accepted for podman compatibility; berth has no volumes to prune",
    },
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
    await out("Deleted Containers\n");
    return await pruneContainers(engine, async () => {
      const { openImages } = await import("./image/common.ts");
      const { pruneImages } = await import("../image/remove.ts");
      const images = await pruneImages(await openImages(global), bool(p, "all"));
      await out(`Deleted Images\n${images.map((id) => `${id}\n`).join("")}`);
    });
  },
};
