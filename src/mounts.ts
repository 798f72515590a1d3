/**
 * The mount table of this process's mount namespace: which paths are mount points.
 *
 * @module
 */

/** True if `path` is a mount point in this mount namespace. */
export function isMountPoint(path: string): boolean {
  try {
    return parseMountPoints(Deno.readTextFileSync("/proc/self/mountinfo")).has(path);
  } catch {
    return false;
  }
}

/** The mount points listed in a `/proc/self/mountinfo` text (octal escapes decoded). */
export function parseMountPoints(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split("\n")) {
    const field = line.split(" ")[4];
    if (field) {
      out.add(field.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8))));
    }
  }
  return out;
}
