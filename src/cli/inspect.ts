/**
 * `berth inspect [--format F] CONTAINER...`: podman-shaped JSON, or a template per container.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { bool, parseFlags, str } from "./args.ts";
import { errorMessage, NoSuchContainerError, UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { tryFindContainer } from "../engine/lookup.ts";
import { forEachTarget, LATEST_FLAG, targetsOrLatest } from "./targets.ts";
import type { Engine } from "../engine/context.ts";
import { pathExists } from "../fs.ts";
import { observeContainer } from "../engine/observe.ts";
import { containerPaths } from "../engine/paths.ts";
import { inspectView } from "./views.ts";
import { networkRecord } from "../engine/network_attach.ts";
import { compileTemplate } from "../format/template/mod.ts";

/** `inspect` */
export const inspectCommand: Command = {
  flags: {
    format: {
      type: "string",
      short: "f",
      help: "Print as json (the default) or through a Go template, e.g. {{.State.Status}}",
      value: "json|TEMPLATE",
    },
    type: {
      type: "string",
      short: "t",
      help: "What to inspect: container, image, or all (a container, else an image of that name)",
      value: "type",
      defaultText: '"all"',
    },
    latest: LATEST_FLAG,
    size: {
      type: "boolean",
      short: "s",
      help: "Accepted for podman compatibility; berth reports no sizes",
    },
  },
  async run(global, p, args) {
    const type = str(p, "type") ?? "all";
    if (!["all", "container", "image"].includes(type)) {
      throw new UsageError(`invalid --type "${type}": use container, image or all`);
    }
    if (type === "image") {
      // Straight to the image command's module: going through the registry would be a cycle.
      const { imageInspectCommand: image } = await import("./image/inspect.ts");
      const rest = withoutTypeFlag(args);
      return await image.run(global, parseFlags(rest, image.flags, image.stopAtPositional), rest);
    }
    const format = str(p, "format");
    const template = format && format !== "json" ? compileTemplate(format) : undefined;
    const engine = await openEngine(global);
    const targets = targetsOrLatest(engine, p.positionals, bool(p, "latest"), "inspect");
    const views: Record<string, unknown>[] = [];
    return await forEachTarget(targets, async (arg) => {
      const found = tryFindContainer(engine, arg);
      // As podman's plain `inspect`: a name that is no container may be an image.
      const image = !found && type === "all" ? await inspectImage(engine, arg) : undefined;
      if (image) {
        views.push(image);
        return;
      }
      if (!found) throw new NoSuchContainerError(arg);
      const row = await observeContainer(engine, found.id);
      if (!row) throw new NoSuchContainerError(arg);
      views.push(
        inspectView(row, containerPaths(engine.paths, row.id), networkRecord(engine, row.id)),
      );
    }, {
      message: (err, arg) =>
        err instanceof NoSuchContainerError ? `no such object: "${arg}"` : errorMessage(err),
      beforeErrors: async () => {
        if (template) await out(views.map((v) => `${template(v)}\n`).join(""));
        else await out(JSON.stringify(views, null, 4) + "\n");
      },
    });
  },
};

/** `args` without `--type X` / `-t X` / `--type=X`, for `image inspect`. */
function withoutTypeFlag(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--type" || args[i] === "-t") i++;
    else if (!args[i].startsWith("--type=")) out.push(args[i]);
  }
  return out;
}

/**
 * The image `ref` names, as `image inspect` shows it; undefined if there is none. A store
 * that never held an image is not created by looking (bad input changes nothing).
 */
async function inspectImage(
  engine: Engine,
  ref: string,
): Promise<Record<string, unknown> | undefined> {
  if (!pathExists(`${engine.paths.root}/images`)) return undefined;
  const { findImage, lowerDirs } = await import("../image/store.ts");
  const { imageCtx } = await import("../engine/image.ts");
  const { imageNames } = await import("../store/images.ts");
  const { inspectImageView } = await import("../image/views.ts");
  const ctx = imageCtx(engine);
  let row;
  try {
    row = findImage(ctx, ref);
  } catch {
    return undefined; // not an image reference at all
  }
  return row
    ? inspectImageView(row, imageNames(ctx.store, row.id), lowerDirs(ctx, row))
    : undefined;
}
