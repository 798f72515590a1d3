/**
 * berth: a daemonless container engine for CI steps. argv → global flags → one command;
 * typed errors become one `Error:` line and their exit status.
 *
 * @module
 */
import { BerthError, errorMessage, UsageError } from "./src/errors.ts";
import type { GlobalOptions } from "./src/engine/context.ts";
import { resolve } from "node:path";
import { containerPaths, layout } from "./src/engine/paths.ts";
import { isAlive, readPidFile } from "./src/monitor/proc.ts";
import { pathExists } from "./src/fs.ts";
import { LOG_LEVELS, type LogLevel, setLogLevel, setLogSink } from "./src/log.ts";
import { installEngineEvents } from "./src/engine/events.ts";
import { CLI_EVENTS } from "./src/cli/events.ts";
import { errOut, out, runCommand } from "./src/cli/command.ts";
import { COMMANDS, listedNames, REGISTRY } from "./src/cli/registry.ts";

const GLOBAL_VALUE_FLAGS = ["root", "runroot", "runtime", "runtime-flag", "conmon", "log-level"];

/** Split argv into global options, the command's name, and its arguments. */
export function parseGlobal(argv: string[]): {
  global: GlobalOptions;
  command?: string;
  args: string[];
  help: boolean;
} {
  const values: Record<string, string> = {};
  const rawArgs: string[] = [];
  const runtimeFlags: string[] = []; // --runtime-flag may repeat
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
      return {
        global: defaults(values, []),
        command: "version",
        args: ["--format", "berth version {{.Client.Version}}"],
        help,
      };
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
    if (name === "runtime-flag") {
      if (values[name] === "") throw new UsageError("--runtime-flag must not be empty");
      runtimeFlags.push(values[name]);
    }
  }
  const rest = argv.slice(i);
  if (rest[0] === "help") { // `berth help [COMMAND]`, as podman's
    help = true;
    rest.shift();
  }
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
  return { global: { ...defaults(values, rawArgs), runtimeFlags }, command, args: rest, help };
}

function defaults(values: Record<string, string>, rawArgs: string[]): GlobalOptions {
  // podman's spellings too: trace is berth's most verbose level, warning is warn.
  const given = values["log-level"] ?? "warn";
  const logLevel = given === "trace" ? "debug" : given === "warning" ? "warn" : given;
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

/** `berth --help`: the global flags, then every command the registry lists, with its summary. */
export function usage(): string {
  const lines = REGISTRY.flatMap((entry) =>
    listedNames(entry).map((name) => `  ${name.padEnd(20)} ${entry.summary}`)
  );
  return `Usage: berth [global flags] COMMAND [flags] [args]

Global flags:
  --root DIR          persistent state: database, bundles, logs (default /var/lib/berth)
  --runroot DIR       transient state: exit files, locks, runtime state (default /run/berth)
  --runtime NAME|PATH OCI runtime: runc (default) or crun
  --runtime-flag FLAG a global flag for the runtime (debug → --debug); may repeat
  --conmon PATH       conmon binary (default: found on PATH)
  --log-level LEVEL   debug, info, warn (default), error

Commands:
${lines.join("\n")}
`;
}

/**
 * The cleanup process conmon starts for every container usually finds that the foreground
 * `run` did (or is doing) the work. Cleanup removes the exit file and conmon's pidfile, so
 * when both are gone there is nothing to do; while an attached foreground berth is alive, it
 * will clean up itself, so watch it instead of loading the engine, and take over only if it
 * dies first. (A failed create leaves conmon's pidfile; a normal exit leaves the exit file.)
 */
async function cleanupAlreadyDone(global: GlobalOptions, args: string[]): Promise<boolean> {
  const id = args.at(-1) ?? "";
  if (!/^[0-9a-f]{64}$/.test(id)) return false;
  const p = containerPaths(layout(resolve(global.root), resolve(global.runroot)), id);
  for (;;) {
    if (!pathExists(p.exitFile) && !pathExists(p.conmonPidFile)) return true;
    const attached = readPidFile(p.attachPidFile);
    if (!attached || !isAlive(attached)) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The log sink of the CLI: each line on stderr, synchronously (nowhere if it is closed). */
function stderrLine(line: string): void {
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(line));
  } catch { /* stderr closed (cleanup process): nowhere to log */ }
}

/** Run berth with `argv`; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  setLogSink(stderrLine);
  installEngineEvents(CLI_EVENTS);
  try {
    const { global, command, args, help } = parseGlobal(argv);
    setLogLevel(global.logLevel as LogLevel);
    if (!command) {
      await out(usage());
      return help ? 0 : 125;
    }
    if (command === "container cleanup" && await cleanupAlreadyDone(global, args)) return 0;
    return await runCommand(COMMANDS[command], global, args, help);
  } catch (err) {
    await errOut(`Error: ${errorMessage(err)}\n`);
    if (err instanceof BerthError) return err.exitCode;
    return 125;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
