/**
 * "Did you mean …?" for mistyped commands and flags, close to cobra's rule (which podman's CLI
 * uses): a candidate is suggested when it starts with what was typed or is within two edits of
 * it; berth offers only the nearest of the latter, so a typo gets one answer, not a list.
 *
 * @module
 */

/** cobra's `SuggestionsMinimumDistance`. */
const MAX_DISTANCE = 2;

/**
 * The edit distance between `a` and `b`, case-insensitively: insertions, deletions,
 * substitutions, and swaps of two neighbouring letters (the commonest typo, `rnu` for `run`),
 * each one edit.
 *
 * @example
 * ```ts
 * editDistance("rnu", "run"); // 1
 * editDistance("rmm", "rm"); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= t.length; j++) d[0][j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[s.length][t.length];
}

/**
 * The candidates worth suggesting for `typed`: those that start with it, or else the nearest
 * ones within two edits (all of them when several are equally near), in the
 * candidates' order.
 *
 * @example
 * ```ts
 * suggestions("rmm", ["rm", "rmi", "run"]); // ["rm", "rmi"]
 * suggestions("rnu", ["rm", "rmi", "run"]); // ["run"]
 * ```
 */
export function suggestions(typed: string, candidates: Iterable<string>): string[] {
  if (typed === "") return [];
  const names = [...new Set(candidates)].filter((name) => name !== typed);
  const prefixed = names.filter((name) => name.toLowerCase().startsWith(typed.toLowerCase()));
  if (prefixed.length > 0) return prefixed;
  const scored = names.map((name) => ({ name, distance: editDistance(typed, name) }))
    .filter((s) => s.distance <= MAX_DISTANCE);
  const nearest = Math.min(...scored.map((s) => s.distance));
  return scored.filter((s) => s.distance === nearest).map((s) => s.name);
}

/**
 * The tail of a one-line error: ` (did you mean X?)`, ` (did you mean X or Y?)`, or `""`.
 * At most three names are offered.
 *
 * @param render how a name is shown (e.g. with `--` in front of a flag)
 */
export function didYouMean(
  typed: string,
  candidates: Iterable<string>,
  render: (name: string) => string = (name) => name,
): string {
  const names = suggestions(typed, candidates).slice(0, 3).map(render);
  if (names.length === 0) return "";
  const list = names.length === 1
    ? names[0]
    : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
  return ` (did you mean ${list}?)`;
}
