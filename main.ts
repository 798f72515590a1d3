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
import { errOut, helpWidth, out, runCommand } from "./src/cli/command.ts";
import { GLOBAL_FLAGS, GLOBAL_VALUE_FLAGS } from "./src/cli/global_flags.ts";
import { mainHelp } from "./src/cli/help.ts";
import { COMMANDS, listedNames, VISIBLE } from "./src/cli/registry.ts";
import { didYouMean } from "./src/cli/suggest.ts";
import type { BerthConfig } from "./src/config.ts";
import { loadConfig, type LoadedConfig } from "./src/config_files.ts";
import { discardFd } from "./src/archive/libc.ts";

/** Split argv into global options, the command's name, and its arguments. */
export function parseGlobal(
  argv: string[],
  loaded: LoadedConfig = { config: {}, files: [] },
): {
  global: GlobalOptions;
  command?: string;
  args: string[];
  help: boolean;
  /** `--noout`: the command's stdout goes nowhere (its errors and exit status stay). */
  noout: boolean;
} {
  const values: Record<string, string> = {};
  const rawArgs: string[] = [];
  const runtimeFlags: string[] = []; // --runtime-flag may repeat
  let help = false;
  let noout = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-")) break;
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (arg === "--noout") {
      // Not in rawArgs: the cleanup process conmon starts prints nothing anyway.
      noout = true;
      continue;
    }
    if (arg === "--version" || arg === "-v") {
      return {
        global: defaults(values, [], { config: {}, files: [] }),
        command: "version",
        args: ["--format", "berth version {{.Client.Version}}"],
        help,
        noout,
      };
    }
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") ? arg.slice(2, eq === -1 ? undefined : eq) : "";
    if (!GLOBAL_VALUE_FLAGS.includes(name)) {
      const hint = name ? didYouMean(name, Object.keys(GLOBAL_FLAGS), (n) => `--${n}`) : "";
      throw new UsageError(`unknown flag: ${arg}${hint}`);
    }
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
    throw new UsageError(
      `unrecognized command \`berth ${rest.slice(0, 2).join(" ")}\`${commandHint(rest)}`,
    );
  }
  // The cleanup process gets every setting as a flag (see defaults) and never reads the
  // files: a file edited or broken since the container started must not lose its exit code.
  const applied = command === "container cleanup" ? { config: {}, files: [] } : loaded;
  return {
    global: { ...defaults(values, rawArgs, applied), runtimeFlags },
    command,
    args: rest,
    help,
    noout,
  };
}

/**
 * The "did you mean" tail for an unknown command: a group's subcommands when the first word is
 * a group (`berth container rmm`), otherwise the top-level commands.
 */
function commandHint(rest: string[]): string {
  const names = VISIBLE.flatMap((e) => [e.name, ...e.aliases]);
  const group = names.filter((n) => n.startsWith(`${rest[0]} `));
  if (group.length > 0 && rest.length > 1) {
    return didYouMean(rest[1], group.map((n) => n.slice(rest[0].length + 1)));
  }
  return didYouMean(rest[0], names.filter((n) => !n.includes(" ")));
}

/** The settings of the configuration file, by global flag. */
function configValues(config: BerthConfig): Record<string, string | undefined> {
  return {
    root: config.root,
    runroot: config.runroot,
    runtime: config.runtime,
    conmon: config.conmon,
    "log-level": config.logLevel,
  };
}

function defaults(
  given: Record<string, string>,
  givenArgs: string[],
  loaded: LoadedConfig,
): GlobalOptions {
  // A setting from the file becomes a flag of the cleanup process too, so that it finds the
  // same store and runtime whatever happens to the file later.
  const values = { ...given };
  const rawArgs = [...givenArgs];
  for (const [name, value] of Object.entries(configValues(loaded.config))) {
    if (value === undefined || values[name] !== undefined) continue;
    values[name] = value;
    rawArgs.push(`--${name}`, value);
  }
  // podman's spellings too: trace is berth's most verbose level, warning is warn.
  const level = values["log-level"] ?? "warn";
  const logLevel = level === "trace" ? "debug" : level === "warning" ? "warn" : level;
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
    config: loaded.config,
    configFiles: loaded.files,
  };
}

/** `berth --help`: the usage, every command the registry lists with its summary, the global flags. */
export function usage(width = 80): string {
  return mainHelp(
    {
      summary: "Run containers without a daemon: a podman-compatible engine for CI steps",
      usage: "berth [options] COMMAND [flags] [args]",
      flags: GLOBAL_FLAGS,
    },
    VISIBLE.map((entry) => ({ names: listedNames(entry), summary: entry.summary })),
    width,
  );
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
    let parsed = parseGlobal(argv);
    if (parsed.command !== "container cleanup") {
      const loaded = await loadConfig();
      if (loaded.files.length) parsed = parseGlobal(argv, loaded);
    }
    const { global, command, args, help, noout } = parsed;
    setLogLevel(global.logLevel as LogLevel);
    // As podman, which swaps its stdout for /dev/null: a container's attached output too.
    if (noout) discardFd(1);
    if (!command) {
      await out(usage(helpWidth()));
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
