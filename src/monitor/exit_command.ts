/**
 * The exit command conmon runs when the container exits: berth itself, in cleanup mode,
 * with the same global flags as given (relative paths unchanged, since conmon inherits
 * berth's working directory).
 *
 * @module
 */
import { fileURLToPath } from "node:url";

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
    : [self.execPath, "run", "-A", "--no-config", fileURLToPath(self.mainModule)];
  return [...launcher, ...globalArgs, "container", "cleanup", ...(autoRemove ? ["--rm"] : []), id];
}

/** This process's own invocation. */
export function currentInvocation(): SelfInvocation {
  return {
    execPath: Deno.execPath(),
    mainModule: Deno.mainModule,
    standalone: Deno.build.standalone,
  };
}
