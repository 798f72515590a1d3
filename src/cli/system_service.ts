/**
 * `berth system service [--time SECONDS] [URI]`: serve the Docker Engine API on a unix socket
 * (default `unix:///run/berth/berth.sock`) until SIGINT/SIGTERM, or until SECONDS pass with
 * no connection open (default 5, as podman; 0 serves forever).
 *
 * @module
 */
import type { Command } from "./command.ts";
import { parseNonNegativeInt, str } from "./args.ts";
import { UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { serve } from "../api/serve.ts";

/** The socket berth listens on when no URI is given. */
export const DEFAULT_URI = "unix:///run/berth/berth.sock";

/**
 * The socket path of a `unix://PATH` URI (a bare absolute path is taken as it is).
 *
 * @throws {UsageError} for any other scheme
 */
export function socketPath(uri: string): string {
  if (uri.startsWith("unix://")) {
    const path = uri.slice("unix://".length);
    if (path.startsWith("/")) return path;
  } else if (uri.startsWith("/")) return uri;
  throw new UsageError(`unsupported service URI "${uri}": use unix:///absolute/path`);
}

/** `system service` */
export const serviceCommand: Command = {
  flags: {
    time: {
      type: "string",
      short: "t",
      help: "Stop after this many seconds without a request or an open connection (0: never)",
      value: "uint",
      defaultText: "5",
    },
    timeout: { type: "string", help: "Same as --time", hidden: true },
  },
  async run(global, p) {
    if (p.positionals.length > 1) throw new UsageError("system service takes at most one URI");
    const t = str(p, "time") ?? str(p, "timeout");
    const idleSeconds = t === undefined ? 5 : parseNonNegativeInt(t, "--time");
    const path = socketPath(p.positionals[0] ?? DEFAULT_URI);
    const engine = await openEngine(global);
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    Deno.addSignalListener("SIGINT", onSignal);
    Deno.addSignalListener("SIGTERM", onSignal);
    try {
      await serve(engine, { path, idleSeconds, signal: stop.signal });
    } finally {
      Deno.removeSignalListener("SIGINT", onSignal);
      Deno.removeSignalListener("SIGTERM", onSignal);
    }
    // Open hijacked streams and waits belong to clients of this process: end with it.
    Deno.exit(0);
  },
};
