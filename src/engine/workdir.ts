/**
 * A working directory the user named (`--workdir`) must exist in the container, as podman
 * requires: runc would create it silently, and a typo would run the command in an empty
 * directory. Exempt, as podman: a volume's or tmpfs's destination or one of its parents (the
 * runtime creates those). An image's WORKDIR is created as before.
 *
 * @module
 */
import { CommandNotInvokableError } from "../errors.ts";
import type { ContainerRow } from "../store/containers.ts";
import { cleanContainerPath, closeHandle, openInView } from "./root_path.ts";
import { containerView } from "./copy.ts";

/** Whether `dir` is `dest` or one of its parents (both clean and absolute). */
export function isMountOrParent(dir: string, dest: string): boolean {
  return dest === dir || dest.startsWith(dir === "/" ? "/" : `${dir}/`);
}

/**
 * Check the user's workdir of `row` in its mounted root `rootfsPath`.
 *
 * @throws {CommandNotInvokableError} (126) when it is missing or not a directory
 */
export function checkWorkdir(row: ContainerRow, rootfsPath: string): void {
  const spec = row.spec;
  if (!spec.workdirMustExist) return;
  const dir = cleanContainerPath(spec.workdir);
  const dests = [...spec.volumes, ...(spec.tmpfs ?? [])].map((m) =>
    cleanContainerPath(m.destination)
  );
  if (dests.some((d) => isMountOrParent(dir, d))) return;
  const opened = openInView(containerView(row, rootfsPath), dir);
  try {
    if (opened.handle?.stat.isDirectory) return;
    if (opened.handle) {
      throw new CommandNotInvokableError(
        `workdir "${spec.workdir}" exists on container ${row.id}, but is not a directory`,
      );
    }
  } finally {
    closeHandle(opened.handle);
  }
  throw new CommandNotInvokableError(
    `workdir "${spec.workdir}" does not exist on container ${row.id}`,
  );
}
