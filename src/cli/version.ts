/**
 * `berth version [--format json|TEMPLATE]` (and `--version`), in podman's shape.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { str } from "./args.ts";
import { compileTemplate } from "../format/template/mod.ts";
import { goArch } from "../platform.ts";

import { VERSION } from "../version.ts";

export { VERSION };

/** `version [--format json]` */
export const versionCommand: Command = {
  flags: {
    format: {
      type: "string",
      short: "f",
      help: "Print as json or through a Go template, e.g. {{.Client.Version}}",
      value: "json|TEMPLATE",
    },
  },
  async run(_global, p) {
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
