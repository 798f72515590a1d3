/**
 * `.containerignore` / `.dockerignore` (pure): patterns as Docker reads them (comments,
 * blank lines, leading `/` and `./` dropped, paths cleaned, `!` for an exception, `**` for
 * any number of directories) and the question whether a context path is excluded: the last
 * pattern that matches the path or one of its parent directories decides.
 *
 * @module
 */

/** One compiled pattern. */
export interface IgnoreRule {
  pattern: string;
  /** `!pattern`: an exception that includes again. */
  negate: boolean;
  regex: RegExp;
}

function clean(p: string): string {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

/** A Go `filepath.Match` pattern (with Docker's `**`) as an anchored regex. */
function toRegex(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") {
          i++;
          re += "(?:.*/)?";
        } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end === -1) re += "\\[";
      else {
        let cls = pattern.slice(i + 1, end);
        if (cls.startsWith("^") || cls.startsWith("!")) cls = "^" + cls.slice(1);
        re += `[${cls.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "\\" && i + 1 < pattern.length) {
      re += "\\" + pattern[++i];
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/**
 * Parse an ignore file's text into rules.
 *
 * @example
 * ```ts
 * const rules = parseIgnore("*.log\n!keep.log\n");
 * isExcluded(rules, "a.log"); // true
 * isExcluded(rules, "keep.log"); // false
 * ```
 */
export function parseIgnore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    if (negate) line = line.slice(1).trim();
    const pattern = clean(line);
    if (pattern === "") continue;
    rules.push({ pattern, negate, regex: toRegex(pattern) });
  }
  return rules;
}

/**
 * Whether `path` (relative to the context, `/`-separated) is excluded by `rules`: a pattern
 * matches the path itself or any parent directory of it (`dir` excludes everything below).
 */
export function isExcluded(rules: readonly IgnoreRule[], path: string): boolean {
  const p = clean(path);
  if (p === "") return false;
  const prefixes: string[] = [];
  const parts = p.split("/");
  for (let i = 1; i <= parts.length; i++) prefixes.push(parts.slice(0, i).join("/"));
  let excluded = false;
  for (const r of rules) {
    if (excluded === !r.negate) continue; // cannot change the answer
    if (prefixes.some((x) => r.regex.test(x))) excluded = !r.negate;
  }
  return excluded;
}

/** Whether a context path matches a `/`-separated glob (COPY sources; no `**`). */
export function globMatch(pattern: string, path: string): boolean {
  return toRegex(clean(pattern)).test(clean(path));
}

/** Whether a COPY source contains glob characters. */
export function hasGlob(s: string): boolean {
  return /[*?[]/.test(s);
}
