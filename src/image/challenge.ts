/**
 * Parsing `WWW-Authenticate` challenges (pure).
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
