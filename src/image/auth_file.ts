/**
 * Registry credentials stored like docker's `config.json` (`{"auths": {"host": {"auth":
 * base64("user:pass")}}}`), mode 0600, at `$REGISTRY_AUTH_FILE` or `<root>/auth.json`.
 *
 * @module
 */
import { join } from "../path.ts";
import { UsageError } from "../errors.ts";
import { removeIfPresent } from "../fs.ts";

/** A user name and password. */
export interface Credentials {
  username: string;
  password: string;
}

interface AuthFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string }>;
  [k: string]: unknown;
}

/** The credentials file to use for store `root`. */
export function authFilePath(root: string): string {
  return Deno.env.get("REGISTRY_AUTH_FILE") || join(root, "auth.json");
}

/**
 * Parse `--creds user:pass` (the password may contain colons).
 *
 * @throws {UsageError} without a colon or user name
 */
export function parseCreds(text: string): Credentials {
  const i = text.indexOf(":");
  if (i <= 0) {
    throw new UsageError(`invalid --creds "${text.replace(/:.*/, ":***")}": want USER:PASSWORD`);
  }
  return { username: text.slice(0, i), password: text.slice(i + 1) };
}

function keysFor(registry: string): string[] {
  return registry === "docker.io"
    ? ["docker.io", "index.docker.io", "https://index.docker.io/v1/", "registry-1.docker.io"]
    : [registry, `https://${registry}`, `http://${registry}`];
}

function read(path: string): AuthFile {
  try {
    const v = JSON.parse(Deno.readTextFileSync(path));
    return typeof v === "object" && v ? v : {};
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return {};
    throw new UsageError(`credentials file ${path} is not valid JSON`);
  }
}

/**
 * Replace `path` with `data` through a temporary file beside it. The temporary file is
 * created with `O_CREAT|O_EXCL` (never following a symlink, never reusing a file someone
 * else made); whatever a crashed run or anyone else left at its name is unlinked first (which
 * never follows a link either), then the new file is created mode 0600 and renamed over.
 *
 * @throws {UsageError} when the file cannot be written
 */
function write(path: string, data: AuthFile): void {
  const tmp = `${path}.tmp-${Deno.pid}`;
  const bytes = new TextEncoder().encode(JSON.stringify(data, null, "\t") + "\n");
  try {
    let f: Deno.FsFile;
    try {
      f = Deno.openSync(tmp, { write: true, createNew: true, mode: 0o600 });
    } catch (err) {
      if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
      Deno.removeSync(tmp);
      f = Deno.openSync(tmp, { write: true, createNew: true, mode: 0o600 });
    }
    try {
      let off = 0;
      while (off < bytes.length) off += f.writeSync(bytes.subarray(off));
      f.syncSync();
    } finally {
      f.close();
    }
    Deno.renameSync(tmp, path);
  } catch (err) {
    removeIfPresent(tmp);
    throw new UsageError(
      `cannot write credentials file ${path}: ${err instanceof Error ? err.message : err}`,
    );
  }
}

/** The stored credentials for `registry`, if any. */
export function getCreds(path: string, registry: string): Credentials | undefined {
  const auths = read(path).auths ?? {};
  for (const k of keysFor(registry)) {
    const e = auths[k];
    if (!e) continue;
    if (e.auth) {
      const plain = new TextDecoder().decode(Uint8Array.from(atob(e.auth), (c) => c.charCodeAt(0)));
      const i = plain.indexOf(":");
      if (i > 0) return { username: plain.slice(0, i), password: plain.slice(i + 1) };
    }
    if (e.username && e.password) return { username: e.username, password: e.password };
  }
  return undefined;
}

function b64(s: string): string {
  let bin = "";
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Store credentials for `registry` (other entries and keys are kept). */
export function setCreds(path: string, registry: string, c: Credentials): void {
  const data = read(path);
  data.auths = { ...(data.auths ?? {}), [registry]: { auth: b64(`${c.username}:${c.password}`) } };
  write(path, data);
}

/** Remove the credentials of `registry` (or all with `undefined`); true if any existed. */
export function removeCreds(path: string, registry: string | undefined): boolean {
  const data = read(path);
  const auths = data.auths ?? {};
  const keys = registry === undefined ? Object.keys(auths) : keysFor(registry);
  let removed = false;
  for (const k of keys) {
    if (k in auths) {
      delete auths[k];
      removed = true;
    }
  }
  if (removed) write(path, { ...data, auths });
  return removed;
}
