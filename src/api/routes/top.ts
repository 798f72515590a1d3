/**
 * `GET /containers/{id}/top`: the container's processes (its first process and every
 * descendant, read from `/proc` by the engine), in the shape `docker top` prints.
 *
 * @module
 */
import { processTree, readProc } from "../../engine/proc.ts";

/** Docker's top body: column titles and one row of strings per process. */
export interface TopBody {
  Titles: string[];
  Processes: string[][];
}

/** The processes under the host PID `root` (included), as Docker's top body. */
export function processTable(root: number): TopBody {
  const rows: string[][] = [];
  for (const pid of processTree(root)) {
    const p = readProc(pid);
    if (p) rows.push([String(p.pid), String(p.ppid), p.argv.filter(Boolean).join(" ")]);
  }
  return { Titles: ["PID", "PPID", "CMD"], Processes: rows };
}
