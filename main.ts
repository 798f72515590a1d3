/**
 * berth: a daemonless container engine for CI steps. argv → global flags → one command;
 * typed errors become one `Error:` line and their exit status.
 *
 * @module
 */
import { BerthError, errorMessage, UsageError } from "./src/errors.ts";
import type { GlobalOptions } from "./src/engine/context.ts";
import { LOG_LEVELS, type LogLevel, setLogLevel } from "./src/engine/log.ts";
import type { Command } from "./src/cli/command.ts";
import { errOut, out } from "./src/cli/command.ts";
import { runCommand } from "./src/cli/run.ts";
import { createCommand } from "./src/cli/create.ts";
import { startCommand } from "./src/cli/start.ts";
import { waitCommand } from "./src/cli/wait.ts";
import { stopCommand } from "./src/cli/stop.ts";
import { killCommand } from "./src/cli/kill.ts";
import { rmCommand } from "./src/cli/rm.ts";
import { psCommand } from "./src/cli/ps.ts";
import { inspectCommand } from "./src/cli/inspect.ts";
import { logsCommand } from "./src/cli/logs.ts";
import { cleanupCommand, existsCommand, refreshCommand, versionCommand } from "./src/cli/misc.ts";
import { IMAGE_COMMANDS } from "./src/cli/image_commands.ts";

/** Commands that exist both at the top level and under `container`. */
const CONTAINER_COMMANDS: Record<string, Command> = {
  run: runCommand,
  create: createCommand,
  start: startCommand,
  wait: waitCommand,
  stop: stopCommand,
  kill: killCommand,
  rm: rmCommand,
  ps: psCommand,
  inspect: inspectCommand,
  logs: logsCommand,
};

/** Every command, keyed by its words joined with a space. */
export const COMMANDS: Record<string, Command> = {
  ...CONTAINER_COMMANDS,
  version: versionCommand,
  ...Object.fromEntries(
    Object.entries(CONTAINER_COMMANDS).map(([name, cmd]) => [`container ${name}`, cmd]),
  ),
  "container ls": psCommand,
  "container list": psCommand,
  "container exists": existsCommand,
  "container cleanup": cleanupCommand,
  "system refresh": refreshCommand,
  ...Object.fromEntries(
    Object.entries(IMAGE_COMMANDS).map(([name, cmd]) => [name.replace(":", " "), cmd]),
  ),
};

const GLOBAL_VALUE_FLAGS = ["root", "runroot", "runtime", "conmon", "log-level"];

/** Split argv into global options, the command's name, and its arguments. */
export function parseGlobal(argv: string[]): {
  global: GlobalOptions;
  command?: string;
  args: string[];
  help: boolean;
} {
  const values: Record<string, string> = {};
  const rawArgs: string[] = [];
  let help = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-")) break;
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (arg === "--version" || arg === "-v") {
      return { global: defaults(values, []), command: "version", args: [], help };
    }
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") ? arg.slice(2, eq === -1 ? undefined : eq) : "";
    if (!GLOBAL_VALUE_FLAGS.includes(name)) throw new UsageError(`unknown flag: ${arg}`);
    if (eq !== -1) {
      values[name] = arg.slice(eq + 1);
      rawArgs.push(arg);
    } else {
      if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: --${name}`);
      values[name] = argv[++i];
      rawArgs.push(arg, argv[i]);
    }
  }
  const rest = argv.slice(i);
  let command: string | undefined;
  for (const words of [2, 1]) {
    const key = rest.slice(0, words).join(" ");
    if (rest.length >= words && COMMANDS[key]) {
      command = key;
      rest.splice(0, words);
      break;
    }
  }
  if (!command && rest.length) {
    throw new UsageError(`unrecognized command \`berth ${rest.slice(0, 2).join(" ")}\``);
  }
  return { global: defaults(values, rawArgs), command, args: rest, help };
}

function defaults(values: Record<string, string>, rawArgs: string[]): GlobalOptions {
  const logLevel = values["log-level"] ?? "warn";
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new UsageError(`invalid log level "${logLevel}": use one of ${LOG_LEVELS.join(", ")}`);
  }
  for (const name of ["root", "runroot", "runtime", "conmon"]) {
    if (values[name] === "") throw new UsageError(`--${name} must not be empty`);
  }
  return {
    root: values.root ?? "/var/lib/berth",
    runroot: values.runroot ?? "/run/berth",
    runtime: values.runtime ?? "runc",
    conmon: values.conmon,
    logLevel,
    rawArgs,
  };
}

function usage(): string {
  const lines = Object.entries(COMMANDS)
    .filter(([name]) => !name.startsWith("container ") || name.split(" ").length === 2)
    .map(([name, cmd]) => `  ${name.padEnd(20)} ${cmd.summary}`);
  return `Usage: berth [global flags] COMMAND [flags] [args]

Global flags:
  --root DIR          persistent state: database, bundles, logs (default /var/lib/berth)
  --runroot DIR       transient state: exit files, locks, runtime state (default /run/berth)
  --runtime NAME|PATH OCI runtime: runc (default) or crun
  --conmon PATH       conmon binary (default: found on PATH)
  --log-level LEVEL   debug, info, warn (default), error

Commands:
${lines.join("\n")}
`;
}

/** Run berth with `argv`; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  try {
    const { global, command, args, help } = parseGlobal(argv);
    setLogLevel(global.logLevel as LogLevel);
    if (!command) {
      await out(usage());
      return help ? 0 : 125;
    }
    return await COMMANDS[command].run(global, help ? ["--help", ...args] : args);
  } catch (err) {
    await errOut(`Error: ${errorMessage(err)}\n`);
    if (err instanceof BerthError) return err.exitCode;
    return 125;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
