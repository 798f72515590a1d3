/**
 * `berth inspect [--format F] CONTAINER...`: podman-shaped JSON, or a template per container.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { errOut, out } from "./command.ts";
import { bool, parseFlags, str } from "./args.ts";
import { errorMessage, NoSuchContainerError, UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { observeContainer } from "../engine/observe.ts";
import { containerPaths } from "../engine/paths.ts";
import { inspectView } from "./views.ts";
import { compileTemplate } from "../format/template.ts";
import { printUsage } from "./run.ts";

/** `inspect` */
export const inspectCommand: Command = {
  summary: "Show details of containers",
  usage: "berth inspect [--format FORMAT] CONTAINER...",
  async run(global, args) {
    const p = parseFlags(args, {
      format: { type: "string", short: "f" },
      type: { type: "string", short: "t" },
      latest: { type: "boolean", short: "l" },
      size: { type: "boolean", short: "s" },
      help: { type: "boolean" },
    });
    if (bool(p, "help")) return await printUsage(this.usage);
    if (p.positionals.length === 0) throw new UsageError("inspect requires at least one container");
    const format = str(p, "format");
    const template = format && format !== "json" ? compileTemplate(format) : undefined;
    const engine = await openEngine(global);
    const views: Record<string, unknown>[] = [];
    let status = 0;
    const errors: string[] = [];
    for (const arg of p.positionals) {
      try {
        const found = findContainer(engine, arg);
        const row = await observeContainer(engine, found.id);
        if (!row) throw new NoSuchContainerError(arg);
        views.push(inspectView(row, containerPaths(engine.paths, row.id)));
      } catch (err) {
        errors.push(
          err instanceof NoSuchContainerError ? `no such object: "${arg}"` : errorMessage(err),
        );
        status = 125;
      }
    }
    if (template) await out(views.map((v) => `${template(v)}\n`).join(""));
    else await out(JSON.stringify(views, null, 4) + "\n");
    for (const e of errors) await errOut(`Error: ${e}\n`);
    return status;
  },
};
