/**
 * `berth build [flags] [CONTEXT]`: build an image from a Containerfile, printing podman's
 * progress (`STEP 1/7: FROM …`, `--> ID`, `COMMIT NAME`) and the image's full ID.
 *
 * @module
 */
import * as posix from "../../path.ts";
import { bool, list, type Parsed, str } from "../args.ts";
import { type Command, errOut, out } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { type GlobalOptions, openEngine } from "../../engine/context.ts";
import { forwardSignals } from "../forward_signals.ts";
import { type BuildEvent, buildImage } from "../../engine/build/build.ts";
import { toStdio } from "../../logs/pump.ts";
import { parsePlatform } from "../../image/manifest.ts";
import { goArch } from "../../platform.ts";
import type { PullPolicy } from "../../image/types.ts";
import type { PullOptions } from "../../image/pull.ts";
import { pullProgress } from "./progress.ts";
import { REGISTRY_FLAGS } from "./registry_flags.ts";
import { registryOptions } from "./common.ts";

/** `KEY=VALUE` flags (`--build-arg`, `--label`); a `--build-arg KEY` takes berth's `$KEY`. */
function pairs(values: string[], flag: string, fromEnv: boolean): Map<string, string> {
  const m = new Map<string, string>();
  for (const v of values) {
    const eq = v.indexOf("=");
    if (eq === -1) {
      if (!fromEnv) throw new UsageError(`invalid ${flag} "${v}": use KEY=VALUE`);
      const env = Deno.env.get(v);
      if (env !== undefined) m.set(v, env);
      continue;
    }
    if (eq === 0) throw new UsageError(`invalid ${flag} "${v}": the key is empty`);
    m.set(v.slice(0, eq), v.slice(eq + 1));
  }
  return m;
}

/** `--pull`: podman's words (`true` = always, `false` = missing). */
function pullPolicy(text: string | undefined): PullPolicy {
  switch (text ?? "missing") {
    case "missing":
    case "false":
      return "missing";
    case "always":
    case "true":
      return "always";
    case "never":
      return "never";
  }
  throw new UsageError(`invalid --pull "${text}": use always, missing or never`);
}

/** The Containerfile's text: `-f FILE`, `-f -` (stdin), or CONTEXT's Containerfile/Dockerfile. */
async function readContainerfile(p: Parsed, context: string): Promise<string> {
  const file = str(p, "file");
  if (file === "-") return await new Response(Deno.stdin.readable).text();
  // A relative -f is looked for in the working directory, then in the context (podman).
  const candidates = file !== undefined
    ? (posix.isAbsolute(file) ? [file] : [file, posix.join(context, file)])
    : [posix.join(context, "Containerfile"), posix.join(context, "Dockerfile")];
  for (const c of candidates) {
    try {
      return Deno.readTextFileSync(c);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) continue;
      throw new UsageError(`reading Containerfile ${c}: ${(err as Error).message}`);
    }
  }
  if (file !== undefined) throw new UsageError(`the Containerfile ${file} does not exist`);
  throw new UsageError(`no Containerfile or Dockerfile found in context directory ${context}`);
}

/** Print build events as podman does; with `-q` only a RUN's own output. */
function printer(quiet: boolean): (e: BuildEvent) => Promise<void> {
  return async (e) => {
    if (e.kind === "output") return await toStdio(e.records);
    if (e.kind === "warning") return await errOut(`[Warning] ${e.message}\n`);
    if (quiet) return;
    switch (e.kind) {
      case "step": {
        const stage = e.stages ? `[${e.stage}/${e.stages}] ` : "";
        return await out(`${stage}STEP ${e.step}/${e.steps}: ${e.text}\n`);
      }
      case "cached":
        return await out(`--> Using cache ${e.id}\n`);
      case "stepDone":
        return await out(`--> ${e.id.slice(0, 11)}\n`);
      case "commit":
        return await out(`COMMIT ${e.names[0] ?? ""}\n`.replace(/ \n$/, "\n"));
      case "tagged":
        return await out(`Successfully tagged ${e.name}\n`);
    }
  };
}

/** `build`: an image from a Containerfile; prints its full ID last. */
export const buildCommand: Command = {
  flags: {
    tag: {
      type: "string",
      short: "t",
      multiple: true,
      value: "NAME",
      help: "A name for the image (repeatable); without one the image is left unnamed",
    },
    file: {
      type: "string",
      short: "f",
      value: "FILE",
      help: "The Containerfile (- reads it from stdin)",
      defaultText: '"CONTEXT/Containerfile", else "CONTEXT/Dockerfile"',
    },
    "build-arg": {
      type: "string",
      multiple: true,
      value: "KEY=VALUE",
      help: "A value for an ARG of the Containerfile (KEY alone: berth's own $KEY)",
    },
    target: { type: "string", value: "STAGE", help: "Build up to this stage and stop" },
    "no-cache": {
      type: "boolean",
      help: "Carry out every step, not reusing images of earlier builds",
    },
    pull: {
      type: "string",
      value: "policy",
      help: "When to pull a base image: missing, always or never",
      defaultText: '"missing"',
    },
    label: {
      type: "string",
      multiple: true,
      value: "KEY=VALUE",
      help: "A label for the image (repeatable)",
    },
    format: {
      type: "string",
      value: "format",
      help:
        "The config's format: oci, or docker to keep SHELL, HEALTHCHECK and ONBUILD in it (podman's rule; the manifest is OCI either way)",
      defaultText: '"oci"',
    },
    layers: {
      type: "boolean",
      default: true,
      help: "Reuse cached images of earlier builds' steps (false: build every step)",
    },
    quiet: {
      type: "boolean",
      short: "q",
      help: "Print only the image's ID (and the output of RUN steps)",
    },
    platform: {
      type: "string",
      value: "OS/ARCH",
      help: "The platform to build for: only the host's is supported",
    },
    timestamp: {
      type: "string",
      value: "SECONDS",
      help:
        "Give the image's creation time, history and every layer file this time (seconds since the epoch): the same inputs then make the same image ID (default: $SOURCE_DATE_EPOCH when set)",
    },
    network: {
      type: "string",
      value: "mode",
      help: "The network of RUN steps: host or none",
      defaultText: '"host"',
    },
    ...REGISTRY_FLAGS,
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    if (p.positionals.length > 1) {
      throw new UsageError(`build takes one context directory, got ${p.positionals.length}`);
    }
    // `build -`, as podman: the Containerfile comes from stdin and the context is empty.
    const fromStdin = p.positionals[0] === "-";
    if (fromStdin && str(p, "file") !== undefined) {
      throw new UsageError("build -: the Containerfile comes from stdin, so -f cannot be used");
    }
    const context = fromStdin
      ? Deno.makeTempDirSync({ prefix: "berth-build-ctx-" })
      : p.positionals[0] ?? ".";
    try {
      return await build(global, p, context, fromStdin);
    } finally {
      if (fromStdin) Deno.removeSync(context, { recursive: true });
    }
  },
};

/** The build itself, once the context directory is settled. */
async function build(
  global: GlobalOptions,
  p: Parsed,
  context: string,
  fromStdin: boolean,
): Promise<number> {
  try {
    if (!Deno.statSync(context).isDirectory) throw new Error("not a directory");
  } catch (err) {
    throw new UsageError(`context directory ${context}: ${(err as Error).message}`);
  }
  const format = str(p, "format") ?? "oci";
  if (format !== "oci" && format !== "docker") {
    throw new UsageError(`unrecognized image type "${format}": use oci or docker`);
  }
  const platform = str(p, "platform");
  if (platform !== undefined) {
    const want = parsePlatform(platform);
    if (want.os !== "linux" || want.architecture !== goArch()) {
      throw new UsageError(`--platform ${platform}: berth builds only for linux/${goArch()}`);
    }
  }
  const network = str(p, "network") ?? "host";
  if (network !== "host" && network !== "none") {
    throw new UsageError(`invalid --network "${network}" for build: use host or none`);
  }
  const quiet = bool(p, "quiet");
  const ts = str(p, "timestamp") ?? Deno.env.get("SOURCE_DATE_EPOCH");
  if (ts !== undefined && !/^\d+$/.test(ts)) {
    throw new UsageError(`invalid --timestamp "${ts}": use seconds since the epoch`);
  }
  const timestamp = ts === undefined ? undefined : Number(ts);
  const containerfile = fromStdin
    ? await new Response(Deno.stdin.readable).text()
    : await readContainerfile(p, context);
  // pull's registry flags, per base image's registry (--authfile, --creds, --tls-verify, …).
  const onEvent = pullProgress(Deno.stderr.isTerminal(), quiet);
  const pullOptions = (registry: string): Partial<PullOptions> => ({
    ...registryOptions(global, p, registry),
    onEvent,
  });
  const engine = await openEngine(global);
  // ^C or a TERM stops the running step and removes its container instead of leaving it.
  const abort = new AbortController();
  const stopListening = forwardSignals(() => abort.abort());
  let row;
  try {
    row = await buildImage(engine, {
      contextDir: context,
      containerfile,
      tags: list(p, "tag"),
      buildArgs: pairs(list(p, "build-arg"), "--build-arg", true),
      target: str(p, "target"),
      noCache: bool(p, "no-cache"),
      layers: p.values.layers !== false,
      pull: pullPolicy(str(p, "pull")),
      pullOptions,
      labels: Object.fromEntries(pairs(list(p, "label"), "--label", false)),
      format,
      network,
      onEvent: printer(quiet),
      signal: abort.signal,
      ...(timestamp !== undefined ? { timestamp } : {}),
    });
  } finally {
    stopListening();
  }
  await out(`${row.id}\n`);
  return 0;
}
