/**
 * conmon, the per-container monitor: its argv (a pure function), and spawning it with
 * `Deno.Command` **without a `cwd`**, so conmon and its exit command inherit berth's working
 * directory and environment (podman once set the bundle as cwd and broke relative paths).
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { log } from "../log.ts";
import { which } from "../oci/runtime.ts";

/** Everything conmon is told about one container. */
export interface ConmonOptions {
  id: string;
  name: string;
  runtimePath: string;
  /** Global runtime flags (`--root DIR`, `--log FILE`, …), placed before `create`. */
  runtimeArgs: string[];
  bundle: string;
  pidFile: string;
  conmonPidFile: string;
  exitDir: string;
  logPath: string;
  /** Seconds before conmon kills the container (`--timeout`); 0 = none. */
  timeout: number;
  /** Give the container a stdin pipe fed from attach clients (`-i`). */
  stdin?: boolean;
  /** Give the container a pseudo-terminal (`-t`); conmon passes the runtime a console socket. */
  terminal?: boolean;
  exitCommand: string[];
  /** `--log-opt max-size`: bytes after which conmon truncates the log and starts over. */
  logSizeMax?: number;
}

/** conmon's argv for `opts`. */
export function conmonArgs(opts: ConmonOptions): string[] {
  const args = [
    "--api-version",
    "1",
    "-c",
    opts.id,
    "-u",
    opts.id,
    "-r",
    opts.runtimePath,
    "-b",
    opts.bundle,
    "-p",
    opts.pidFile,
    "-n",
    opts.name,
    "--exit-dir",
    opts.exitDir,
    "--full-attach",
    "-l",
    `k8s-file:${opts.logPath}`,
    "--conmon-pidfile",
    opts.conmonPidFile,
  ];
  for (const a of opts.runtimeArgs) args.push("--runtime-arg", a);
  if (opts.timeout > 0) args.push("--timeout", String(opts.timeout));
  if (opts.logSizeMax) args.push("--log-size-max", String(opts.logSizeMax));
  if (opts.stdin) args.push("--stdin");
  if (opts.terminal) args.push("--terminal");
  const [exe, ...rest] = opts.exitCommand;
  args.push("--exit-command", exe);
  for (const a of rest) args.push("--exit-command-arg", a);
  return args;
}

/** Resolve `--conmon` or find conmon on PATH. @throws {UsageError} if absent */
export function resolveConmon(given: string | undefined): string {
  const path = which(given ?? "conmon");
  if (!path) throw new UsageError(`conmon not found${given ? ` at ${given}` : " on PATH"}`);
  return path;
}

/**
 * Start conmon and wait for its first process to return (it daemonises at once; the
 * container is not created yet). Returns conmon's exit status.
 */
export async function spawnConmon(conmonPath: string, args: string[]): Promise<number> {
  log("debug", `conmon: ${conmonPath} ${args.join(" ")}`);
  // No `cwd`: conmon and the cleanup process it runs must share berth's working directory.
  const child = new Deno.Command(conmonPath, {
    args,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const status = await child.status;
  return status.code;
}
