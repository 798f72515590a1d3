/**
 * berth's global flags (before the command's name): what `main.ts` accepts and what
 * `berth --help` and the manual list.
 *
 * @module
 */
import type { FlagTable } from "./args.ts";

/** The global flags, by long name; the string ones take a value. */
export const GLOBAL_FLAGS: FlagTable = {
  root: {
    type: "string",
    help: "Persistent state: the database, images, bundles and logs (or berth.conf's root)",
    defaultText: '"/var/lib/berth"',
  },
  runroot: {
    type: "string",
    help: "Transient state: exit files, locks and the runtime's state (or berth.conf's runroot)",
    defaultText: '"/run/berth"',
  },
  runtime: {
    type: "string",
    help: "OCI runtime, a name on PATH or a path: runc or crun (or berth.conf's runtime)",
    defaultText: '"runc"',
  },
  "runtime-flag": {
    type: "string",
    multiple: true,
    value: "FLAG",
    help: "A global flag for the OCI runtime, without its dashes (debug → --debug); may repeat",
  },
  conmon: {
    type: "string",
    help: "Path of the conmon binary (default: berth.conf's conmon, else conmon on PATH)",
  },
  "log-level": {
    type: "string",
    help: "Log messages at this level and above: debug (or trace), info, warn (or warning), " +
      "error, fatal, panic (or berth.conf's log_level)",
    defaultText: '"warn"',
  },
  noout: {
    type: "boolean",
    help: "Discard the command's standard output (errors and exit statuses stay)",
  },
  help: { type: "boolean", short: "h", help: "Help for berth" },
  version: { type: "boolean", short: "v", help: "Print berth's version" },
};

/** The global flags that take a value. */
export const GLOBAL_VALUE_FLAGS: readonly string[] = Object.entries(GLOBAL_FLAGS)
  .filter(([, spec]) => spec.type === "string").map(([name]) => name);
