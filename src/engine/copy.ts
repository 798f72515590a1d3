/**
 * cp: copying files between a container and the host, as `podman cp` does, on running and
 * stopped containers alike. The container's filesystem is its root (the `--rootfs` directory,
 * or its overlay, mounted for the copy when the container is not running) plus its volumes;
 * every container path is resolved inside it (see root_path.ts). The container's lock is held
 * throughout, so no start, cleanup or removal can change the mounts under the copy.
 *
 * @module
 */
import { basename, dirname, resolve } from "../path.ts";
import {
  CopyError,
  NoSuchContainerError,
  NoSuchPathError,
  StateError,
  SymlinkLoopError,
} from "../errors.ts";
import type { Engine } from "./engine.ts";
import { containerPaths } from "./paths.ts";
import { hasProcess, isRemoving } from "./states.ts";
import { withContainerLock } from "./lock.ts";
import { isMountPoint, mountRootfs, unmountRootfs } from "./rootfs.ts";
import { syncAndCheck } from "./monitor_check.ts";
import {
  cleanContainerPath,
  containerView,
  hostView,
  type Resolved,
  resolveInView,
  type RootView,
} from "./root_path.ts";
import { putEntries, type PutOptions, walkEntries, writeTar } from "./copy_tree.ts";
import { readTar } from "../archive/tar_reader.ts";
import { decompress } from "../archive/decompress.ts";

/**
 * Run `fn` with the view of container `id`, holding its lock; an overlay root that is not
 * mounted (the container is not running) is mounted for `fn` and released afterwards.
 *
 * @throws {NoSuchContainerError} / {StateError} (being removed)
 */
export async function withContainerRoot<T>(
  engine: Engine,
  id: string,
  fn: (view: RootView) => Promise<T>,
): Promise<T> {
  return await withContainerLock(engine, id, async () => {
    const row = syncAndCheck(engine, id);
    if (!row) throw new NoSuchContainerError(id);
    if (isRemoving(row.state)) throw new StateError(`container ${id} is being removed`);
    let root: string;
    let mounted = false;
    if (row.spec.rootfs.kind === "dir") root = row.spec.rootfs.path;
    else {
      const merged = containerPaths(engine.paths, id).merged;
      mounted = !isMountPoint(merged);
      root = mounted ? await mountRootfs(engine, row) : merged;
    }
    try {
      return await fn(containerView(row, root));
    } finally {
      if (mounted && !hasProcess(row.state)) await unmountRootfs(engine, row);
    }
  });
}

/** A source path as typed: `DIR/.` copies DIR's contents; `X/` must be a directory. */
export interface SourceSpec {
  path: string;
  contentsOnly: boolean;
  mustBeDir: boolean;
}

/** Split the `/.` and `/` suffixes off a source path. */
export function parseSource(path: string): SourceSpec {
  const contentsOnly = path === "." || path.endsWith("/.");
  return { path, contentsOnly, mustBeDir: contentsOnly || path.endsWith("/") };
}

/** One side of a copy. */
interface Side {
  view: RootView;
  /** `on container c` / `on the host` */
  where: string;
  /** Keep the entries' device nodes (false on the host, as podman). */
  devices: boolean;
}

function notFound(path: string, where: string, why = "no such file or directory"): CopyError {
  return new NoSuchPathError(`"${path}" could not be found ${where}: ${why}`);
}

function resolveOrFail(side: Side, path: string, shown: string): Resolved {
  try {
    return resolveInView(side.view, path, true);
  } catch (err) {
    if (err instanceof SymlinkLoopError) {
      throw notFound(shown, side.where, "too many levels of symbolic links");
    }
    throw err;
  }
}

/** Resolve the source; it must exist (and be a directory when the spec says so). */
function resolveSource(side: Side, spec: SourceSpec, path: string, shown: string): Resolved {
  const r = resolveOrFail(side, path, shown);
  if (!r.stat) throw notFound(shown, side.where);
  if (spec.mustBeDir && !r.stat.isDirectory) throw notFound(shown, side.where, "not a directory");
  return r;
}

/**
 * Copy `src` (resolved in `from`) to the path `dest` of `to`, by docker's rules: into an
 * existing directory under its own name (its contents with `DIR/.`), over an existing file,
 * or as a new `dest` whose parent exists (a trailing `/` then is an error).
 */
async function place(
  from: Side,
  src: Resolved,
  contentsOnly: boolean,
  to: Side,
  dest: string,
  shownDest: string,
  opts: { overwrite: boolean },
): Promise<void> {
  const isDir = src.stat!.isDirectory;
  const put: PutOptions = {
    overwrite: opts.overwrite,
    keepOwners: Deno.uid() === 0,
    ignoreDevices: !to.devices,
    describe: (cpath) => `"${cpath}" ${to.where}`,
  };
  const d = resolveOrFail(to, dest, shownDest);
  if (d.stat?.isDirectory) {
    const name = contentsOnly || src.cpath === "/" ? "" : basename(src.cpath);
    await putEntries(to.view, d.cpath, walkEntries(from.view, src.cpath, name), put);
    return;
  }
  if (d.stat) {
    if (isDir) throw new CopyError("destination must be a directory when copying a directory");
    if (!d.stat.isFile && !d.stat.isSymlink && !to.devices) {
      throw new CopyError(
        `invalid destination: "${shownDest}" must be a directory or a regular file`,
      );
    }
  } else if (dest.endsWith("/")) throw notFound(shownDest, to.where);
  const parent = resolveOrFail(to, dirname(d.cpath), shownDest);
  if (!parent.stat?.isDirectory) throw notFound(shownDest, to.where);
  await putEntries(
    to.view,
    parent.cpath,
    walkEntries(from.view, src.cpath, basename(d.cpath)),
    put,
  );
}

/** What `cp` was asked to do beyond the paths. */
export interface CopyOptions {
  overwrite: boolean;
}

/** An absolute host path for `path` (relative to the working directory), keeping a final `/`. */
function hostPath(path: string): string {
  const abs = resolve(path);
  return path.endsWith("/") && abs !== "/" ? `${abs}/` : abs;
}

/**
 * Copy `srcPath` of container `id` (named `ref` in messages) to the host path `dest`, or as a
 * tar stream to `out` when `dest` is `-`.
 *
 * @throws {CopyError} / {NoSuchContainerError}
 */
export async function copyFromContainer(
  engine: Engine,
  id: string,
  ref: string,
  srcPath: string,
  dest: string,
  opts: CopyOptions,
  out: (data: Uint8Array) => Promise<void>,
): Promise<void> {
  await withContainerRoot(engine, id, async (view) => {
    const from: Side = { view, where: `on container ${ref}`, devices: true };
    const spec = parseSource(srcPath);
    const src = resolveSource(from, spec, spec.path, srcPath);
    const contents = src.stat!.isDirectory && (spec.contentsOnly || src.cpath === "/");
    if (dest === "-") {
      await writeTar(walkEntries(view, src.cpath, contents ? "" : basename(src.cpath)), out);
      return;
    }
    const to: Side = { view: hostView(), where: "on the host", devices: false };
    await place(from, src, contents, to, hostPath(dest), dest, opts);
  });
}

/**
 * Copy the host path `src` (or a tar stream from `input` when `src` is `-`, extracted into the
 * directory `destPath`) into container `id` (named `ref` in messages).
 *
 * @throws {CopyError} / {NoSuchContainerError}
 */
export async function copyToContainer(
  engine: Engine,
  id: string,
  ref: string,
  src: string,
  destPath: string,
  opts: CopyOptions,
  input: AsyncIterable<Uint8Array>,
): Promise<void> {
  const from: Side = { view: hostView(), where: "on the host", devices: true };
  const spec = src === "-" ? undefined : parseSource(src);
  // Check the host side before locking the container.
  const resolvedSrc = spec && resolveSource(from, spec, hostPath(spec.path), src);
  await withContainerRoot(engine, id, async (view) => {
    const to: Side = { view, where: `on container ${ref}`, devices: true };
    if (!spec || !resolvedSrc) {
      const d = resolveOrFail(to, destPath, destPath);
      if (!d.stat && destPath.endsWith("/")) throw notFound(destPath, to.where);
      if (!d.stat?.isDirectory) {
        throw new CopyError("destination must be a directory when copying from stdin");
      }
      await putEntries(view, d.cpath, readTar(decompress(input)), {
        overwrite: opts.overwrite,
        keepOwners: Deno.uid() === 0,
        ignoreDevices: false,
        describe: (cpath) => `"${cpath}" ${to.where}`,
      });
      return;
    }
    const contents = resolvedSrc.stat!.isDirectory && spec.contentsOnly;
    await place(from, resolvedSrc, contents, to, destPath, destPath, opts);
  });
}

/** What is at a container path, as Docker's `X-Docker-Container-Path-Stat` reports it. */
export interface PathStat {
  /** The base name of the path as asked for. */
  name: string;
  size: number;
  /** Type and permission bits (`st_mode`). */
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
  isDirectory: boolean;
}

/**
 * The path `srcPath` of container `id` (named `ref` in messages) as a tar stream, as
 * `GET /containers/{id}/archive` sends it: `begin` receives the path's stat first (under the
 * same lock as the walk, so the stat describes what is sent) and returns where the tar goes,
 * or undefined for the stat alone. A last symlink is followed.
 *
 * @throws {CopyError} (the path is missing) / {NoSuchContainerError}
 */
export async function archiveFromContainer(
  engine: Engine,
  id: string,
  ref: string,
  srcPath: string,
  begin: (stat: PathStat) => Promise<((data: Uint8Array) => Promise<void>) | undefined>,
): Promise<void> {
  await withContainerRoot(engine, id, async (view) => {
    const from: Side = { view, where: `on container ${ref}`, devices: true };
    const spec = parseSource(srcPath);
    const src = resolveSource(from, spec, spec.path, srcPath);
    const st = src.stat!;
    const contents = st.isDirectory && (spec.contentsOnly || src.cpath === "/");
    // Entries carry the name asked for, not a symlink target's: the client renames by it
    // (a directory's contents as `./…`, which the docker CLI rebases onto a new name).
    const asked = basename(cleanContainerPath(spec.path.replace(/\/\.?$/, "") || "/"));
    const name = contents ? "." : asked || basename(src.cpath);
    const out = await begin({
      name: asked || "/",
      size: st.size,
      mode: st.mode,
      mtime: st.mtime,
      isDirectory: st.isDirectory,
    });
    if (out) await writeTar(walkEntries(view, src.cpath, name), out);
  });
}
