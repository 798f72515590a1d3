/**
 * `GET`, `HEAD` and `PUT /containers/{id}/archive?path=…`: what `docker cp` sends. GET answers
 * a tar of the path with its stat in `X-Docker-Container-Path-Stat`; HEAD the stat alone; PUT
 * extracts a tar body into the directory `path`. Both directions go through the engine's
 * fd-based copying (engine/copy.ts): nothing is ever opened by a host path built from a
 * container path.
 *
 * @module
 */
import type { Route, StreamWriter } from "../router.ts";
import { findContainer } from "../../engine/lookup.ts";
import { archiveFromContainer, copyToContainer, type PathStat } from "../../engine/copy.ts";
import { UsageError } from "../../errors.ts";
import { queryBool } from "./query.ts";

const S_IFMT = 0o170000;
/** Go's `os.FileMode` bits for the `st_mode` file types (what the docker CLI decodes). */
const GO_TYPE: Record<number, number> = {
  0o040000: 2 ** 31, // dir
  0o120000: 1 << 27, // symlink
  0o010000: 1 << 25, // named pipe
  0o140000: 1 << 24, // socket
  0o020000: (1 << 26) | (1 << 21), // char device
  0o060000: 1 << 26, // block device
};

/** `st_mode` as Go's `os.FileMode` (type bits high, setuid/setgid/sticky moved), pure. */
export function goFileMode(mode: number): number {
  let m = (mode & 0o777) + (GO_TYPE[mode & S_IFMT] ?? 0);
  if (mode & 0o4000) m += 1 << 23;
  if (mode & 0o2000) m += 1 << 22;
  if (mode & 0o1000) m += 1 << 20;
  return m;
}

/** The `X-Docker-Container-Path-Stat` value: base64 of Docker's ContainerPathStat JSON. */
export function pathStatHeader(s: PathStat): string {
  const json = JSON.stringify({
    name: s.name,
    size: s.size,
    mode: goFileMode(s.mode),
    mtime: new Date(s.mtime * 1000).toISOString(),
    linkTarget: "",
  });
  return btoa(String.fromCharCode(...new TextEncoder().encode(json)));
}

function pathParam(q: URLSearchParams): string {
  const path = q.get("path");
  if (!path) throw new UsageError("path is required");
  return path;
}

/** The routes of this file. */
export const routes: Route[] = [
  {
    method: "GET",
    pattern: "/containers/{id}/archive",
    handler: async (req, res, engine) => {
      const path = pathParam(req.query);
      const row = findContainer(engine, req.params.id);
      let body: StreamWriter | undefined;
      try {
        await archiveFromContainer(engine, row.id, req.params.id, path, async (stat) => {
          const headers = {
            "X-Docker-Container-Path-Stat": pathStatHeader(stat),
            "Content-Type": "application/x-tar",
          };
          if (req.method === "HEAD") {
            await res.empty(200, headers);
            return undefined;
          }
          const w = body = await res.stream(200, headers);
          return async (data) => await w.write(data);
        });
      } catch (err) {
        if (!body) throw err;
        // The 200 is out: a body without its last chunk tells the client it broke.
        return;
      }
      await body?.close();
    },
  },
  {
    method: "PUT",
    pattern: "/containers/{id}/archive",
    handler: async (req, res, engine) => {
      const path = pathParam(req.query);
      const row = findContainer(engine, req.params.id);
      await copyToContainer(engine, row.id, req.params.id, "-", path, {
        // The docker CLI always sends noOverwriteDirNonDir=true: never a directory for a file.
        overwrite: !queryBool(req.query, "noOverwriteDirNonDir"),
      }, req.body);
      await res.empty(200);
    },
  },
];
