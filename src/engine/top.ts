/**
 * top: a running container's processes (its first process and every descendant) as a table of
 * podman's format descriptors, read from the host's `/proc` alone. Nothing from the container
 * is ever executed (podman's CVE-2022-1227 ran the image's `nsenter`); its `/etc/passwd` and
 * `/etc/group` are read through `/proc/<pid>/root` with every symlink resolved inside it.
 *
 * @module
 */
import { NoSuchContainerError, StateError } from "../errors.ts";
import type { Engine } from "./context.ts";
import { syncAndCheck } from "./monitor_check.ts";
import { findContainer } from "./lookup.ts";
import { isUp } from "./states.ts";
import { processTree, type ProcInfo, readProc } from "./proc.ts";
import { parseDescriptors, type TopContext } from "./top_descriptors.ts";
import { closeHandle, openInView, type RootView } from "./root_path.ts";

/** A table: column titles and one row of cells per process. */
export interface TopTable {
  titles: string[];
  rows: string[][];
}

/** The content of a regular file at `path` inside `view`, "" if there is none. */
function readInView(view: RootView, path: string): string {
  let opened;
  try {
    opened = openInView(view, path);
  } catch {
    return "";
  }
  try {
    if (!opened.handle?.stat.isFile) return "";
    // Reopening the O_PATH fd reads the inode the walk found, never a path again.
    return Deno.readTextFileSync(`/proc/self/fd/${opened.handle.fd}`);
  } catch {
    return "";
  } finally {
    closeHandle(opened.handle);
  }
}

/** `name:x:id:…` lines as id → name (the first entry of an id wins, as getpwuid's). */
export function namesById(file: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const line of file.split("\n")) {
    const f = line.split(":");
    if (f.length < 3 || !/^\d+$/.test(f[2])) continue;
    if (!m.has(Number(f[2]))) m.set(Number(f[2]), f[0]);
  }
  return m;
}

/** An id mapped through `/proc/<pid>/{uid,gid}_map` to the host's (the id when unmapped). */
export function mapToHost(mapFile: string, id: number): number {
  for (const line of mapFile.split("\n")) {
    const [inside, outside, count] = line.trim().split(/\s+/).map(Number);
    if (count && id >= inside && id < inside + count) return outside + id - inside;
  }
  return id;
}

function readOr(path: string, fallback = ""): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return fallback;
  }
}

/** The context every row of a table under the container process `root` shares. */
function topContext(root: number, procs: ProcInfo[]): TopContext {
  const view: RootView = { root: `/proc/${root}/root`, rootReadOnly: true, mounts: [] };
  const users = namesById(readInView(view, "/etc/passwd"));
  const groups = namesById(readInView(view, "/etc/group"));
  const hostUsers = namesById(readOr("/etc/passwd"));
  const hostGroups = namesById(readOr("/etc/group"));
  const maps = new Map<string, string>();
  const map = (pid: number, kind: "uid" | "gid") => {
    const key = `${pid}/${kind}`;
    if (!maps.has(key)) maps.set(key, readOr(`/proc/${pid}/${kind}_map`));
    return maps.get(key)!;
  };
  const btime = /^btime (\d+)$/m.exec(readOr("/proc/stat"))?.[1];
  const selinux = readOr("/sys/fs/selinux/enforce") !== "";
  return {
    // To the microsecond, as podman's nanoseconds look.
    now: performance.timeOrigin + performance.now(),
    bootMs: Number(btime ?? 0) * 1000,
    nsPids: new Map(procs.map((p) => [p.pid, p.nsPid])),
    user: (uid) => users.get(uid) ?? String(uid),
    group: (gid) => groups.get(gid) ?? String(gid),
    hostUser: (p, uid) => {
      const h = mapToHost(map(p.pid, "uid"), uid);
      return hostUsers.get(h) ?? String(h);
    },
    hostGroup: (p, gid) => {
      const h = mapToHost(map(p.pid, "gid"), gid);
      return hostGroups.get(h) ?? String(h);
    },
    label: (p) =>
      selinux ? readOr(`/proc/${p.pid}/attr/current`).replace(/\0|\n/g, "") || "?" : "?",
    lastCap: Number(readOr("/proc/sys/kernel/cap_last_cap", "40").trim()),
  };
}

/** The processes under the host PID `root` (included), one row each, for `descriptors`. */
export function processTable(root: number, descriptors: string[]): TopTable {
  const columns = parseDescriptors(descriptors);
  const procs = processTree(root).map(readProc).filter((p): p is ProcInfo => p !== undefined);
  const ctx = topContext(root, procs);
  return {
    titles: columns.map((c) => c.title),
    rows: procs.map((p) => columns.map((c) => c.value(p, ctx))),
  };
}

/**
 * The process table of the running container `nameOrId`.
 *
 * @throws {NoSuchContainerError} / {StateError} when it is not running (checked first, as
 * podman does) / {UsageError} for an unknown descriptor
 */
export function topContainer(engine: Engine, nameOrId: string, descriptors: string[]): TopTable {
  const found = findContainer(engine, nameOrId);
  const row = syncAndCheck(engine, found.id);
  if (!row) throw new NoSuchContainerError(nameOrId);
  if (!isUp(row.state) || !row.pid) {
    throw new StateError("top can only be used on running containers");
  }
  return processTable(row.pid, descriptors);
}
