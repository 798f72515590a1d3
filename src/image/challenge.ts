import { RegistryError } from "../errors.ts";
/**
 * Parsing `WWW-Authenticate` challenges, and which token realms to trust (pure).
 *
 * @module
 */

/** One challenge: scheme (lowercased) and its parameters. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parse a `WWW-Authenticate` header value, e.g.
 * `Bearer realm="https://auth/token",service="reg",scope="repository:x:pull"`.
 */
export function parseChallenges(header: string): Challenge[] {
  const out: Challenge[] = [];
  const re = /\s*([A-Za-z][\w-]*)(?:\s+|$)|\s*([\w-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?/gy;
  let current: Challenge | undefined;
  let m: RegExpExecArray | null;
  let last = -1;
  while (re.lastIndex < header.length && re.lastIndex !== last) {
    last = re.lastIndex;
    m = re.exec(header);
    if (!m) break;
    if (m[1] && !m[2]) {
      current = { scheme: m[1].toLowerCase(), params: {} };
      out.push(current);
    } else if (m[2] && current) {
      const v = m[3].startsWith('"') ? m[3].slice(1, -1).replace(/\\(.)/g, "$1") : m[3];
      current.params[m[2].toLowerCase()] = v;
    }
  }
  return out;
}

/**
 * Decide whether berth may ask `realm` (a Bearer challenge's token endpoint) for a token
 * for the registry reached at `registryBase`, and return it as a URL. Only `https:` realms
 * are accepted, plus `http:` ones on the registry's own host when the user allowed plain
 * HTTP with `--tls-verify=false`: a registry must not make berth read local files
 * (`file:`), fetch other schemes, or send credentials in clear text to another host.
 *
 * @throws {RegistryError} when the realm is refused
 */
export function checkRealm(realm: string, registryBase: string, tlsVerify: boolean): URL {
  const shown = JSON.stringify(realm.length > 200 ? realm.slice(0, 200) + "…" : realm);
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new RegistryError(`token realm ${shown} is not a URL`);
  }
  if (url.protocol === "https:") return url;
  const host = new URL(registryBase).hostname;
  if (url.protocol === "http:") {
    if (!tlsVerify && url.hostname === host) return url;
    throw new RegistryError(
      `refusing token realm ${shown}: plain http is accepted only on the registry's own host` +
        ` (${host}) with --tls-verify=false`,
    );
  }
  throw new RegistryError(`refusing token realm ${shown}: only https: realms are accepted`);
}
