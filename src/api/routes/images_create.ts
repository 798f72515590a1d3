/**
 * `POST /images/create`: a pull (`fromImage`, `tag`, `X-Registry-Auth`) or an import of a
 * root filesystem tarball from the body (`fromSrc=-`, `repo`, `tag`, `changes`, `message`).
 * The answer is a 200 JSON-lines progress stream sent at once; a failure after that arrives
 * inside it as `{"errorDetail":{"message":…},"error":…}` (clients read only `errorDetail`).
 *
 * @module
 */
import type { ApiRequest, Route, StreamWriter } from "../router.ts";
import type { Engine } from "../../engine/engine.ts";
import { imageCtx } from "../../engine/image.ts";
import { type PullEvent, pullImage } from "../../image/pull.ts";
import { importTarball } from "../../image/import.ts";
import { parseReference } from "../../image/reference.ts";
import { authFilePath, type Credentials, getCreds } from "../../image/auth_file.ts";
import { errorMessage, UsageError } from "../../errors.ts";
import { familiarName } from "../image_views.ts";

/** The reference a pull asks for: `fromImage` with `tag` (a tag, or a `sha256:` digest). */
export function pullReference(fromImage: string, tag: string | null): string {
  if (!tag) return fromImage;
  return tag.startsWith("sha256:") ? `${fromImage}@${tag}` : `${fromImage}:${tag}`;
}

/** Credentials from an `X-Registry-Auth` header (base64url JSON), if it holds any. */
export function registryAuth(header: string | null): Credentials | undefined {
  if (!header) return undefined;
  try {
    const b64 = header.replace(/-/g, "+").replace(/_/g, "/");
    const json = JSON.parse(new TextDecoder().decode(
      Uint8Array.from(atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, "=")), (c) => c.charCodeAt(0)),
    ));
    if (json?.username && json?.password) {
      return { username: json.username, password: json.password };
    }
  } catch { /* not credentials: pull anonymously or with the stored ones */ }
  return undefined;
}

/** Docker's own default: registries on the loopback are spoken to over plain HTTP too. */
export function insecureByDefault(registry: string): boolean {
  const host = registry.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/** A progress line of Docker's JSON-message stream for one pull event. */
export function pullMessage(e: PullEvent): Record<string, unknown> {
  switch (e.kind) {
    case "resolved":
      return { status: `Digest: ${e.digest}` };
    case "blob": {
      const id = e.digest.replace(/^sha256:/, "").slice(0, 12);
      if (e.skipped) return { status: "Already exists", progressDetail: {}, id };
      if (e.done >= e.size) return { status: "Download complete", progressDetail: {}, id };
      return { status: "Downloading", progressDetail: { current: e.done, total: e.size }, id };
    }
    case "extract": {
      const id = e.diffId.replace(/^sha256:/, "").slice(0, 12);
      return {
        status: e.phase === "start" ? "Extracting" : "Pull complete",
        progressDetail: {},
        id,
      };
    }
    case "report":
      return { status: e.line };
  }
}

/** Writes JSON lines in order from synchronous callbacks; a client gone is not an error. */
function jsonLines(w: StreamWriter) {
  let chain = Promise.resolve();
  return {
    send(msg: unknown): Promise<void> {
      chain = chain.then(() => w.write(JSON.stringify(msg) + "\r\n")).catch(() => {});
      return chain;
    },
    async close(): Promise<void> {
      await chain;
      await w.close().catch(() => {});
    },
  };
}

async function pull(req: ApiRequest, out: ReturnType<typeof jsonLines>, engine: Engine) {
  const ref = pullReference(req.query.get("fromImage")!, req.query.get("tag"));
  const parsed = parseReference(ref);
  const tagText = parsed.digest ?? parsed.tag ?? "latest";
  await out.send({ status: `Pulling from ${parsed.repository}`, id: tagText });
  await pullImage(imageCtx(engine), ref, {
    tlsVerify: !insecureByDefault(parsed.registry),
    creds: registryAuth(req.headers.get("x-registry-auth")) ??
      getCreds(authFilePath(engine.opts.root), parsed.registry),
    onEvent: (e) => void out.send(pullMessage(e)),
  });
  await out.send({ status: `Status: Downloaded newer image for ${familiarName(ref)}` });
}

async function importBody(req: ApiRequest, out: ReturnType<typeof jsonLines>, engine: Engine) {
  const repo = req.query.get("repo");
  const tag = req.query.get("tag");
  const ref = repo ? (tag ? `${repo}:${tag}` : repo) : undefined;
  const row = await importTarball(
    imageCtx(engine),
    req.body,
    ref,
    req.query.getAll("changes"),
    req.query.get("message") ?? "",
  );
  await out.send({ status: `sha256:${row.id}` });
}

/** The routes of this file. */
export const routes: Route[] = [
  {
    method: "POST",
    pattern: "/images/create",
    handler: async (req, res, engine) => {
      const fromImage = req.query.get("fromImage");
      const fromSrc = req.query.get("fromSrc");
      if (!fromImage && fromSrc !== "-") {
        throw new UsageError(
          fromSrc
            ? "importing from a URL is not supported: use fromSrc=-"
            : "fromImage is required",
        );
      }
      if (fromImage) parseReference(pullReference(fromImage, req.query.get("tag"))); // 400 before the 200
      const out = jsonLines(await res.stream(200, { "Content-Type": "application/json" }));
      try {
        if (fromImage) await pull(req, out, engine);
        else await importBody(req, out, engine);
      } catch (err) {
        const message = errorMessage(err);
        await out.send({ errorDetail: { message }, error: message });
      } finally {
        await out.close();
      }
    },
  },
];
