/**
 * Docker's rules for the process a container runs, from the image's Entrypoint/Cmd, the
 * `--entrypoint` flag and the command line (pure).
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import type { ImageRunConfig } from "./types.ts";

/**
 * Parse `--entrypoint`: a JSON array of strings (podman accepts one), `""` for none, or a
 * single executable.
 */
export function parseEntrypointFlag(flag: string): string[] {
  if (flag === "") return [];
  if (flag.trimStart().startsWith("[")) {
    try {
      const v = JSON.parse(flag);
      if (Array.isArray(v) && v.every((s) => typeof s === "string")) return v;
    } catch { /* not JSON: a plain executable name */ }
  }
  return [flag];
}

/**
 * The container's argv:
 * - `--entrypoint` given: it replaces the image's Entrypoint and the image's Cmd is dropped
 *   (`--entrypoint ""` clears the entrypoint);
 * - command-line arguments replace the image's Cmd;
 * - the result is Entrypoint followed by Cmd.
 *
 * @throws {UsageError} when that leaves nothing to run
 *
 * @example
 * ```ts
 * combineCommand({ Entrypoint: ["/init"], Cmd: ["serve"] }, undefined, []); // ["/init", "serve"]
 * combineCommand({ Entrypoint: ["/init"], Cmd: ["serve"] }, undefined, ["sh"]); // ["/init", "sh"]
 * combineCommand({ Entrypoint: ["/init"], Cmd: ["serve"] }, "", ["sh"]); // ["sh"]
 * ```
 */
export function combineCommand(
  config: ImageRunConfig,
  entrypointFlag: string | undefined,
  cmdArgs: string[],
): string[] {
  return imageArgv(
    config,
    entrypointFlag === undefined ? undefined : parseEntrypointFlag(entrypointFlag),
    cmdArgs,
  );
}

/**
 * {@linkcode combineCommand} for an entrypoint already parsed (`undefined`: none given, so
 * the image's applies; `[]`: cleared).
 *
 * @throws {UsageError} when that leaves nothing to run
 */
export function imageArgv(
  config: ImageRunConfig,
  entrypoint: string[] | undefined,
  cmdArgs: string[],
): string[] {
  const cmd = cmdArgs.length > 0 ? cmdArgs : entrypoint !== undefined ? [] : config.Cmd ?? [];
  const argv = [...(entrypoint ?? config.Entrypoint ?? []), ...cmd];
  if (argv.length === 0) {
    throw new UsageError("no command or entrypoint specified, and the image has none");
  }
  return argv;
}
