/**
 * The image subsystem's one entry point for the container engine: turn a reference into
 * extracted layers and a run config, pulling according to the policy.
 *
 * @module
 */
import type { Engine } from "../engine/context.ts";
import { imageNames } from "../store/images.ts";
import { authFilePath, getCreds } from "./auth_file.ts";
import { NoSuchImageError } from "./errors.ts";
import { pullImage, type PullOptions } from "./pull.ts";
import { parseReference, storedName } from "./reference.ts";
import { ensureLayers, imageConfig, imageCtx, lookupImage, lowerDirs } from "./store.ts";
import { pullProgress } from "./progress.ts";
import type { PullPolicy, ResolvedImage } from "./types.ts";

/**
 * Resolve `ref` (a name, `name@digest`, or an image ID) to a local image, pulling it first
 * when it is missing (`missing`), always (`always`), or never (`never`). Pull progress goes
 * to stderr when it is a terminal. Layers that were removed from disk are re-extracted.
 * `pullOptions` (e.g. from `--tls-verify`, `--creds`, `--platform` flags) override the
 * defaults: verified TLS, credentials from the auth file.
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
  const found = policy === "always" ? undefined : lookupImage(ctx, ref);
  let row = found?.row;
  let name = found?.name;
  if (!row) {
    if (policy === "never") throw new NoSuchImageError(ref);
    const registry = parseReference(ref).registry;
    row = await pullImage(ctx, ref, {
      tlsVerify: true,
      creds: getCreds(authFilePath(engine.paths.root), registry),
      onEvent: pullProgress(Deno.stderr.isTerminal()),
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
    name,
    lowerDirs: lowerDirs(ctx, row),
    config: {
      Entrypoint: cfg.Entrypoint ?? null,
      Cmd: cfg.Cmd ?? null,
      Env: cfg.Env ?? null,
      WorkingDir: cfg.WorkingDir ?? "",
      User: cfg.User ?? "",
      StopSignal: cfg.StopSignal,
    },
  };
}
