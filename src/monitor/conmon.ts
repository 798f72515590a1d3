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
  /** Pass the container berth's fds 3 … 3+N-1 as well (`--preserve-fds N`). */
  preserveFds?: number;
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
  // `create`'s own option, after the command: podman 4.3's spelling.
  if (opts.preserveFds) {
    args.push("--runtime-opt", "--preserve-fds", "--runtime-opt", String(opts.preserveFds));
  }
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
 * The most fds `--preserve-fds` can pass: conmon's sync fd comes right after them, and
 * `/bin/sh` (dash) can place only single-digit fds.
 */
export const MAX_PRESERVE_FDS = 6;

/**
 * The `/bin/sh -c` script that starts conmon (`$0`, arguments after `$1`) with its fds in
 * place, as podman's Go code sets them: fds 3 … 2+N passed on (one not open in berth becomes
 * /dev/null, so nothing conmon opens lands there and reaches the container), the other small
 * fds berth inherited closed (conmon would hold them for the container's lifetime), and the
 * sync file `$1` opened at fd 3+N, the fd `_OCI_SYNCPIPE` names.
 */
export function conmonLauncher(preserveFds: number): string {
  const sync = 3 + preserveFds;
  const steps: string[] = [];
  for (let fd = 3; fd < sync; fd++) {
    steps.push(`[ -e /proc/self/fd/${fd} ] || exec ${fd}</dev/null`);
  }
  for (let fd = sync + 1; fd <= 9; fd++) steps.push(`exec ${fd}>&-`);
  steps.push("f=$1", "shift", `exec "$0" "$@" ${sync}>"$f"`);
  return steps.join("; ");
}

/**
 * True if fd `fd` of this process is one it inherited and hands on to its children: open and
 * without close-on-exec (Deno opens all of its own files close-on-exec). podman's
 * `--preserve-fds` refuses fds that are not so.
 */
export function isInheritedFd(fd: number): boolean {
  try {
    const info = Deno.readTextFileSync(`/proc/self/fdinfo/${fd}`);
    const flags = /^flags:\s*([0-7]+)/m.exec(info)?.[1];
    return flags !== undefined && (parseInt(flags, 8) & 0o2000000) === 0; // O_CLOEXEC
  } catch {
    return false;
  }
}

/**
 * The error conmon reported through its sync fd, if any: after a failed `runtime create` it
 * writes `{"data": -1, "message": "<the runtime's stderr>"}` (a success writes the PID).
 */
export function syncFailure(text: string): string | undefined {
  for (const line of text.split("\n")) {
    try {
      const m = JSON.parse(line) as { data?: number; message?: string };
      if (typeof m.data === "number" && m.data < 0) return m.message ?? "";
    } catch { /* a partial line: not written yet */ }
  }
  return undefined;
}

/** Where {@linkcode spawnConmon} has conmon report, and which fds it passes on. */
export interface SpawnOptions {
  /** The file conmon's sync messages go to (see {@linkcode syncFailure}). */
  syncFile: string;
  /** `--preserve-fds N` (0 to {@linkcode MAX_PRESERVE_FDS}). */
  preserveFds?: number;
}

/**
 * Start conmon and wait for its first process to return (it daemonises at once; the
 * container is not created yet). Returns conmon's exit status.
 */
export async function spawnConmon(
  conmonPath: string,
  args: string[],
  opts: SpawnOptions,
): Promise<number> {
  const preserve = opts.preserveFds ?? 0;
  log("debug", `conmon: ${conmonPath} ${args.join(" ")}`);
  // Deno cannot place an fd in a child, so /bin/sh does; no `cwd`: conmon and the cleanup
  // process it runs must share berth's working directory.
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", conmonLauncher(preserve), conmonPath, opts.syncFile, ...args],
    env: { _OCI_SYNCPIPE: String(3 + preserve) },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const status = await child.status;
  return status.code;
}
