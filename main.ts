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
import type { Command } from "./src/cli/command.ts";
import { errOut, out } from "./src/cli/command.ts";

/** A command's summary, and its module, loaded only when that command runs (fast start-up). */
interface Entry {
  summary: string;
  load: () => Promise<Command>;
}

const CONTAINER_COMMANDS: Record<string, Entry> = {
  run: {
    summary: "Run a command in a new container",
    load: async () => (await import("./src/cli/run.ts")).runCommand,
  },
  create: {
    summary: "Create a container without starting it",
    load: async () => (await import("./src/cli/create.ts")).createCommand,
  },
  start: {
    summary: "Start one or more containers",
    load: async () => (await import("./src/cli/start.ts")).startCommand,
  },
  wait: {
    summary: "Wait for containers to exit and print their exit codes",
    load: async () => (await import("./src/cli/wait.ts")).waitCommand,
  },
  stop: {
    summary: "Stop one or more running containers",
    load: async () => (await import("./src/cli/stop.ts")).stopCommand,
  },
  kill: {
    summary: "Send a signal to running containers",
    load: async () => (await import("./src/cli/kill.ts")).killCommand,
  },
  rm: {
    summary: "Remove one or more containers",
    load: async () => (await import("./src/cli/rm.ts")).rmCommand,
  },
  ps: {
    summary: "List containers",
    load: async () => (await import("./src/cli/ps.ts")).psCommand,
  },
  inspect: {
    summary: "Show details of containers",
    load: async () => (await import("./src/cli/inspect.ts")).inspectCommand,
  },
  logs: {
    summary: "Show the output of a container",
    load: async () => (await import("./src/cli/logs.ts")).logsCommand,
  },
  exec: {
    summary: "Run a command in a running container",
    load: async () => (await import("./src/cli/exec.ts")).execCommand,
  },
  cp: {
    summary: "Copy files between a container and the local filesystem",
    load: async () => (await import("./src/cli/cp.ts")).cpCommand,
  },
  attach: {
    summary: "Attach to a running container's output (and stdin with -i)",
    load: async () => (await import("./src/cli/attach_cmd.ts")).attachCommand,
  },
  restart: {
    summary: "Restart one or more containers",
    load: async () => (await import("./src/cli/restart.ts")).restartCommand,
  },
};

const misc = () => import("./src/cli/misc.ts");
const images = async (name: string) =>
  (await import("./src/cli/image_commands.ts")).IMAGE_COMMANDS[name];

/** The image commands, by the key they have in IMAGE_COMMANDS. */
const IMAGE_NAMES: Record<string, string> = {
  pull: "Pull an image from a registry",
  load: "Load images from an archive or OCI layout",
  save: "Save images to a docker-archive or oci-archive",
  import: "Create an image from a root filesystem tarball",
  images: "List images",
  rmi: "Remove images",
  tag: "Add names to an image",
  login: "Log in to a registry",
  logout: "Log out of a registry",
  "image:inspect": "Show details of images",
  "image:prune": "Remove unused images",
  "image:exists": "Check whether an image exists in local storage",
};

/** Every command, keyed by its words joined with a space. */
export const COMMANDS: Record<string, Entry> = {
  ...CONTAINER_COMMANDS,
  version: { summary: "Show berth's version", load: async () => (await misc()).versionCommand },
  info: {
    summary: "Show the runtime, monitor and store berth uses",
    load: async () => (await import("./src/cli/info.ts")).infoCommand,
  },
  "system info": {
    summary: "Show the runtime, monitor and store berth uses",
    load: async () => (await import("./src/cli/info.ts")).infoCommand,
  },
  ...Object.fromEntries(
    Object.entries(CONTAINER_COMMANDS).map(([name, cmd]) => [`container ${name}`, cmd]),
  ),
  "container ls": CONTAINER_COMMANDS.ps,
  "container list": CONTAINER_COMMANDS.ps,
  "container exists": {
    summary: "Check whether a container exists",
    load: async () => (await misc()).existsCommand,
  },
  "container cleanup": {
    summary: "Clean up containers after they exit (run by conmon)",
    load: async () => (await misc()).cleanupCommand,
  },
  "container prune": {
    summary: "Remove all containers that are not running",
    load: async () => (await import("./src/cli/prune.ts")).containerPruneCommand,
  },
  "system prune": {
    summary: "Remove stopped containers and unused images",
    load: async () => (await import("./src/cli/prune.ts")).systemPruneCommand,
  },
  "system refresh": {
    summary: "Reset container states and clear exit codes, as after a reboot",
    load: async () => (await misc()).refreshCommand,
  },
  ...Object.fromEntries(
    Object.entries(IMAGE_NAMES).map((
      [key, summary],
    ) => [key.replace(":", " "), { summary, load: () => images(key) }]),
  ),
  "image ls": { summary: IMAGE_NAMES.images, load: () => images("images") },
  "image list": { summary: IMAGE_NAMES.images, load: () => images("images") },
  "image rm": { summary: IMAGE_NAMES.rmi, load: () => images("rmi") },
  "image pull": { summary: IMAGE_NAMES.pull, load: () => images("pull") },
  "image tag": { summary: IMAGE_NAMES.tag, load: () => images("tag") },
  "image load": { summary: IMAGE_NAMES.load, load: () => images("load") },
  "image save": { summary: IMAGE_NAMES.save, load: () => images("save") },
  "image import": { summary: IMAGE_NAMES.import, load: () => images("import") },
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
  return { global: defaults(values, rawArgs), command, args: rest, help };
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

function usage(): string {
  const lines = Object.entries(COMMANDS)
    .filter(([name]) =>
      !name.startsWith("container ") && !name.startsWith("image ") ||
      [
        "container exists",
        "container cleanup",
        "container prune",
        "image inspect",
        "image prune",
        "image exists",
      ]
        .includes(name)
    )
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
    const cmd = await COMMANDS[command].load();
    return await cmd.run(global, help ? ["--help", ...args] : args);
  } catch (err) {
    await errOut(`Error: ${errorMessage(err)}\n`);
    if (err instanceof BerthError) return err.exitCode;
    return 125;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
