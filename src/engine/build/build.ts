/**
 * build: an image from a Containerfile and a context directory, as podman (buildah) builds
 * it. The stages the target needs are built in order; every instruction after `FROM` is one
 * step that makes one image (unnamed, the cache's) on top of the step before: `RUN` in a
 * build container through the ordinary conmon/runtime path, `COPY`/`ADD` into a mounted
 * one, each of those one layer (the overlay's upper directory); every other instruction only
 * changes the config. A step whose key (cache.ts) is known reuses that image. What happens
 * is told through `onEvent`; the engine prints nothing.
 *
 * @module
 */
import * as posix from "../../path.ts";
import { BuildError, BuildRunError, NoSuchImageError } from "../../errors.ts";
import type { Engine } from "../engine.ts";
import { imageCtx, resolveImageForContainer } from "../image.ts";
import { mergeEnv } from "../env.ts";
import { type Instruction, parseContainerfile } from "../../build/parse.ts";
import { expandWord, splitWords } from "../../build/expand.ts";
import { type IgnoreRule, parseIgnore } from "../../build/ignore.ts";
import {
  type BuildPlan,
  findStage,
  planBuild,
  platformArgs,
  type Stage,
} from "../../build/stages.ts";
import {
  applyConfigInstruction,
  argEnv,
  type BuildConfig,
  commandOf,
  createdBy,
  DEFAULT_PATH,
  PROXY_ARGS,
  type StageState,
  stageVars,
} from "../../build/instructions.ts";
import { storeImage } from "../../image/commit.ts";
import { imageConfig, type ImageCtx, lowerDirs } from "../../image/store.ts";
import { isImageMounted, mountImage, unmountImage } from "../../image/mount.ts";
import { tagImage } from "../../image/remove.ts";
import { tmpPath } from "../../image/paths.ts";
import { localName } from "../../image/reference.ts";
import { digestHex } from "../../image/digest.ts";
import { resolveUser } from "../../image/user.ts";
import { readFromLayers } from "../../image/user.ts";
import type { PullOptions } from "../../image/pull.ts";
import type { PullPolicy } from "../../image/types.ts";
import type { ImageConfig } from "../../image/manifest.ts";
import { getImage, type ImageRow } from "../../store/images.ts";
import type { LogRecord } from "../../logs/k8s_file.ts";
import { goArch } from "../../platform.ts";
import { cachedStep, rememberStep, stepKey } from "./cache.ts";
import {
  copyDigest,
  copyInto,
  type CopyRequest,
  type CopySource,
  downloadName,
  isUrl,
} from "./copy.ts";
import {
  createStepContainer,
  discardStepContainer,
  runStepContainer,
  stepLayerTar,
  withStepRoot,
} from "./container.ts";

/** What a build reports as it goes. */
export type BuildEvent =
  /** A step begins (`stage`/`stages` only count in a multi-stage build). */
  | { kind: "step"; stage: number; stages: number; step: number; steps: number; text: string }
  /** The step's image was found in the cache. */
  | { kind: "cached"; id: string }
  /** The step (or stage) is done: its image. */
  | { kind: "stepDone"; id: string }
  /** Output of a `RUN`. */
  | { kind: "output"; records: LogRecord[] }
  /** The final image is about to be named. */
  | { kind: "commit"; names: string[] }
  /** The final image has a name. */
  | { kind: "tagged"; name: string }
  | { kind: "warning"; message: string };

/** What `build` is asked. */
export interface BuildOptions {
  /** The context directory (absolute or relative to the working directory). */
  contextDir: string;
  /** The Containerfile's text. */
  containerfile: string;
  /** Names for the image (normalised as `tag` does). */
  tags: string[];
  /** `--build-arg K=V` */
  buildArgs: Map<string, string>;
  /** `--target STAGE` */
  target?: string;
  /** `--no-cache` */
  noCache: boolean;
  /** `--layers=false`: no cache lookups either (buildah's meaning: no intermediate images). */
  layers: boolean;
  pull: PullPolicy;
  /** How base and `--from` images are pulled, by registry (TLS rule, credentials, progress). */
  pullOptions?: Partial<PullOptions> | ((registry: string) => Partial<PullOptions>);
  /** `--label K=V`: set on the final image. */
  labels: Record<string, string>;
  /**
   * `--format`: `oci` (the default) stores no `Shell`, `Healthcheck` or `OnBuild`, which
   * the OCI config has no place for (podman warns and drops them); `docker` keeps them.
   */
  format?: "oci" | "docker";
  /** The network of `RUN` steps. */
  network?: "host" | "none";
  onEvent?: (e: BuildEvent) => void | Promise<void>;
  /**
   * `--timestamp SECONDS`: the time of every image's `created`, history entry and layer
   * entry, so that the same inputs give the same image ID.
   */
  timestamp?: number;
  /** Aborted: the running step's process is killed, its container removed, the build fails. */
  signal?: AbortSignal;
}

/** A built stage. */
interface Built {
  row?: ImageRow;
  state: StageState;
}

/** A stage while it is built: its state and the image of its last step. */
interface Current {
  state: StageState;
  row?: ImageRow;
  /** Parent config fields besides `config` (os, architecture, …). */
  top: Omit<ImageConfig, "config" | "rootfs" | "history">;
}

const FS_STEPS = new Set(["RUN", "COPY", "ADD"]);

/** The ignore rules of a context: `.containerignore`, else `.dockerignore`. */
function readIgnore(dir: string): IgnoreRule[] {
  for (const name of [".containerignore", ".dockerignore"]) {
    try {
      return parseIgnore(Deno.readTextFileSync(posix.join(dir, name)));
    } catch { /* absent */ }
  }
  return [];
}

/**
 * Build the image; returns it (named by `tags`).
 *
 * @throws {BuildError} for a Containerfile that cannot be built (naming the line)
 * @throws {BuildRunError} when a `RUN` fails (its exit status)
 * @throws {NoSuchImageError} / {RegistryError} for a base image that cannot be had
 */
export async function buildImage(engine: Engine, opts: BuildOptions): Promise<ImageRow> {
  const emit = async (e: BuildEvent) => await opts.onEvent?.(e);
  const names = opts.tags.map(localName); // a bad name stops the build before it starts
  const cf = parseContainerfile(opts.containerfile);
  const predefined = platformArgs("linux", goArch());
  const plan = planBuild(cf, opts.buildArgs, opts.target, predefined);
  // `ARG TARGETARCH` (and the other platform ARGs) in a stage takes buildah's value.
  for (const [k, v] of predefined) if (!plan.metaArgs.has(k)) plan.metaArgs.set(k, v);
  await warnUnusedArgs(plan, opts, emit);
  const ctx = imageCtx(engine);
  const contextDir = posix.resolve(opts.contextDir);
  const source: CopySource = {
    view: { root: contextDir, rootReadOnly: true, mounts: [] },
    isContext: true,
    ignore: readIgnore(contextDir),
  };
  // `--label K=V`: one more `LABEL "K"="V"` step each at the end of the target, as podman.
  const target = plan.stages[plan.needed[plan.needed.length - 1]];
  const lastLine = target.instructions.at(-1)?.line ?? target.from.line;
  for (const [k, v] of Object.entries(opts.labels)) {
    const args = `${JSON.stringify(k)}=${JSON.stringify(v)}`;
    target.instructions.push({
      keyword: "LABEL",
      flags: {},
      args,
      line: lastLine,
      text: `LABEL ${args}`,
    });
  }
  const built = new Map<number, Built>();
  const warned = new Set<string>();
  const multi = plan.needed.length > 1;
  let final: ImageRow | undefined;
  for (const [n, index] of plan.needed.entries()) {
    const stage = plan.stages[index];
    const isLast = n === plan.needed.length - 1;
    const stageNo = { stage: multi ? n + 1 : 0, stages: multi ? plan.needed.length : 0 };
    // The base's ONBUILD triggers become steps of this stage: counted once they are known.
    const cur = await fromStage(engine, stage, built, opts, cf.escape);
    const steps = stage.instructions.length + 1;
    await emit({ kind: "step", ...stageNo, step: 1, steps, text: stage.from.text });
    for (const [i, ins] of stage.instructions.entries()) {
      if (opts.signal?.aborted) throw new BuildError("the build was interrupted");
      await emit({ kind: "step", ...stageNo, step: i + 2, steps, text: ins.text });
      const lastStep = isLast && i === stage.instructions.length - 1;
      const row = await runStep(engine, ins, cur, {
        plan,
        opts,
        built,
        stage,
        source,
        emit,
        warned,
      });
      cur.row = row;
      if (!lastStep) await emit({ kind: "stepDone", id: row.id });
    }
    // A stage of only a FROM is its base image; scratch has none, so it gets an empty one.
    if (!cur.row && isLast) cur.row = await emptyStep(engine, cur, stage, opts);
    built.set(index, { row: cur.row, state: cur.state });
    if (isLast) final = cur.row;
    else if (cur.row) await emit({ kind: "stepDone", id: cur.row.id });
  }
  if (!final) throw new BuildError("the build made no image");
  await emit({ kind: "commit", names: opts.tags });
  await emit({ kind: "stepDone", id: final.id });
  if (names.length) {
    tagImage(ctx, final.id, names);
    for (const name of names) await emit({ kind: "tagged", name });
  }
  return getImage(engine.store, final.id) ?? final;
}

/** The image context of the build: its clock stopped at `--timestamp`, when given. */
function buildCtx(engine: Engine, opts: BuildOptions): ImageCtx {
  const ctx = imageCtx(engine);
  return opts.timestamp === undefined ? ctx : { ...ctx, now: () => opts.timestamp! * 1000 };
}

/** An image for a final stage of only `FROM` (scratch: an empty image). */
async function emptyStep(
  engine: Engine,
  cur: Current,
  stage: Stage,
  opts: BuildOptions,
): Promise<ImageRow> {
  return await storeImage(buildCtx(engine, opts), {
    parent: undefined,
    config: { ...cur.top, config: cur.state.config as ImageConfig["config"] },
    history: { created_by: createdBy(stage.from, cur.state) },
    names: [],
  });
}

/** podman's warning for `--build-arg`s that no ARG of the needed stages declares. */
async function warnUnusedArgs(
  plan: BuildPlan,
  opts: BuildOptions,
  emit: (e: BuildEvent) => Promise<void>,
): Promise<void> {
  const declared = new Set([...plan.declaredMeta, ...PROXY_ARGS]);
  for (const i of plan.needed) {
    for (const ins of plan.stages[i].instructions) {
      if (ins.keyword !== "ARG") continue;
      for (const w of splitWords(ins.args)) declared.add(w.split("=", 1)[0]);
    }
  }
  const unused = [...opts.buildArgs.keys()].filter((k) => !declared.has(k));
  if (unused.length) {
    await emit({
      kind: "warning",
      message: `one or more build args were not consumed: [${unused.join(" ")}]`,
    });
  }
}

/** The start of a stage: its base image (pulled as `--pull` says), scratch, or a stage. */
async function fromStage(
  engine: Engine,
  stage: Stage,
  built: Map<number, Built>,
  opts: BuildOptions,
  escape: string,
): Promise<Current> {
  const args = new Map<string, string>();
  for (const [k, v] of opts.buildArgs) if (PROXY_ARGS.has(k)) args.set(k, v);
  let row: ImageRow | undefined;
  let config: BuildConfig = {};
  let top: Current["top"] = { architecture: goArch(), os: "linux" };
  if (stage.baseStage !== undefined) {
    const b = built.get(stage.baseStage);
    row = b?.row;
    config = structuredClone(b?.state.config ?? {});
  } else if (stage.base.toLowerCase() !== "scratch") {
    try {
      const resolved = await resolveImageForContainer(
        engine,
        stage.base,
        opts.pull,
        opts.pullOptions ?? {},
      );
      row = getImage(engine.store, resolved.id);
    } catch (err) {
      if (err instanceof NoSuchImageError) {
        throw new BuildError(`line ${stage.from.line}: FROM ${stage.base}: image not known`);
      }
      throw err;
    }
    if (!row) throw new BuildError(`line ${stage.from.line}: FROM ${stage.base}: image not known`);
    const full = imageConfig(row);
    config = structuredClone((full.config ?? {}) as BuildConfig);
    const { config: _c, rootfs: _r, history: _h, ...rest } = full;
    top = rest;
  }
  if (!(config.Env ?? []).some((e) => e.startsWith("PATH="))) {
    config.Env = [DEFAULT_PATH, ...(config.Env ?? [])];
  }
  const state: StageState = { config, args, cmdSet: false, escape };
  // ONBUILD triggers of the base run first, in this stage, and are not inherited further.
  const triggers = config.OnBuild ?? [];
  if (triggers.length && stage.baseStage === undefined) {
    delete config.OnBuild;
    const parsed = parseContainerfile(triggers.join("\n")).instructions.map((t) => ({
      ...t,
      line: stage.from.line,
    }));
    stage.instructions.unshift(...parsed);
  }
  return { state, row, top };
}

/** What every step needs to know besides its instruction. */
interface StepContext {
  plan: BuildPlan;
  opts: BuildOptions;
  built: Map<number, Built>;
  stage: Stage;
  source: CopySource;
  emit: (e: BuildEvent) => Promise<void>;
  /** Docker-only fields already warned about. */
  warned: Set<string>;
}

/** Carry out one instruction (or find its image in the cache); returns the step's image. */
async function runStep(
  engine: Engine,
  ins: Instruction,
  cur: Current,
  sc: StepContext,
): Promise<ImageRow> {
  const state = cur.state;
  const before = structuredClone(state.config);
  const vars = stageVars(state);
  let copy: { req: CopyRequest; src: CopySource; release: () => Promise<void> } | undefined;
  try {
    let detail: string | undefined;
    const keyParts: unknown[] = [cur.row?.id ?? "scratch", ins.text, ins.flags, [...vars]];
    if (FS_STEPS.has(ins.keyword)) {
      if (ins.keyword === "RUN") keyParts.push(argEnv(state));
      else {
        copy = await copyRequest(engine, ins, cur, sc);
        const digest = await copyDigest(copy.req, copy.src);
        keyParts.push(digest, copy.req);
        detail = `${ins.keyword} file:${digestHex(digest)} in ${copy.req.dest}`; // buildah's words
      }
    } else {
      applyConfigInstruction(ins, state, sc.opts.buildArgs, sc.plan.metaArgs);
      if (ins.keyword === "ARG") keyParts.push([...state.args]);
    }
    keyParts.push(sc.opts.format ?? "oci", sc.opts.timestamp ?? null);
    keyParts.push(state.config);
    const key = stepKey(keyParts);
    if (!sc.opts.noCache && sc.opts.layers) {
      const hit = cachedStep(engine, key);
      if (hit) {
        await sc.emit({ kind: "cached", id: hit.id });
        return hit;
      }
    }
    const history = { created_by: createdBy(ins, { ...state, config: before }, detail) };
    const config = {
      ...cur.top,
      ...(state.author ? { author: state.author } : {}),
      config: await storedConfig(state.config, sc),
    };
    const ctx = buildCtx(engine, sc.opts);
    let row: ImageRow;
    if (!FS_STEPS.has(ins.keyword)) {
      row = await storeImage(ctx, { parent: cur.row, config, history, names: [] });
    } else {
      const lowers = cur.row ? lowerDirs(ctx, cur.row) : [];
      const ctr = createStepContainer(engine, {
        lowers,
        imageId: cur.row?.id,
        imageName: cur.row?.id ?? "scratch",
      }, {
        command: ins.keyword === "RUN" ? commandOf(ins, state) : ["/bin/true"],
        env: mergeEnv([...(state.config.Env ?? []), ...argEnv(state)]),
        workdir: state.config.WorkingDir ?? "/",
        user: state.config.User ?? "",
        network: sc.opts.network ?? "host",
      });
      const tar = tmpPath(ctx.paths, "build");
      try {
        if (ins.keyword === "RUN") {
          const code = await runStepContainer(
            engine,
            ctr,
            (records) => sc.emit({ kind: "output", records }),
            sc.opts.signal,
          );
          if (sc.opts.signal?.aborted) {
            throw new BuildError(`building at STEP "${ins.text}": interrupted`);
          }
          if (code !== 0) {
            throw new BuildRunError(
              `building at STEP "${ins.text}": line ${ins.line}: exit status ${code}`,
              code,
            );
          }
        } else {
          await withStepRoot(engine, ctr, (merged) => copyInto(copy!.req, copy!.src, merged));
        }
        await stepLayerTar(engine, ctr, tar, sc.opts.timestamp);
        row = await storeImage(ctx, { parent: cur.row, config, layerTar: tar, history, names: [] });
      } finally {
        await discardStepContainer(engine, ctr);
        await Deno.remove(tar).catch(() => {});
      }
    }
    rememberStep(engine, key, row.id);
    return row;
  } finally {
    await copy?.release();
  }
}

/** Docker-only config fields, as podman names them in its warning. */
const DOCKER_ONLY: [keyof BuildConfig, string][] = [
  ["Shell", "SHELL"],
  ["Healthcheck", "HEALTHCHECK"],
  ["OnBuild", "ONBUILD"],
];

/** The config as stored: without docker-only fields in OCI format (with podman's warning). */
async function storedConfig(c: BuildConfig, sc: StepContext): Promise<ImageConfig["config"]> {
  if (sc.opts.format === "docker") return c as ImageConfig["config"];
  const out = { ...c };
  for (const [field, word] of DOCKER_ONLY) {
    if (out[field] === undefined) continue;
    delete out[field];
    if (!sc.warned.has(word)) {
      sc.warned.add(word);
      await sc.emit({
        kind: "warning",
        message: `${word} is not supported for OCI image format, ${
          JSON.stringify(c[field])
        } will be ignored. Must use \`docker\` format`,
      });
    }
  }
  return out as ImageConfig["config"];
}

/** A `COPY`/`ADD` expanded, with the view it reads from (an image mounted for `--from`). */
async function copyRequest(
  engine: Engine,
  ins: Instruction,
  cur: Current,
  sc: StepContext,
): Promise<{ req: CopyRequest; src: CopySource; release: () => Promise<void> }> {
  const vars = stageVars(cur.state);
  const esc = cur.state.escape;
  const words = ins.json
    ? ins.json.map((w) => expandWord(w.replace(/\\/g, "\\\\"), vars, esc))
    : splitWords(ins.args, esc).map((w) => expandWord(w, vars, esc));
  if (words.length < 2) {
    throw new BuildError(`line ${ins.line}: ${ins.keyword} requires at least two arguments`);
  }
  const dest0 = words[words.length - 1];
  const workdir = cur.state.config.WorkingDir || "/";
  const dest = posix.isAbsolute(dest0)
    ? dest0
    : posix.join(workdir, dest0) + (dest0.endsWith("/") || dest0 === "." ? "/" : "");
  const lowers = cur.row ? lowerDirs(imageCtx(engine), cur.row) : [];
  let uid = 0;
  let gid = 0;
  if (ins.flags.chown) {
    const spec = expandWord(ins.flags.chown, vars, esc);
    try {
      const ids = resolveUser(spec, (rel) => readFromLayers(lowers, rel));
      uid = ids.uid;
      // docker: a user without a group gives its numeric ID as the group too.
      gid = spec.includes(":") ? ids.gid : (/^\d+$/.test(spec) ? ids.uid : ids.gid);
    } catch (err) {
      throw new BuildError(
        `line ${ins.line}: ${ins.keyword} --chown=${spec}: ${(err as Error).message}`,
      );
    }
  }
  let mode: number | undefined;
  if (ins.flags.chmod) {
    if (!/^[0-7]{3,4}$/.test(ins.flags.chmod)) {
      throw new BuildError(
        `line ${ins.line}: ${ins.keyword} --chmod=${ins.flags.chmod}: not an octal mode`,
      );
    }
    mode = parseInt(ins.flags.chmod, 8);
  }
  const req: CopyRequest = {
    keyword: ins.keyword as "COPY" | "ADD",
    line: ins.line,
    sources: words.slice(0, -1),
    dest,
    uid,
    gid,
    ...(mode !== undefined ? { mode } : {}),
  };
  const from = ins.flags.from === undefined
    ? undefined
    : expandWord(ins.flags.from, new Map([...sc.plan.metaArgs, ...vars]), esc);
  const urls = req.sources.filter(isUrl);
  if (urls.length) {
    if (from !== undefined || urls.length !== req.sources.length || req.keyword !== "ADD") {
      throw new BuildError(
        `line ${ins.line}: ${ins.keyword}: a URL can only be given to ADD, and only with other URLs`,
      );
    }
    return await downloads(engine, ins, req, urls);
  }
  if (from === undefined) return { req, src: sc.source, release: async () => {} };
  const stageIndex = findStage(sc.plan.stages, from, sc.stage.index);
  let row: ImageRow | undefined;
  if (stageIndex !== undefined) row = sc.built.get(stageIndex)?.row;
  else {
    try {
      const r = await resolveImageForContainer(engine, from, sc.opts.pull, sc.opts.pullOptions);
      row = getImage(engine.store, r.id);
    } catch {
      throw new BuildError(
        `line ${ins.line}: ${ins.keyword} --from=${from}: no stage or image found with that name`,
      );
    }
  }
  if (!row || row.layers.length === 0) {
    throw new BuildError(`line ${ins.line}: ${ins.keyword} --from=${from}: it has no files`);
  }
  const ctx = imageCtx(engine);
  const wasMounted = isImageMounted(ctx, row.id);
  const root = await mountImage(ctx, row);
  const id = row.id;
  req.sources = req.sources.map((s) => posix.resolve("/", s));
  return {
    req: { ...req, fromImage: id },
    src: { view: { root, rootReadOnly: true, mounts: [] }, isContext: false, ignore: [] },
    release: async () => {
      if (!wasMounted) await unmountImage(ctx, id);
    },
  };
}

/**
 * `ADD URL… DEST`: each URL downloaded (every build: its content is the cache key) into a
 * directory of the store's tmp, which is then the step's source.
 *
 * @throws {BuildError} when a download fails
 */
async function downloads(
  engine: Engine,
  ins: Instruction,
  req: CopyRequest,
  urls: string[],
): Promise<{ req: CopyRequest; src: CopySource; release: () => Promise<void> }> {
  const dir = tmpPath(imageCtx(engine).paths, "add");
  Deno.mkdirSync(dir, { mode: 0o700 });
  const release = async () => await Deno.remove(dir, { recursive: true }).catch(() => {});
  try {
    const names: string[] = [];
    for (const url of urls) {
      const name = downloadName(url);
      const res = await fetch(url).catch((err) => {
        throw new BuildError(`line ${ins.line}: ADD ${url}: ${(err as Error).message}`);
      });
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        throw new BuildError(`line ${ins.line}: ADD ${url}: HTTP ${res.status} ${res.statusText}`);
      }
      const f = await Deno.open(posix.join(dir, name), { createNew: true, write: true });
      await res.body.pipeTo(f.writable);
      const modified = Date.parse(res.headers.get("last-modified") ?? "");
      if (!Number.isNaN(modified)) {
        Deno.utimeSync(posix.join(dir, name), modified / 1000, modified / 1000);
      }
      names.push(name);
    }
    return {
      req: { ...req, sources: names, downloaded: true },
      src: { view: { root: dir, rootReadOnly: true, mounts: [] }, isContext: false, ignore: [] },
      release,
    };
  } catch (err) {
    await release();
    throw err;
  }
}
