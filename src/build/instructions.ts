/**
 * The instructions that change only the image config (pure): `ENV`, `ARG`, `LABEL`,
 * `WORKDIR`, `USER`, `ENTRYPOINT`, `CMD`, `EXPOSE`, `VOLUME`, `SHELL`, `STOPSIGNAL`,
 * `HEALTHCHECK`, `ONBUILD`, `MAINTAINER`, applied to a stage's state by Docker's rules, and
 * the variables an instruction sees (its stage's ARGs under its ENV).
 *
 * @module
 */
import * as posix from "../path.ts";
import { BuildError } from "../errors.ts";
import { expandWord, namedValues, splitWords, type Vars } from "./expand.ts";
import type { Instruction } from "./parse.ts";

/** A build's image run config (docker's field names). */
export interface BuildConfig {
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, Record<string, never>>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  Healthcheck?: {
    Test: string[];
    Interval?: number;
    Timeout?: number;
    StartPeriod?: number;
    Retries?: number;
  };
  OnBuild?: string[];
  Shell?: string[];
  [key: string]: unknown;
}

/** A stage while it is built. */
export interface StageState {
  config: BuildConfig;
  /** ARGs declared in this stage, with their values. */
  args: Map<string, string>;
  /** `CMD` was set in this stage (an `ENTRYPOINT` then keeps it). */
  cmdSet: boolean;
  /** `MAINTAINER` */
  author?: string;
  escape: string;
}

/** The default shell of shell-form instructions. */
export const DEFAULT_SHELL = ["/bin/sh", "-c"];
/** The PATH buildah gives an image whose base sets none. */
export const DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Proxy ARGs that need no declaration (Docker's predefined ARGs). */
export const PROXY_ARGS = new Set([
  "HTTP_PROXY",
  "http_proxy",
  "HTTPS_PROXY",
  "https_proxy",
  "FTP_PROXY",
  "ftp_proxy",
  "NO_PROXY",
  "no_proxy",
  "ALL_PROXY",
  "all_proxy",
]);

/** The variables an instruction of the stage expands with: ARGs, then ENV over them. */
export function stageVars(state: StageState): Map<string, string> {
  const vars = new Map(state.args);
  for (const e of state.config.Env ?? []) {
    const eq = e.indexOf("=");
    vars.set(eq === -1 ? e : e.slice(0, eq), eq === -1 ? "" : e.slice(eq + 1));
  }
  return vars;
}

/** `NAME=value` environment entries of the ARGs an ENV entry does not override (for RUN). */
export function argEnv(state: StageState): string[] {
  const envNames = new Set((state.config.Env ?? []).map((e) => e.split("=", 1)[0]));
  return [...state.args].filter(([k]) => !envNames.has(k)).map(([k, v]) => `${k}=${v}`);
}

/** The shell or exec form of `ins` as an argv (shell form: the stage's SHELL + the text). */
export function commandOf(ins: Instruction, state: StageState): string[] {
  return ins.json ?? [...(state.config.Shell ?? DEFAULT_SHELL), ins.args];
}

function setEnv(config: BuildConfig, name: string, value: string): void {
  const env = [...(config.Env ?? [])];
  const i = env.findIndex((e) => e.split("=", 1)[0] === name);
  if (i === -1) env.push(`${name}=${value}`);
  else env[i] = `${name}=${value}`;
  config.Env = env;
}

/** A Go duration (`30s`, `1m30s`, `500ms`) in nanoseconds. */
export function parseDuration(text: string, line: number): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(text)) !== null) {
    total += Number(m[1]) * units[m[2]];
    pos = re.lastIndex;
  }
  if (pos !== text.length || text === "") {
    throw new BuildError(`line ${line}: invalid duration "${text}"`);
  }
  return Math.round(total);
}

function words(ins: Instruction, vars: Vars, escape: string): string[] {
  return (ins.json ?? splitWords(ins.args, escape)).map((w) =>
    ins.json ? expandWord(w.replace(/\\/g, "\\\\"), vars, escape) : expandWord(w, vars, escape)
  );
}

/**
 * Apply a config-only instruction to `state` in place. `buildArgs` and `metaArgs` give ARG
 * values (`--build-arg` first, then the declared default, then a meta ARG of the name).
 *
 * @throws {BuildError} on malformed arguments (the message names the line)
 */
export function applyConfigInstruction(
  ins: Instruction,
  state: StageState,
  buildArgs: Vars,
  metaArgs: Vars,
): void {
  try {
    applyOne(ins, state, buildArgs, metaArgs);
  } catch (err) {
    if (err instanceof BuildError && !/^line \d+:/.test(err.message)) {
      throw new BuildError(`line ${ins.line}: ${ins.keyword}: ${err.message}`);
    }
    throw err;
  }
}

function applyOne(ins: Instruction, state: StageState, buildArgs: Vars, metaArgs: Vars): void {
  const c = state.config;
  const vars = stageVars(state);
  const esc = state.escape;
  switch (ins.keyword) {
    case "ENV":
      for (const { name, value } of namedValues("ENV", ins.args, vars, esc)) {
        // Every value of the line was expanded with the variables before it, as Docker's.
        setEnv(c, name, value ?? "");
      }
      return;
    case "ARG":
      for (const { name, value } of namedValues("ARG", ins.args, vars, esc)) {
        const v = buildArgs.get(name) ?? value ?? metaArgs.get(name);
        if (v !== undefined) state.args.set(name, v);
        else state.args.delete(name);
      }
      return;
    case "LABEL": {
      const labels = { ...(c.Labels ?? {}) };
      for (const { name, value } of namedValues("LABEL", ins.args, vars, esc)) {
        labels[name] = value ?? "";
      }
      c.Labels = labels;
      return;
    }
    case "WORKDIR": {
      const dir = expandWord(ins.args, vars, esc);
      if (dir === "") throw new BuildError("WORKDIR requires exactly one argument");
      c.WorkingDir = posix.resolve(c.WorkingDir || "/", dir);
      return;
    }
    case "USER": {
      const user = expandWord(ins.args, vars, esc);
      if (user === "") throw new BuildError("USER requires exactly one argument");
      c.User = user;
      return;
    }
    case "ENTRYPOINT":
      c.Entrypoint = ins.json ?? [...(c.Shell ?? DEFAULT_SHELL), ins.args];
      if (!state.cmdSet) c.Cmd = null; // docker: an ENTRYPOINT drops an inherited CMD
      return;
    case "CMD":
      c.Cmd = ins.json ?? [...(c.Shell ?? DEFAULT_SHELL), ins.args];
      state.cmdSet = true;
      return;
    case "EXPOSE": {
      const ports = { ...(c.ExposedPorts ?? {}) };
      for (const w of words(ins, vars, esc)) {
        if (!/^\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/i.test(w)) {
          throw new BuildError(`invalid containerPort: ${w}`);
        }
        ports[w.includes("/") ? w.toLowerCase() : `${w}/tcp`] = {};
      }
      c.ExposedPorts = ports;
      return;
    }
    case "VOLUME": {
      const vols = { ...(c.Volumes ?? {}) };
      const list = words(ins, vars, esc);
      if (list.length === 0) throw new BuildError("VOLUME requires at least one argument");
      for (const v of list) vols[v] = {};
      c.Volumes = vols;
      return;
    }
    case "SHELL":
      if (!ins.json || ins.json.length === 0) {
        throw new BuildError("SHELL requires the arguments to be in JSON form");
      }
      c.Shell = ins.json;
      return;
    case "STOPSIGNAL":
      c.StopSignal = expandWord(ins.args, vars, esc);
      return;
    case "MAINTAINER":
      state.author = ins.args;
      return;
    case "ONBUILD": {
      const m = /^(\S+)/.exec(ins.args);
      const kw = m?.[1].toUpperCase();
      if (!kw) throw new BuildError("ONBUILD requires an instruction");
      if (kw === "ONBUILD" || kw === "FROM" || kw === "MAINTAINER") {
        throw new BuildError(`${kw} isn't allowed as an ONBUILD trigger`);
      }
      c.OnBuild = [...(c.OnBuild ?? []), ins.args];
      return;
    }
    case "HEALTHCHECK":
      c.Healthcheck = healthcheck(ins);
      return;
  }
  throw new BuildError(`${ins.keyword} does not only change the config`);
}

function healthcheck(ins: Instruction): BuildConfig["Healthcheck"] {
  const m = /^(\S+)\s*(.*)$/s.exec(ins.args);
  const kind = m?.[1].toUpperCase();
  if (kind === "NONE") return { Test: ["NONE"] };
  if (kind !== "CMD") throw new BuildError(`HEALTHCHECK: unknown type "${m?.[1] ?? ""}"`);
  const rest = m![2].trim();
  const json = rest.startsWith("[") ? JSON.parse(rest) as string[] : undefined;
  const hc: NonNullable<BuildConfig["Healthcheck"]> = {
    Test: json ? ["CMD", ...json] : ["CMD-SHELL", rest],
  };
  const f = ins.flags;
  if (f.interval) hc.Interval = parseDuration(f.interval, ins.line);
  if (f.timeout) hc.Timeout = parseDuration(f.timeout, ins.line);
  if (f["start-period"]) hc.StartPeriod = parseDuration(f["start-period"], ins.line);
  if (f.retries) hc.Retries = Number(f.retries);
  return hc;
}

/** The history `created_by` of an instruction, as buildah writes it. */
export function createdBy(ins: Instruction, state: StageState, detail?: string): string {
  if (ins.keyword === "RUN") return commandOf(ins, state).join(" ");
  const shell = (state.config.Shell ?? DEFAULT_SHELL).join(" ");
  return `${shell} #(nop) ${detail ?? ins.text}`;
}
