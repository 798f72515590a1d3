/**
 * `POST /images/load` (a docker-archive or oci-archive body, plain or compressed; the answer
 * is a JSON stream of `Loaded image: …` lines, as GitLab Runner parses them) and
 * `GET /images/get?names=…` / `GET /images/{name}/get` (a docker-archive).
 *
 * @module
 */
import type { ApiRequest, ApiResponder, Route } from "../router.ts";
import type { Engine } from "../../engine/engine.ts";
import { imageCtx } from "../../engine/image.ts";
import { loadImages } from "../../image/load.ts";
import { saveDockerArchive } from "../../image/save.ts";
import { requireImage } from "../../image/store.ts";
import { errorMessage, UsageError } from "../../errors.ts";
import { familiarName } from "../image_views.ts";

async function save(refs: string[], res: ApiResponder, engine: Engine): Promise<void> {
  if (refs.length === 0) throw new UsageError("no image names given");
  const ctx = imageCtx(engine);
  for (const r of refs) requireImage(ctx, r); // a 404 before the 200
  const w = await res.stream(200, { "Content-Type": "application/x-tar" });
  try {
    await saveDockerArchive(ctx, refs, {
      write: async (p: Uint8Array) => {
        await w.write(p);
        return p.length;
      },
    });
    await w.close();
  } catch {
    // Headers are gone: the only way to tell the client is a broken body, so no last chunk.
  }
}

async function load(req: ApiRequest, res: ApiResponder, engine: Engine): Promise<void> {
  const w = await res.stream(200, { "Content-Type": "application/json" });
  const send = (msg: unknown) => w.write(JSON.stringify(msg) + "\r\n").catch(() => {});
  try {
    const loaded = await loadImages(imageCtx(engine), req.body);
    for (const l of loaded) {
      if (l.names.length === 0) await send({ stream: `Loaded image ID: sha256:${l.row.id}\n` });
      for (const n of l.names) await send({ stream: `Loaded image: ${familiarName(n)}\n` });
    }
  } catch (err) {
    const message = errorMessage(err);
    await send({ errorDetail: { message }, error: message });
  }
  await w.close().catch(() => {});
}

/** The routes of this file. */
export const routes: Route[] = [
  { method: "POST", pattern: "/images/load", handler: load },
  {
    method: "GET",
    pattern: "/images/get",
    handler: (req, res, engine) => save(req.query.getAll("names"), res, engine),
  },
  {
    method: "GET",
    pattern: "/images/{name*}/get",
    handler: (req, res, engine) => save([req.params.name], res, engine),
  },
];
