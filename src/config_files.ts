/**
 * Which `berth.conf` files apply, and reading them: `$BERTH_CONFIG` alone when it is set (it
 * must exist), otherwise `/etc/berth/berth.conf` and then `$XDG_CONFIG_HOME/berth/berth.conf`
 * (`~/.config/…` when XDG_CONFIG_HOME is unset), each optional, the later refining the earlier.
 *
 * @module
 */
import { join } from "node:path";
import { type BerthConfig, checkConfig, mergeConfig } from "./config.ts";
import { ConfigError } from "./errors.ts";

/** The files to try, in order, and whether each must exist. */
export function configCandidates(
  env: (name: string) => string | undefined,
): { path: string; required: boolean }[] {
  const explicit = env("BERTH_CONFIG");
  if (explicit !== undefined && explicit !== "") return [{ path: explicit, required: true }];
  const home = env("HOME");
  const xdg = env("XDG_CONFIG_HOME") || (home ? join(home, ".config") : undefined);
  return [
    { path: "/etc/berth/berth.conf", required: false },
    ...(xdg ? [{ path: join(xdg, "berth", "berth.conf"), required: false }] : []),
  ];
}

/**
 * Parse and check the text of a configuration file. The TOML parser is loaded here, only when
 * there is a file: most runs have none and pay nothing for it.
 *
 * @throws {ConfigError} on malformed TOML (`PATH:LINE: invalid TOML: …`) or what
 * {@linkcode checkConfig} refuses
 */
export async function parseConfigText(text: string, path: string): Promise<BerthConfig> {
  // Inline, not through deno.json's imports: berth also runs as `deno run --no-config` (the
  // cleanup process, the tests), where no import map is read.
  // deno-lint-ignore no-import-prefix
  const { parse, TomlError } = await import("npm:smol-toml@1.9.1");
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      const what = err.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
      throw new ConfigError(`${path}:${err.line}: invalid TOML: ${what}`);
    }
    throw err;
  }
  return checkConfig(doc, text, path);
}

/** The configuration in force, and the files it was read from (for `berth info`). */
export interface LoadedConfig {
  config: BerthConfig;
  files: string[];
}

/**
 * Read every configuration file that applies.
 *
 * @throws {ConfigError} when `$BERTH_CONFIG` names a missing file, or a file cannot be read or
 * is malformed
 */
export async function loadConfig(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): Promise<LoadedConfig> {
  let config: BerthConfig = {};
  const files: string[] = [];
  for (const { path, required } of configCandidates(env)) {
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound && !required) continue;
      const why = err instanceof Deno.errors.NotFound
        ? "no such file"
        : err instanceof Error
        ? err.message
        : String(err);
      throw new ConfigError(`cannot read configuration file ${path}: ${why}`);
    }
    config = mergeConfig(config, await parseConfigText(text, path));
    files.push(path);
  }
  return { config, files };
}
