/**
 * `berth.conf`: defaults a machine or a user sets once instead of passing flags on every call.
 * The file is TOML, the format of podman's `containers.conf`, so a podman user reads it at a
 * glance and can comment it. Flags win over the file; the file wins over built-in defaults.
 *
 * ```toml
 * [engine]
 * runtime = "crun"            # runc, crun, or a path
 * conmon = "/usr/bin/conmon"
 * root = "/var/lib/berth"     # absolute paths: the cleanup process must find the same store
 * runroot = "/run/berth"
 * log_level = "info"
 *
 * [registries]
 * insecure = ["localhost:5000"]  # reached over plain HTTP / without verifying TLS
 * ```
 *
 * This module checks a parsed document and holds no parser: the engine can ask it questions
 * (`isInsecureRegistry`) without loading TOML; `config_files.ts` parses.
 *
 * @module
 */
import { ConfigError } from "./errors.ts";

/** What a configuration file may set; absent keys keep berth's built-in defaults. */
export interface BerthConfig {
  runtime?: string;
  conmon?: string;
  root?: string;
  runroot?: string;
  logLevel?: string;
  insecureRegistries?: string[];
}

type Kind = "string" | "path" | "strings";

/** Every key the file knows, by table, with its kind and the field it fills. */
const KEYS: Record<string, Record<string, [Kind, keyof BerthConfig]>> = {
  engine: {
    runtime: ["string", "runtime"],
    conmon: ["path", "conmon"],
    root: ["path", "root"],
    runroot: ["path", "runroot"],
    log_level: ["string", "logLevel"],
  },
  registries: {
    insecure: ["strings", "insecureRegistries"],
  },
};

/** The line (1-based) where `key` is first assigned in `text`, for an error message. */
function lineOf(text: string, key: string): number | undefined {
  const re = new RegExp(`^\\s*("?)${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\1\\s*=`);
  const index = text.split("\n").findIndex((line) => re.test(line));
  return index === -1 ? undefined : index + 1;
}

/**
 * Check a parsed configuration document and turn it into settings.
 *
 * @param doc what the TOML parser made of `text`
 * @param text the file's text, to find the line an error is on
 * @param path named in every error
 * @throws {ConfigError} on an unknown table or key, or a value of the wrong kind (one line:
 * `PATH:LINE: what is wrong`)
 *
 * @example
 * ```ts
 * checkConfig({ engine: { runtime: "crun" } }, '[engine]\nruntime = "crun"\n', "/etc/berth/berth.conf");
 * // { runtime: "crun" }
 * ```
 */
export function checkConfig(doc: Record<string, unknown>, text: string, path: string): BerthConfig {
  const config: BerthConfig = {};
  const fail = (key: string, message: string): never => {
    const line = lineOf(text, key);
    throw new ConfigError(`${path}${line ? `:${line}` : ""}: ${message}`);
  };
  for (const [table, body] of Object.entries(doc)) {
    const keys = KEYS[table];
    if (!keys || typeof body !== "object" || body === null || Array.isArray(body)) {
      const line = text.split("\n").findIndex((l) => l.trim() === `[${table}]`) + 1;
      const known = Object.keys(KEYS).map((t) => `[${t}]`).join(", ");
      throw new ConfigError(
        `${path}${line ? `:${line}` : ""}: unknown table "${table}" (berth reads ${known})`,
      );
    }
    for (const [key, value] of Object.entries(body)) {
      const spec = keys[key];
      if (!spec) {
        fail(key, `unknown key "${table}.${key}" (known: ${Object.keys(keys).join(", ")})`);
      }
      const [kind, field] = spec;
      if (kind === "strings") {
        if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
          fail(key, `"${table}.${key}" must be a list of strings`);
        }
        (config[field] as string[]) = [...(value as string[])];
        continue;
      }
      if (typeof value !== "string" || value === "") {
        fail(key, `"${table}.${key}" must be a non-empty string`);
      }
      if (kind === "path" && !(value as string).startsWith("/")) {
        fail(key, `"${table}.${key}" must be an absolute path, not "${value}"`);
      }
      (config[field] as string) = value as string;
    }
  }
  return config;
}

/**
 * Whether `registry` (a host, with its port if any) is reached without verified TLS because
 * the configuration lists it under `[registries] insecure`.
 */
export function isInsecureRegistry(config: BerthConfig | undefined, registry: string): boolean {
  return config?.insecureRegistries?.includes(registry) ?? false;
}

/** `later`'s keys over `earlier`'s: a user's file refines the machine's. */
export function mergeConfig(earlier: BerthConfig, later: BerthConfig): BerthConfig {
  return { ...earlier, ...later };
}
