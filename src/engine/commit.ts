/**
 * commit: a container's changes become a new image. The overlay's upper directory is the
 * container's diff against its image; it is written as one more layer in OCI format (an
 * overlay whiteout, a 0:0 character device, becomes `.wh.NAME`; an opaque directory gets a
 * `.wh..wh..opq` entry), and the image config takes the container's command, environment,
 * working directory, user and labels.
 *
 * @module
 */
import { join } from "node:path";
import { NoSuchImageError, UsageError } from "../errors.ts";
import type { Engine } from "./engine.ts";
import { findContainer } from "./lookup.ts";
import { withContainerLock } from "./lock.ts";
import { containerPaths } from "./paths.ts";
import { walkEntries, writeTar } from "./copy_tree.ts";
import { imageCtx } from "./image.ts";
import type { TarEntry } from "../archive/tar_reader.ts";
import { lgetxattr } from "../archive/libc.ts";
import { commitLayer, type CommitRunConfig } from "../image/commit.ts";
import { tmpPath } from "../image/paths.ts";
import { getImage, type ImageRow } from "../store/images.ts";
import type { ContainerSpec } from "../spec.ts";
import { lstatOrNull } from "../fs.ts";

/** What `commit` was asked besides the container. */
export interface CommitOptions {
  /** The new image's name; none leaves it dangling. */
  image?: string;
  /** `--change` instructions (Dockerfile syntax). */
  changes?: string[];
  author?: string;
  message?: string;
}

const empty = async function* (): AsyncGenerator<Uint8Array> {};

/** Overlay's form of a layer's entries turned into OCI's: whiteout devices, opaque dirs. */
async function* ociEntries(upper: string, entries: AsyncIterable<TarEntry>) {
  for await (const e of entries) {
    const h = e.header;
    const slash = h.name.lastIndexOf("/");
    const dir = h.name.slice(0, slash + 1);
    if (h.type === "char" && h.devmajor === 0 && h.devminor === 0) {
      const name = `${dir}.wh.${h.name.slice(slash + 1)}`;
      yield { header: { ...h, name, type: "file" as const, mode: 0, size: 0 }, body: empty };
      continue;
    }
    yield e;
    if (h.type === "dir") {
      const v = lgetxattr(join(upper, h.name), "trusted.overlay.opaque");
      if (v?.length === 1 && v[0] === 0x79) { // "y"
        const name = `${h.name}/.wh..wh..opq`;
        yield { header: { ...h, name, type: "file" as const, mode: 0, size: 0 }, body: empty };
      }
    }
  }
}

/** The image settings a container's spec stands for. */
function runConfigOf(spec: ContainerSpec): CommitRunConfig {
  return {
    // berth keeps the container's argv whole, so it becomes the Cmd and no entrypoint is
    // left to prefix it.
    Entrypoint: null,
    Cmd: spec.command,
    Env: spec.env,
    WorkingDir: spec.workdir,
    User: spec.user.uid === 0 && spec.user.gid === 0 ? "" : `${spec.user.uid}:${spec.user.gid}`,
    ...(spec.labels && Object.keys(spec.labels).length ? { Labels: spec.labels } : {}),
  };
}

/**
 * Commit container `nameOrId` as a new image; returns it.
 *
 * @throws {NoSuchContainerError} / {UsageError} (a `--rootfs` container has no image to
 *   build on) / {NoSuchImageError} (its image was removed)
 */
export async function commitContainer(
  engine: Engine,
  nameOrId: string,
  opts: CommitOptions = {},
): Promise<ImageRow> {
  const row = findContainer(engine, nameOrId);
  if (row.spec.rootfs.kind !== "overlay" || !row.spec.imageId) {
    throw new UsageError(`cannot commit ${nameOrId}: it was created with --rootfs, not an image`);
  }
  const parent = getImage(engine.store, row.spec.imageId);
  if (!parent) throw new NoSuchImageError(row.spec.imageId);
  const ctx = imageCtx(engine);
  const tar = tmpPath(ctx.paths, "commit");
  try {
    await withContainerLock(engine, row.id, async () => {
      const upper = containerPaths(engine.paths, row.id).upper;
      const f = await Deno.open(tar, { createNew: true, write: true, mode: 0o600 });
      try {
        const write = async (b: Uint8Array) => {
          let off = 0;
          while (off < b.length) off += await f.write(b.subarray(off));
        };
        // A container never started has no upper yet: an empty layer.
        const entries = lstatOrNull(upper)?.isDirectory
          ? walkEntries({ root: upper, rootReadOnly: true, mounts: [] }, "/", "")
          : (async function* () {})();
        await writeTar(ociEntries(upper, entries), write);
      } finally {
        f.close();
      }
    });
    return await commitLayer(ctx, {
      parent,
      layerTar: tar,
      runConfig: runConfigOf(row.spec),
      changes: opts.changes ?? [],
      name: opts.image,
      author: opts.author,
      message: opts.message,
      createdBy: row.spec.command.join(" "),
    });
  } finally {
    await Deno.remove(tar).catch(() => {});
  }
}
