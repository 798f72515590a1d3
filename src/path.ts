/**
 * POSIX path functions with node:path's results (berth runs on Linux only). Importing
 * node:path initialises Deno's Node compatibility layer, which with node:util cost every berth
 * process ~15 ms of CPU before any work (issue #13); these few functions are all berth uses.
 *
 * @module
 */

/**
 * Resolve `.` and `..` segments and repeated slashes; keeps a trailing slash, "." for empty.
 *
 * @example
 * ```ts
 * normalize("/a//b/../c/"); // "/a/c/"
 * ```
 */
export function normalize(path: string): string {
  if (path === "") return ".";
  const absolute = path.startsWith("/");
  const trailing = path.endsWith("/");
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
      continue;
    }
    out.push(seg);
  }
  let body = out.join("/");
  if (body === "") return absolute ? "/" : trailing ? "./" : ".";
  if (trailing) body += "/";
  return absolute ? `/${body}` : body;
}

/** Join the non-empty `parts` with `/` and normalise ("." when all are empty). */
export function join(...parts: string[]): string {
  const given = parts.filter((p) => p !== "");
  return given.length === 0 ? "." : normalize(given.join("/"));
}

/** True for a path starting at `/`. */
export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

/**
 * The absolute path `parts` lead to, right to left until one is absolute, from the working
 * directory otherwise; no trailing slash.
 */
export function resolve(...parts: string[]): string {
  let path = "";
  for (let i = parts.length - 1; i >= 0 && !isAbsolute(path); i--) {
    if (parts[i] === "") continue;
    path = path === "" ? parts[i] : `${parts[i]}/${path}`;
  }
  if (!isAbsolute(path)) path = path === "" ? Deno.cwd() : `${Deno.cwd()}/${path}`;
  const n = normalize(path);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}

/** `path` without its trailing slashes ("/" stays). */
function trimTrailing(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === "/") end--;
  return path.slice(0, end);
}

/** The directory part of `path` (`.` if none, `/` for the root), exactly as node:path's. */
export function dirname(path: string): string {
  if (path === "") return ".";
  const rooted = path.startsWith("/");
  let end = -1;
  let sawSegment = false;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] === "/") {
      if (sawSegment) {
        end = i;
        break;
      }
    } else sawSegment = true;
  }
  if (end === -1) return rooted ? "/" : ".";
  if (rooted && end === 1) return "//";
  return path.slice(0, end);
}

/** The last segment of `path`, trailing slashes ignored (`""` for the root). */
export function basename(path: string): string {
  const p = trimTrailing(path);
  if (p === "/") return "";
  return p.slice(p.lastIndexOf("/") + 1);
}
