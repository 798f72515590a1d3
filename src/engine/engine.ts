/**
 * The engine context's types: the global options and the `Engine` every operation receives
 * (opened by `context.ts`, which operations need not import).
 *
 * @module
 */
import type { Store } from "../store/db.ts";
import type { Layout } from "./paths.ts";
import type { EngineEvents } from "./events.ts";

/** Options given before the command, and the raw tokens to pass to the cleanup process. */
export interface GlobalOptions {
  root: string;
  runroot: string;
  runtime: string;
  conmon?: string;
  logLevel: string;
  /** The global flags exactly as given on the command line (relative paths unchanged). */
  rawArgs: string[];
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
