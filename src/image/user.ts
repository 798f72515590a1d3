/**
 * Resolving an image's `User` (`name`, `uid`, `name:group`, `uid:gid`) to numbers, reading
 * `/etc/passwd` and `/etc/group` from the image's layers as overlay would show them.
 *
 * @module
 */
import { join } from "../path.ts";
import { UsageError } from "../errors.ts";
import { lgetxattr } from "../archive/libc.ts";

/** Numeric user and group. */
export interface UserIds {
  uid: number;
  gid: number;
}

/**
 * The content of `rel` (e.g. `etc/passwd`) in the merged view of `lowerDirs` (topmost
 * first), honouring whiteouts and opaque directories. Only regular files are read, so a
 * symlink in an image never makes berth read a host file. Undefined if absent.
 */
export function readFromLayers(lowerDirs: string[], rel: string): string | undefined {
  const parts = rel.split("/").filter((p) => p);
  for (const dir of lowerDirs) {
    let hidden = false;
    let opaqueAbove = false;
    let abs = dir;
    for (let i = 0; i < parts.length; i++) {
      abs = join(abs, parts[i]);
      let st: Deno.FileInfo;
      try {
        st = Deno.lstatSync(abs);
      } catch {
        abs = "";
        break;
      }
      if (st.isCharDevice && st.rdev === 0) {
        hidden = true; // whiteout: nothing below this layer
        break;
      }
      if (i < parts.length - 1) {
        if (!st.isDirectory) {
          abs = "";
          break;
        }
        if (lgetxattr(abs, "trusted.overlay.opaque")?.[0] === 0x79) opaqueAbove = true;
      }
    }
    if (hidden) return undefined;
    if (abs) {
      const st = Deno.lstatSync(abs);
      return st.isFile ? Deno.readTextFileSync(abs) : undefined;
    }
    if (opaqueAbove) return undefined;
  }
  return undefined;
}

function findEntry(file: string | undefined, key: string, byName: boolean): string[] | undefined {
  for (const line of (file ?? "").split("\n")) {
    const f = line.split(":");
    if (f.length < 3) continue;
    if (byName ? f[0] === key : f[2] === key) return f;
  }
  return undefined;
}

/**
 * Resolve `user` for a container whose root is `lowerDirs` (topmost first). An empty user is
 * root. A numeric uid without a group takes the primary group from `/etc/passwd` when the
 * uid is listed there, else 0.
 *
 * @throws {UsageError} when a name is not found in the image
 */
export function parseImageUser(user: string, lowerDirs: string[]): UserIds {
  return resolveUser(user, (rel) => readFromLayers(lowerDirs, rel));
}

/**
 * The pure part of {@linkcode parseImageUser}: `readFile("etc/passwd")` (or `etc/group`)
 * gives the root's file, undefined if absent; it is called only when a name or a primary
 * group has to be looked up.
 *
 * @throws {UsageError} when a name is not found
 */
export function resolveUser(
  user: string,
  readFile: (rel: string) => string | undefined,
): UserIds {
  if (user === "") return { uid: 0, gid: 0 };
  const colon = user.indexOf(":");
  const u = colon === -1 ? user : user.slice(0, colon);
  const g = colon === -1 ? undefined : user.slice(colon + 1);
  const numeric = (s: string) => /^\d+$/.test(s) && Number(s) <= 0xffffffff;
  let passwd: string | undefined;
  const loadPasswd = () => passwd ??= readFile("etc/passwd") ?? "";
  let uid: number;
  let gid = 0;
  if (numeric(u)) {
    uid = Number(u);
    if (g === undefined) {
      const e = findEntry(loadPasswd(), u, false);
      if (e && numeric(e[3] ?? "")) gid = Number(e[3]);
    }
  } else {
    const e = findEntry(loadPasswd(), u, true);
    if (!e || !numeric(e[2]) || !numeric(e[3] ?? "")) {
      throw new UsageError(`unable to find user ${u}: no matching entries in passwd file`);
    }
    uid = Number(e[2]);
    gid = Number(e[3]);
  }
  if (g !== undefined && g !== "") {
    if (numeric(g)) gid = Number(g);
    else {
      const e = findEntry(readFile("etc/group"), g, true);
      if (!e || !numeric(e[2])) {
        throw new UsageError(`unable to find group ${g}: no matching entries in group file`);
      }
      gid = Number(e[2]);
    }
  }
  return { uid, gid };
}
