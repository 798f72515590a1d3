/**
 * The exit command conmon runs when the container exits: berth itself, in cleanup mode,
 * with the same global flags as given (relative paths unchanged, since conmon inherits
 * berth's working directory).
 *
 * @module
 */

/** How this berth process was started. */
export interface SelfInvocation {
  /** `Deno.execPath()`: the deno binary, or the compiled berth binary. */
  execPath: string;
  /** `Deno.mainModule`. */
  mainModule: string;
  /** `Deno.build.standalone`: true in a `deno compile` binary, whatever its file is named. */
  standalone: boolean;
}

/**
 * True when berth runs as a `deno compile` binary rather than through `deno run`. Decided by
 * `Deno.build.standalone`, never by the executable's name: a deno installed as `deno2` or a
 * berth binary named `deno` must not get the other's command line.
 */
export function isCompiled(self: SelfInvocation): boolean {
  return self.standalone;
}

/**
 * The argv of the cleanup process.
 *
 * @example
 * ```ts
 * exitCommand(
 *   { execPath: "/usr/bin/deno", mainModule: "file:///src/berth/main.ts", standalone: false },
 *   ["--root", "./r"], "abc", true);
 * // ["/usr/bin/deno", "run", "-A", "--no-config", "/src/berth/main.ts", "--root", "./r",
 * //  "container", "cleanup", "--rm", "abc"]
 * ```
 */
export function exitCommand(
  self: SelfInvocation,
  globalArgs: string[],
  id: string,
  autoRemove: boolean,
): string[] {
  const launcher = isCompiled(self)
    ? [self.execPath]
    : [self.execPath, "run", "-A", "--no-config", filePath(self.mainModule)];
  return [...launcher, ...globalArgs, "container", "cleanup", ...(autoRemove ? ["--rm"] : []), id];
}

/** The path of a `file:` URL (node:url's fileURLToPath, without loading node:url on start). */
export function filePath(url: string): string {
  const u = new URL(url);
  if (u.protocol !== "file:") throw new TypeError(`not a file URL: ${url}`);
  return decodeURIComponent(u.pathname);
}

/** This process's own invocation. */
export function currentInvocation(): SelfInvocation {
  return {
    execPath: Deno.execPath(),
    mainModule: Deno.mainModule,
    standalone: Deno.build.standalone,
  };
}

/** The files the exit command's guard reads before it starts berth. */
export interface GuardFiles {
  /** Locked (shared) by every berth process that will clean the container up itself. */
  claim: string;
  /** conmon's exit file: present until a cleanup ran. */
  exitFile: string;
  /** conmon's own pidfile: present until a cleanup ran (a failed create writes no exit file). */
  conmonPidFile: string;
}

/**
 * The shell guard in front of berth's cleanup: wait until nobody holds a claim on the
 * container (`flock` waits for every shared holder; the kernel drops a dead holder's lock), then
 * start berth only if the cleanup is still due. Because the decision comes after the claim is
 * free, a claimer that dies at any moment leaves the cleanup to berth. A claim file that cannot
 * be opened (none, or removed with the container) and a missing `flock` both fall through to
 * the check. `$0` is the claim, `$1` the exit file, `$2` conmon's pidfile, then berth's argv.
 */
export const EXIT_GUARD =
  'flock 9 2>/dev/null 9<"$0"; [ -e "$1" ] || [ -e "$2" ] || exit 0; shift 2; exec "$@"';

/**
 * The exit command conmon runs: {@linkcode EXIT_GUARD} through `/bin/sh`, then berth's cleanup
 * argv unchanged. A foreground `run` or a `wait` that cleans up itself costs one `sh` and one
 * `flock` instead of a second Deno process.
 *
 * @example
 * ```ts
 * guardedExitCommand({ claim: "/r/c/x/claim", exitFile: "/r/exits/x", conmonPidFile: "/r/c/x/conmon.pid" },
 *   ["/usr/bin/deno", "run", "-A", "main.ts", "container", "cleanup", "x"]);
 * // ["/bin/sh", "-c", EXIT_GUARD, "/r/c/x/claim", "/r/exits/x", "/r/c/x/conmon.pid",
 * //  "/usr/bin/deno", "run", "-A", "main.ts", "container", "cleanup", "x"]
 * ```
 */
export function guardedExitCommand(files: GuardFiles, berth: string[]): string[] {
  return ["/bin/sh", "-c", EXIT_GUARD, files.claim, files.exitFile, files.conmonPidFile, ...berth];
}
