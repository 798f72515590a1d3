/**
 * Small commands: `container exists`, `container cleanup` (conmon's exit command),
 * `system refresh`, `version`.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { bool, parseFlags, str } from "./args.ts";
import { UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { tryFindContainer } from "../engine/lookup.ts";
import { cleanupContainer } from "../engine/cleanup.ts";
import { refresh } from "../engine/refresh.ts";
import { layout } from "../engine/paths.ts";
import { resolve } from "node:path";
import { printUsage } from "./command.ts";
import { compileTemplate } from "../format/template.ts";
import { goArch } from "../platform.ts";

/** berth's version. */
export const VERSION = "0.1.0";

/** `container exists CONTAINER`: exit 0 if it exists, 1 if not. */
export const existsCommand: Command = {
  summary: "Check whether a container exists",
  usage: "berth container exists CONTAINER",
  async run(global, args) {
    const p = parseFlags(args, { help: { type: "boolean" } });
    if (bool(p, "help")) return await printUsage(this.usage);
    if (p.positionals.length !== 1) throw new UsageError("exists requires exactly one container");
    const engine = await openEngine(global);
    return tryFindContainer(engine, p.positionals[0]) ? 0 : 1;
  },
};

/**
 * `container cleanup [--rm] ID...`: run by conmon when a container exits. Lost races are
 * silent successes; a store that no longer exists (its tests' temp dir removed) is nothing
 * to clean.
 */
export const cleanupCommand: Command = {
  summary: "Clean up containers after they exit (run by conmon)",
  usage: "berth container cleanup [--rm] CONTAINER...",
  async run(global, args) {
    const p = parseFlags(args, { rm: { type: "boolean" }, help: { type: "boolean" } });
    if (bool(p, "help")) return await printUsage(this.usage);
    if (p.positionals.length === 0) throw new UsageError("cleanup requires a container");
    try {
      Deno.statSync(layout(resolve(global.root), resolve(global.runroot)).dbPath);
    } catch {
      return 0;
    }
    const engine = await openEngine(global);
    for (const arg of p.positionals) {
      const row = tryFindContainer(engine, arg);
      if (!row) continue;
      await cleanupContainer(engine, row.id, { remove: bool(p, "rm") });
      await out(`${row.id}\n`);
    }
    return 0;
  },
};

/** `system refresh`: what berth does by itself after a reboot. */
export const refreshCommand: Command = {
  summary: "Reset container states and clear exit codes, as after a reboot",
  usage: "berth system refresh",
  async run(global, args) {
    const p = parseFlags(args, { help: { type: "boolean" } });
    if (bool(p, "help")) return await printUsage(this.usage);
    const engine = await openEngine(global);
    await refresh(engine);
    return 0;
  },
};

/** `version [--format json]` */
export const versionCommand: Command = {
  summary: "Show berth's version",
  usage: "berth version [--format json|TEMPLATE]",
  async run(_global, args) {
    const p = parseFlags(args, {
      format: { type: "string", short: "f" },
      help: { type: "boolean" },
    });
    if (bool(p, "help")) return await printUsage(this.usage);
    const format = str(p, "format");
    const template = format && format !== "json" ? compileTemplate(format) : undefined;
    // podman's shape ({"Client": {…}}, Go's arch names), so `{{.Client.Version}}` works.
    const client = {
      APIVersion: VERSION,
      Version: VERSION,
      DenoVersion: Deno.version.deno,
      OsArch: `${Deno.build.os}/${goArch()}`,
      Os: Deno.build.os,
    };
    if (format === "json") await out(JSON.stringify({ Client: client }, null, 2) + "\n");
    else if (template) await out(template({ Client: client, ...client }) + "\n");
    else {
      await out(
        `Client:       berth\nVersion:      ${VERSION}\nAPI Version:  ${VERSION}\n` +
          `Deno Version: ${client.DenoVersion}\nOS/Arch:      ${client.OsArch}\n`,
      );
    }
    return 0;
  },
};
