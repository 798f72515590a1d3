/**
 * `berth cp [-a|--archive=BOOL] [--overwrite] CONTAINER:SRC DEST|-` and
 * `berth cp SRC|- CONTAINER:DEST`: copy files out of or into a container, running or not, as
 * `podman cp` does (`-` streams a tar archive through stdout or stdin).
 *
 * @module
 */
import type { Command } from "./command.ts";
import { writeAll } from "./command.ts";
import { bool } from "./args.ts";
import { UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import { findContainer } from "../engine/lookup.ts";
import { copyFromContainer, copyToContainer } from "../engine/copy.ts";

/** One argument of `cp`: a container's path, a host path, or `-`. */
export type CpArg =
  | { kind: "container"; container: string; path: string }
  | { kind: "host"; path: string }
  | { kind: "stream" };

/**
 * Read one argument as podman does: `-` is a stream, an absolute path (or one starting with
 * `.`) is the host's, `NAME:PATH` is a container's, anything else a relative host path.
 *
 * @example
 * ```ts
 * parseCpArg("ctr:/etc/passwd"); // { kind: "container", container: "ctr", path: "/etc/passwd" }
 * parseCpArg("./a:b"); // { kind: "host", path: "./a:b" }
 * ```
 */
export function parseCpArg(arg: string): CpArg {
  if (arg === "-") return { kind: "stream" };
  const colon = arg.indexOf(":");
  if (arg.startsWith("/") || arg.startsWith(".") || colon <= 0) return { kind: "host", path: arg };
  return { kind: "container", container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

/** `cp` */
export const cpCommand: Command = {
  flags: {
    archive: {
      type: "boolean",
      short: "a",
      default: true,
      help:
        "Keep the files' ownership and permissions (berth copies as root and keeps them either way)",
    },
    overwrite: {
      type: "boolean",
      help: "Replace a directory by a file or a file by a directory at the destination",
    },
  },
  async run(global, p) {
    if (p.positionals.length !== 2) {
      throw new UsageError(
        `cp requires exactly 2 arguments (SRC_PATH and DEST_PATH), got ${p.positionals.length}`,
      );
    }
    const [srcArg, destArg] = p.positionals;
    const src = parseCpArg(srcArg);
    const dest = parseCpArg(destArg);
    if (src.kind === "container" && dest.kind === "container") {
      throw new UsageError("copying between containers is not supported");
    }
    if (src.kind !== "container" && dest.kind !== "container") {
      throw new UsageError(
        `invalid arguments "${srcArg}", "${destArg}": one of them must name a container (CONTAINER:PATH)`,
      );
    }
    // --archive: ownership is kept either way (berth copies as root).
    const opts = { overwrite: bool(p, "overwrite") };
    const engine = await openEngine(global);
    if (src.kind === "container") {
      const row = findContainer(engine, src.container);
      await copyFromContainer(
        engine,
        row.id,
        src.container,
        src.path,
        dest.kind === "stream" ? "-" : (dest as { path: string }).path,
        opts,
        (data) => writeAll(Deno.stdout, data),
      );
      return 0;
    }
    const target = dest as { kind: "container"; container: string; path: string };
    const row = findContainer(engine, target.container);
    await copyToContainer(
      engine,
      row.id,
      target.container,
      src.kind === "stream" ? "-" : src.path,
      target.path,
      opts,
      Deno.stdin.readable,
    );
    return 0;
  },
};
