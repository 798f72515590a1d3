/**
 * Images as the engine uses them: the image context of an open engine, and the engine
 * operation that turns a reference into extracted layers and a run config, pulling
 * according to the policy.
 *
 * @module
 */
import { isInsecureRegistry } from "../config.ts";
import { NoSuchImageError } from "../errors.ts";
import type { Engine } from "./engine.ts";
import { imagePaths } from "../image/paths.ts";
import { imageNames } from "../store/images.ts";
import { authFilePath, getCreds } from "../image/auth_file.ts";
import { pullImage, type PullOptions } from "../image/pull.ts";
import { parseReference, storedName } from "../image/reference.ts";
import {
  ensureLayers,
  imageConfig,
  type ImageCtx,
  lookupImage,
  lowerDirs,
} from "../image/store.ts";
import type { PullPolicy, ResolvedImage } from "../image/types.ts";
import { loadArchiveRef, parseArchiveRef } from "../image/archive_transport.ts";

/** The image context of an open engine: its database, image paths and clock. */
export function imageCtx(engine: Engine): ImageCtx {
  return { store: engine.store, paths: imagePaths(engine.paths.root), now: engine.now };
}

/**
 * Resolve `ref` (a name, `name@digest`, or an image ID) to a local image, pulling it first
 * when it is missing (`missing`), always (`always`), or never (`never`). Pull progress goes
 * to `pullOptions.onEvent` (none by default). Layers that were removed from disk are re-extracted.
 * `pullOptions` (e.g. from `--tls-verify`, `--creds`, `--platform` flags) override the
 * defaults: verified TLS (unless berth.conf lists the registry as insecure), credentials from
 * the auth file.
 *
 * @throws {NoSuchImageError} when the image is absent and the policy forbids pulling
 * @throws {RegistryError} / {ImageError} when the pull fails
 */
export async function resolveImageForContainer(
  engine: Engine,
  ref: string,
  policy: PullPolicy,
  pullOptions: Partial<PullOptions> = {},
): Promise<ResolvedImage> {
  const ctx = imageCtx(engine);
  const archive = parseArchiveRef(ref);
  // An archive is always read: what it holds may differ from what a name points at now.
  const found = archive
    ? await loadArchiveRef(ctx, archive, (line) => pullOptions.onEvent?.({ kind: "report", line }))
    : policy === "always"
    ? undefined
    : lookupImage(ctx, ref);
  let row = found?.row;
  let name = found?.name;
  if (!row) {
    if (policy === "never") throw new NoSuchImageError(ref);
    const registry = parseReference(ref).registry;
    row = await pullImage(ctx, ref, {
      tlsVerify: !isInsecureRegistry(engine.opts.config, registry),
      creds: getCreds(authFilePath(engine.paths.root), registry),
      onEvent: () => {},
      ...pullOptions,
    });
    name = storedName(parseReference(ref));
  }
  await ensureLayers(ctx, row.layers);
  const cfg = imageConfig(row).config ?? {};
  const names = imageNames(ctx.store, row.id);
  if (name === undefined || !names.includes(name)) name = names[0] ?? row.id;
  return {
    id: row.id,
    digest: row.digest,
    name,
    lowerDirs: lowerDirs(ctx, row),
    config: {
      Entrypoint: cfg.Entrypoint ?? null,
      Cmd: cfg.Cmd ?? null,
      Env: cfg.Env ?? null,
      WorkingDir: cfg.WorkingDir ?? "",
      User: cfg.User ?? "",
      StopSignal: cfg.StopSignal,
      ExposedPorts: cfg.ExposedPorts ?? null,
    },
  };
}
