/**
 * The engine context's types: the global options and the `Engine` every operation receives
 * (opened by `context.ts`, which operations need not import).
 *
 * @module
 */
import type { Store } from "../store/db.ts";
import type { BerthConfig } from "../config.ts";
import type { Layout } from "./paths.ts";
import type { EngineEvents } from "./events.ts";

/** Options given before the command, and the raw tokens to pass to the cleanup process. */
export interface GlobalOptions {
  root: string;
  runroot: string;
  runtime: string;
  conmon?: string;
  logLevel: string;
  /**
   * The global flags exactly as given on the command line (relative paths unchanged), plus
   * those the configuration file supplied: what the cleanup process is started with.
   */
  rawArgs: string[];
  /** The configuration file's settings (front ends apply the container and registry ones). */
  config?: BerthConfig;
  /** The configuration files that were read, in order (for `berth info`). */
  configFiles?: string[];
  /** `--runtime-flag` values (without their `--`), passed to every runtime call. */
  runtimeFlags?: string[];
}

/** Everything an engine operation needs. */
export interface Engine {
  opts: GlobalOptions;
  paths: Layout;
  store: Store;
  /** Milliseconds since the epoch; injectable so time rules can be tested. */
  now: () => number;
  /** Where warnings and progress go: the sink the front end installed. */
  events: EngineEvents;
}
