/**
 * The small set of typed errors berth raises, each with the exit status it maps to.
 *
 * Every error reaches the user as one line, `Error: <message>`, and the process exits with
 * {@linkcode BerthError.exitCode}. Commands never throw bare strings.
 *
 * @module
 */

/** Base class: an engine error (exit status 125, like podman and docker). */
export class BerthError extends Error {
  /** The exit status a command ends with when this error reaches `main`. */
  exitCode = 125;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flags, bad values, bad arguments: exit 125, nothing changed. */
export class UsageError extends BerthError {}

/** No container with that name or ID (podman's wording). */
export class NoSuchContainerError extends BerthError {
  constructor(readonly nameOrId: string) {
    super(`no container with name or ID "${nameOrId}" found: no such container`);
  }
}

/** The exit code of a container is not (or no longer) recorded. */
export class NoSuchExitCodeError extends BerthError {
  constructor(id: string, state?: string) {
    super(
      `getting exit code of container ${id} from DB: no such exit code` +
        (state ? ` (container in state ${state})` : ""),
    );
  }
}

/** The container is in a state where the operation cannot happen now. */
export class StateError extends BerthError {}

/** A name or ID that is already taken, or an ID prefix matching several containers. */
export class ConflictError extends BerthError {}

/** The database is corrupt, from a newer berth, or cannot be opened/written. */
export class DatabaseError extends BerthError {}

/** A `--root`/`--runroot` directory someone other than the caller could control. */
export class UnsafeDirectoryError extends BerthError {}

/** The OCI runtime or conmon failed for a reason other than the command itself. */
export class RuntimeError extends BerthError {
  override exitCode = 126;
}

/** The container's command exists but cannot be invoked (permission denied, a directory…). */
export class CommandNotInvokableError extends BerthError {
  override exitCode = 126;
}

/** The container's command does not exist. */
export class CommandNotFoundError extends BerthError {
  override exitCode = 127;
}

/** The monitor died before the exit code could be learned. */
export class MonitorDiedError extends BerthError {}

/**
 * Classify an OCI runtime's error text the way podman does: "not found" / "no such file"
 * → 127, "permission denied" / anything else → 126.
 *
 * @example
 * ```ts
 * runtimeStartError('exec: "/x": stat /x: no such file or directory').exitCode; // 127
 * ```
 */
export function runtimeStartError(message: string): BerthError {
  if (/executable file not found|no such file or directory|not found/i.test(message)) {
    return new CommandNotFoundError(message);
  }
  if (/permission denied|operation not permitted/i.test(message)) {
    return new CommandNotInvokableError(message);
  }
  return new RuntimeError(message);
}

/** Render any thrown value as the one-line message shown after `Error: `. */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, " ").trim();
}
