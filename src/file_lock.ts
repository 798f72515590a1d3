/**
 * Cross-process locks on files: `flock` through `Deno.FsFile.lock`, released by the kernel
 * when the holder dies.
 *
 * @module
 */

/**
 * Run `fn` holding a `flock` on `path` (created if absent): exclusive unless `shared`;
 * `beforeUnlock` runs last, still holding it. The kernel drops it if the process dies.
 */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T> | T,
  beforeUnlock?: () => void,
  shared = false,
): Promise<T> {
  const file = await Deno.open(path, { create: true, write: true });
  try {
    await file.lock(!shared);
    try {
      return await fn();
    } finally {
      beforeUnlock?.();
    }
  } finally {
    file.close();
  }
}
