/**
 * `berth run`: create + start + attach (or print the ID with `-d`), exiting with the
 * container's own code.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { bool, list, type Parsed, parseNonNegativeInt, str } from "./args.ts";
import { isInheritedFd, MAX_PRESERVE_FDS } from "../monitor/conmon.ts";
import { RUN_FLAGS } from "./container_flags.ts";
import { UsageError } from "../errors.ts";
import { createFromRequest } from "./create.ts";
import { openEngine } from "../engine/context.ts";
import { attachUntilExit, type OutputStream, prepareAttach, startOrDiscard } from "./attach.ts";

/** `run [flags] (--rootfs DIR | IMAGE) [CMD…]` */
export const runCommand: Command = {
  flags: RUN_FLAGS,
  stopAtPositional: true,
  async run(global, p) {
    const streams = attachStreams(p); // checked before anything is created
    const start = { preserveFds: preserveFds(str(p, "preserve-fds")) };
    const engine = await openEngine(global);
    const row = await createFromRequest(engine, global, p);
    if (bool(p, "detach")) {
      await startOrDiscard(engine, row, undefined, start);
      await out(`${row.id}\n`);
      return 0;
    }
    const output = streams &&
      new Set([...streams].filter((s): s is OutputStream => s !== "stdin"));
    const attachment = prepareAttach(engine, row, output);
    const feedInput = row.spec.interactive === true && (!streams || streams.has("stdin"));
    await startOrDiscard(engine, row, attachment, start, feedInput);
    // As podman: with neither output attached, the ID says which container is running.
    if (output && output.size === 0) await out(`${row.id}\n`);
    return await attachUntilExit(engine, row, attachment, feedInput);
  },
};

const STREAMS = ["stdin", "stdout", "stderr"] as const;

/**
 * `-a/--attach STREAM` (repeatable): the streams a foreground run relays; all when absent.
 *
 * @throws {UsageError} for another name, or with `--detach`
 */
export function attachStreams(p: Parsed): Set<typeof STREAMS[number]> | undefined {
  const given = list(p, "attach");
  if (given.length === 0) return undefined;
  if (bool(p, "detach")) throw new UsageError("--attach and --detach cannot be used together");
  const streams = new Set<typeof STREAMS[number]>();
  for (const g of given) {
    const name = g.toLowerCase() as typeof STREAMS[number];
    if (!STREAMS.includes(name)) {
      throw new UsageError(
        `invalid stream "${g}" for --attach - must be one of stdin, stdout, or stderr: invalid argument`,
      );
    }
    streams.add(name);
  }
  return streams;
}

/**
 * `--preserve-fds N`: fds 3 … 2+N, which this process must have inherited (podman's check and
 * message), before anything is created.
 *
 * @throws {UsageError} for a bad number, more than berth can place, or an fd not passed in
 */
function preserveFds(text: string | undefined): number {
  const n = text === undefined ? 0 : parseNonNegativeInt(text, "--preserve-fds");
  if (n > MAX_PRESERVE_FDS) {
    throw new UsageError(`--preserve-fds: berth passes at most ${MAX_PRESERVE_FDS} fds, not ${n}`);
  }
  for (let fd = 3; fd < 3 + n; fd++) {
    if (!isInheritedFd(fd)) {
      throw new UsageError(
        `file descriptor ${fd} is not available - the preserve-fds option requires that file descriptors must be passed`,
      );
    }
  }
  return n;
}
