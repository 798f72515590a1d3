/**
 * A container's environment: `K=V` entries where a later entry of a name wins.
 *
 * @module
 */

/** Later entries override earlier ones with the same name; order of first appearance kept. */
export function mergeEnv(entries: string[]): string[] {
  const map = new Map<string, string>();
  for (const e of entries) {
    const eq = e.indexOf("=");
    map.set(eq === -1 ? e : e.slice(0, eq), e);
  }
  return [...map.values()];
}
