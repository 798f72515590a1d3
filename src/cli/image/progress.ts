/**
 * Pull progress on a terminal: one line per blob, rewritten in place with bytes done.
 * Silent when stderr is not a terminal.
 *
 * @module
 */
import type { PullEvent } from "../../image/pull.ts";

const enc = new TextEncoder();

/** Human-readable bytes (`1.5MB`). */
export function humanSize(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)}${units[i]}`;
}

/**
 * A pull event handler writing progress to stderr: nothing when `quiet`; containers/image's
 * copy report (`docker-archive:`) always, as podman prints it; the rest only on a terminal.
 */
export function pullProgress(tty: boolean, quiet = false): (e: PullEvent) => void {
  if (quiet) return () => {};
  let lastDraw = 0;
  let current = "";
  const write = (s: string) => Deno.stderr.writeSync(enc.encode(s));
  return (e) => {
    if (e.kind === "report") write(`${e.line}\n`);
    else if (!tty) return;
    else if (e.kind === "resolved") write(`Resolved ${e.ref} to ${e.digest}\n`);
    else if (e.kind === "blob") {
      const short = e.digest.slice(7, 19);
      if (e.skipped) {
        if (current) write("\n");
        current = "";
        write(`Blob ${short} already present\n`);
        return;
      }
      const now = performance.now();
      const finished = e.done >= e.size;
      if (!finished && current === short && now - lastDraw < 100) return;
      lastDraw = now;
      if (current && current !== short) write("\n");
      current = short;
      write(`\rCopying blob ${short} ${humanSize(e.done)} / ${humanSize(e.size)}`);
      if (finished) {
        write(" done\n");
        current = "";
      }
    } else if (e.phase === "done") write(`Extracted layer ${e.diffId.slice(7, 19)}\n`);
  };
}
