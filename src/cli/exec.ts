/**
 * `berth exec [-i] [-t] [-d] [-e K=V] [--env-file F] [-w DIR] [-u USER] CONTAINER CMD [ARG...]`:
 * run a command in a running container and exit with its status, as `podman exec` does
 * (125 when berth fails, 126/127 when the command cannot be run).
 *
 * @module
 */
import type { Command } from "./command.ts";
import { bool, list, str } from "./args.ts";
import { UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { execInContainer } from "../engine/exec.ts";
import { parseEnvArg, parseEnvFile } from "./container_flags.ts";
import { parseImageUser } from "../image/user.ts";
import { LATEST_FLAG, targetsOrLatest } from "./targets.ts";
import { forwardSignals } from "./forward_signals.ts";
import { writeAll } from "../io.ts";

/** `exec` */
export const execCommand: Command = {
  flags: {
    interactive: { type: "boolean", short: "i", help: "Keep stdin open and feed it berth's stdin" },
    tty: { type: "boolean", short: "t", help: "Allocate a pseudo-terminal for the command" },
    detach: {
      type: "boolean",
      short: "d",
      help: "Run the command in the background, without its output, and exit 0 at once",
    },
    env: {
      type: "string",
      short: "e",
      multiple: true,
      help:
        "Set an environment variable for the command: KEY=VALUE, or KEY alone to pass berth's own value",
    },
    "env-file": {
      type: "string",
      multiple: true,
      help:
        "Read environment variables from a file: KEY=VALUE lines, KEY alone for berth's own value, # comments",
    },
    workdir: {
      type: "string",
      short: "w",
      help: "Working directory for the command (default: the container's)",
    },
    user: {
      type: "string",
      short: "u",
      help:
        "User to run the command as: NAME or UID, with an optional :GROUP or :GID (default: the container's)",
    },
    latest: LATEST_FLAG,
  },
  stopAtPositional: true,
  async run(global, p) {
    const latest = bool(p, "latest");
    // With --latest every argument belongs to the command.
    const [target, ...command] = latest ? ["", ...p.positionals] : p.positionals;
    if (!target && !latest) throw new UsageError("exec requires the name or ID of a container");
    if (command.length === 0) throw new UsageError("exec requires a command to run");
    const workdir = str(p, "workdir");
    if (workdir !== undefined && !workdir.startsWith("/")) {
      throw new UsageError(`workdir "${workdir}" must be an absolute path`);
    }
    const env = [
      ...list(p, "env-file").flatMap((f) => parseEnvFile(f)),
      ...list(p, "env").flatMap((e) => parseEnvArg(e)),
    ];
    const user = str(p, "user");
    const engine = await openEngine(global);
    const [name] = targetsOrLatest(engine, latest ? [] : [target], latest, "exec");
    const row = findContainer(engine, name);
    return await execInContainer(engine, row.id, {
      command,
      env,
      workdir,
      user: user === undefined ? undefined : (rootfs) => parseImageUser(user, [rootfs]),
      interactive: bool(p, "interactive"),
      tty: bool(p, "tty"),
      detach: bool(p, "detach"),
    }, {
      writeStderr: (chunk) => writeAll(Deno.stderr, chunk),
      onStarted: (kill) => forwardSignals(kill),
    });
  },
};
