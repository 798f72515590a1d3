/**
 * `GET /containers/{id}/top`: the container's processes (its first process and every
 * descendant), read from `/proc`, in the shape `docker top` prints.
 *
 * @module
 */

/** Docker's top body: column titles and one row of strings per process. */
export interface TopBody {
  Titles: string[];
  Processes: string[][];
}

/** `pid`'s parent from `/proc/<pid>/stat`, or undefined when it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").filter(Boolean).join(" ");
  } catch {
    return "";
  }
}

/** The processes under `root` (included), as Docker's top body. */
export function processTable(root: number): TopBody {
  const children = new Map<number, number[]>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    const pid = Number(e.name);
    const ppid = parentOf(pid);
    if (ppid === undefined) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const rows: string[][] = [];
  const visit = (pid: number, ppid: number) => {
    rows.push([String(pid), String(ppid), cmdline(pid)]);
    for (const c of children.get(pid) ?? []) visit(c, pid);
  };
  if (root > 0) visit(root, parentOf(root) ?? 0);
  return { Titles: ["PID", "PPID", "CMD"], Processes: rows };
}
