/**
 * The build cache: a step's key (its parent image, its instruction as it will be carried out,
 * the variables it sees and the digest of what it reads) → the image that step made, one
 * small file per key under `<root>/build/cache/`. An entry whose image was removed is a miss.
 *
 * @module
 */
import { join } from "../../path.ts";
import type { Engine } from "../engine.ts";
import { digestHex, sha256 } from "../../image/digest.ts";
import { getImage, type ImageRow } from "../../store/images.ts";

function cacheDir(engine: Engine): string {
  return join(engine.paths.root, "build", "cache");
}

/** The key of a step: a digest of everything its result depends on. */
export function stepKey(parts: unknown[]): string {
  return digestHex(sha256(JSON.stringify(parts)));
}

/** The image cached for `key`, if it is still stored. */
export function cachedStep(engine: Engine, key: string): ImageRow | undefined {
  let id: string;
  try {
    id = Deno.readTextFileSync(join(cacheDir(engine), key)).trim();
  } catch {
    return undefined;
  }
  return /^[0-9a-f]{64}$/.test(id) ? getImage(engine.store, id) : undefined;
}

/** Remember that the step of `key` made image `id` (atomically: a rename). */
export function rememberStep(engine: Engine, key: string, id: string): void {
  const dir = cacheDir(engine);
  Deno.mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${key}.${Deno.pid}`);
  Deno.writeTextFileSync(tmp, `${id}\n`);
  Deno.renameSync(tmp, join(dir, key));
}
