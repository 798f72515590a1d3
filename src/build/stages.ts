/**
 * A Containerfile's stages and which of them a build needs (pure): the `ARG`s before the
 * first `FROM` (usable in `FROM` lines), each `FROM … [AS name]` with the instructions up to
 * the next, and the stages the target depends on through `FROM stage` and `COPY --from`.
 *
 * @module
 */
import { BuildError } from "../errors.ts";
import { expandWord, namedValues, splitWords, type Vars } from "./expand.ts";
import type { Containerfile, Instruction } from "./parse.ts";

/** One `FROM` and its instructions. */
export interface Stage {
  index: number;
  /** `AS name`, lower case. */
  name?: string;
  /** The base: an image reference, `scratch`, or an earlier stage's name (expanded). */
  base: string;
  /** The earlier stage the base is, if it is one. */
  baseStage?: number;
  from: Instruction;
  instructions: Instruction[];
}

/** What a build will do. */
export interface BuildPlan {
  stages: Stage[];
  /** Indexes of the stages to build, in order; the last is the target. */
  needed: number[];
  /** The meta ARGs (before the first FROM), with values after --build-arg. */
  metaArgs: Map<string, string>;
  /** Names of meta ARGs declared (with or without a value). */
  declaredMeta: Set<string>;
}

/** The platform ARGs buildah predefines for every build (this host's). */
export function platformArgs(os: string, arch: string): Map<string, string> {
  const p = `${os}/${arch}`;
  return new Map([
    ["TARGETPLATFORM", p],
    ["TARGETOS", os],
    ["TARGETARCH", arch],
    ["TARGETVARIANT", ""],
    ["BUILDPLATFORM", p],
    ["BUILDOS", os],
    ["BUILDARCH", arch],
    ["BUILDVARIANT", ""],
  ]);
}

/**
 * The stage a `COPY --from=` or `FROM` names among `stages` before `before`: by name (any
 * case) or index. Undefined when none (it is then an image).
 */
export function findStage(stages: Stage[], ref: string, before: number): number | undefined {
  const lower = ref.toLowerCase();
  for (let i = 0; i < before && i < stages.length; i++) {
    if (stages[i].name === lower) return i;
  }
  if (/^\d+$/.test(ref) && Number(ref) < before) return Number(ref);
  return undefined;
}

/**
 * Split `cf` into stages and pick those `target` needs (the last stage without a target).
 *
 * @throws {BuildError} when there is no FROM, an instruction comes before it, or the target
 *   is missing
 */
export function planBuild(
  cf: Containerfile,
  buildArgs: Vars,
  target?: string,
  predefined: Vars = new Map(),
): BuildPlan {
  const metaArgs = new Map<string, string>();
  const declaredMeta = new Set<string>();
  const stages: Stage[] = [];
  let current: Stage | undefined;
  for (const ins of cf.instructions) {
    if (ins.keyword === "FROM") {
      const metaVars = new Map([...predefined, ...metaArgs]);
      const words = splitWords(ins.args, cf.escape);
      if (words.length !== 1 && !(words.length === 3 && words[1].toLowerCase() === "as")) {
        throw new BuildError(`line ${ins.line}: FROM requires one image, optionally "AS name"`);
      }
      const platform = ins.flags.platform && expandWord(ins.flags.platform, metaVars, cf.escape);
      const host = predefined.get("TARGETPLATFORM");
      if (platform && host && platform !== host) {
        throw new BuildError(
          `line ${ins.line}: FROM --platform=${platform}: berth builds only for ${host}`,
        );
      }
      const base = expandWord(words[0], metaVars, cf.escape);
      if (base === "") throw new BuildError(`line ${ins.line}: FROM names no image`);
      const index = stages.length;
      const name = words[2]?.toLowerCase();
      if (name !== undefined && !/^[a-z][a-z0-9-_.]*$/.test(name)) {
        throw new BuildError(`line ${ins.line}: invalid stage name "${words[2]}"`);
      }
      current = {
        index,
        ...(name ? { name } : {}),
        base,
        from: ins,
        instructions: [],
      };
      const baseStage = findStage(stages, base, index);
      if (baseStage !== undefined && !/^\d+$/.test(base)) current.baseStage = baseStage;
      stages.push(current);
      continue;
    }
    if (!current) {
      if (ins.keyword !== "ARG") {
        throw new BuildError(`line ${ins.line}: no FROM before ${ins.keyword}`);
      }
      for (const { name, value } of namedValues("ARG", ins.args, metaArgs, cf.escape)) {
        declaredMeta.add(name);
        const v = buildArgs.get(name) ?? value;
        if (v !== undefined) metaArgs.set(name, v);
      }
      continue;
    }
    current.instructions.push(ins);
  }
  if (stages.length === 0) throw new BuildError("no FROM instruction in the Containerfile");
  let last = stages.length - 1;
  if (target !== undefined) {
    const t = stages.findIndex((s) => s.name === target.toLowerCase());
    if (t === -1) {
      throw new BuildError(`The target "${target}" was not found in the provided Dockerfile`);
    }
    last = t;
  }
  const needed = new Set<number>();
  const visit = (i: number) => {
    if (needed.has(i)) return;
    needed.add(i);
    const s = stages[i];
    if (s.baseStage !== undefined) visit(s.baseStage);
    for (const ins of s.instructions) {
      const from = ins.keyword === "COPY" || ins.keyword === "ADD" ? ins.flags.from : undefined;
      if (from === undefined) continue;
      const dep = findStage(stages, expandWord(from, metaArgs, cf.escape), i);
      if (dep !== undefined) visit(dep);
    }
  };
  visit(last);
  return { stages, needed: [...needed].sort((a, b) => a - b), metaArgs, declaredMeta };
}
