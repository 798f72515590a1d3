/**
 * The small set of typed errors berth raises, each with the exit status it maps to.
 *
 * Every error reaches the user as one line, `Error: <message>`, and the process exits with
 * {@linkcode BerthError.exitCode}. Commands never throw bare strings. Each class also names the
 * HTTP status the Docker API answers the same failure with ({@linkcode BerthError.httpStatus}).
 * Every error class of berth lives here.
 *
 * @module
 */

/** Base class: an engine error (exit status 125, like podman and docker). */
export class BerthError extends Error {
  /** The exit status a command ends with when this error reaches `main`. */
  exitCode = 125;
  /** The Docker API's HTTP status for this failure (500: a server-side error). */
  httpStatus = 500;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flags, bad values, bad arguments: exit 125, nothing changed. */
export class UsageError extends BerthError {
  override httpStatus = 400;
}

/** A configuration file that cannot be read or says something berth cannot use. */
export class ConfigError extends BerthError {}

/**
 * A `--ulimit` (or a Docker `HostConfig.Ulimits` entry) above the host's hard limit: the
 * runtime could not raise it, so the container is refused at create (exit 125, HTTP 400).
 */
export class UlimitAboveHostError extends UsageError {}

/** No container with that name or ID (podman's wording). */
export class NoSuchContainerError extends BerthError {
  override httpStatus = 404;
  constructor(readonly nameOrId: string) {
    super(`no container with name or ID "${nameOrId}" found: no such container`);
  }
}

/** No pod with that name or ID: berth has no pods, so every pod lookup ends here (podman's wording). */
export class NoSuchPodError extends BerthError {
  override httpStatus = 404;
  constructor(readonly nameOrId: string) {
    super(`no pod with name or ID ${nameOrId} found: no such pod`);
  }
}

/** The exit code of a container is not (or no longer) recorded. */
export class NoSuchExitCodeError extends BerthError {
  override httpStatus = 404;
  constructor(id: string, state?: string) {
    super(
      `getting exit code of container ${id} from DB: no such exit code` +
        (state ? ` (container in state ${state})` : ""),
    );
  }
}

/** The container is in a state where the operation cannot happen now. */
export class StateError extends BerthError {
  override httpStatus = 409;
}

/**
 * A running container refused by `rm` without `-f`. Its own status is podman's for any
 * error of a bad container state, 125; `rm`'s rule (`rmStatus`) maps it to 2 by its class,
 * and prune passes over it by its class, as podman's commands do.
 */
export class ContainerRunningError extends StateError {}

/** A name or ID that is already taken, or an ID prefix matching several containers. */
export class ConflictError extends BerthError {
  override httpStatus = 409;
}

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

/** A malformed or hostile image: bad tar, bad digest, path escaping the layer, bad JSON. */
export class ImageError extends BerthError {}

/** No image by that reference or ID in the local store. */
export class NoSuchImageError extends BerthError {
  override httpStatus = 404;
  constructor(readonly ref: string) {
    super(`${ref}: image not known`);
  }
}

/** No network by that name or ID (`network rm` exits 1 for it, as podman). */
export class NoSuchNetworkError extends BerthError {
  override httpStatus = 404;
  constructor(readonly nameOrId: string) {
    super(`unable to find network with name or ID ${nameOrId}: network not found`);
  }
}

/** A network that containers use, removed without `-f` (podman exits 2). */
export class NetworkInUseError extends ConflictError {
  override exitCode = 2;
  constructor(name: string) {
    super(
      `"${name}" has associated containers with it. Use -f to forcibly delete containers and pods: network is being used`,
    );
  }
}

/** A registry answered with an error, refused access, or could not be reached. */
export class RegistryError extends BerthError {}

/** An image a container was created from, removed without force (podman exits 2). */
export class ImageInUseError extends ConflictError {
  override exitCode = 2;
  constructor(containerId: string) {
    super(
      `image used by ${containerId}: image is in use by a container: consider listing external containers and force-removing image`,
    );
  }
}

/** An image removed without force while `image mount` shows it (podman exits 2: in use). */
export class ImageMountedError extends ConflictError {
  override exitCode = 2;
  constructor(imageId: string) {
    super(`image ${imageId} is mounted: unmount it first (berth image unmount) or force removal`);
  }
}

/** A copy (`cp`) that cannot be done as asked (exit status 125). */
export class CopyError extends BerthError {}

/** Too many symlinks while resolving a path in a container's root (the kernel's limit is 40 too). */
export class SymlinkLoopError extends BerthError {
  constructor(path: string) {
    super(`${path}: too many levels of symbolic links`);
  }
}

const ERRNO_NAMES: Record<number, string> = {
  1: "EPERM",
  2: "ENOENT",
  9: "EBADF",
  13: "EACCES",
  17: "EEXIST",
  18: "EXDEV",
  20: "ENOTDIR",
  21: "EISDIR",
  22: "EINVAL",
  24: "EMFILE",
  28: "ENOSPC",
  30: "EROFS",
  39: "ENOTEMPTY",
  40: "ELOOP",
  61: "ENODATA",
  95: "EOPNOTSUPP",
};

/** An error from a libc call, carrying errno and its name as `code` (e.g. `EPERM`). */
export class LibcError extends BerthError {
  /** e.g. `EPERM`. */
  code: string;
  constructor(readonly call: string, readonly path: string, readonly errno: number) {
    const code = ERRNO_NAMES[errno] ?? `errno ${errno}`;
    super(`${call} ${path}: ${code}`);
    this.code = code;
  }
}

/** Something berth needs is not available here (a platform, a facility). */
export class UnsupportedError extends BerthError {}

/** A broken invariant inside berth: a bug, never the user's doing. */
export class InternalError extends BerthError {}

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

/**
 * Render any thrown value as the one-line message shown after `Error: `. Line breaks (and the
 * blanks around them) are folded into one space and dropped at either end; other blanks are the
 * message's own, so `invalid signal: ` keeps its trailing space as podman prints it.
 */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/^\s*\n\s*|\s*\n\s*$/g, "").replace(/\s*\n\s*/g, " ");
}
