/**
 * Command lines for the engines under test: berth, podman (with its own storage) and raw runc.
 * Pure: everything comes from an {@linkcode EngineSetup}.
 *
 * @module
 */

/** Paths and binaries the bench prepared. */
export interface EngineSetup {
  /** The deno binary that runs berth. */
  deno: string;
  /** Absolute path of berth's `main.ts`. */
  berthMain: string;
  berthRoot: string;
  berthRunroot: string;
  /** `--runtime` given to berth (name or path). */
  runtime: string;
  /** podman binary, or `null` if not installed. */
  podman: string | null;
  podmanRoot: string;
  podmanRunroot: string;
  podmanTmpdir: string;
  runc: string;
  /** `runc --root`: a private state dir. */
  runcRoot: string;
  /** The shared busybox root filesystem. */
  rootfs: string;
}

/** The engines compared. */
export type Engine = "berth" | "podman" | "runc";

/** Options of a `run`. */
export interface RunOptions {
  rm?: boolean;
  detach?: boolean;
  /** berth: print the phase trace on stderr. */
  debug?: boolean;
  /**
   * `--network` value for both engines: `none` when absent (the issue compares equal network
   * modes); `default` gives no flag, i.e. each engine's default (berth: host, podman: bridge).
   */
  network?: string;
}

/** `berth [globals] <args…>`. */
export function berthArgv(s: EngineSetup, args: string[], debug = false): string[] {
  return [
    s.deno,
    "run",
    "-A",
    s.berthMain,
    "--root",
    s.berthRoot,
    "--runroot",
    s.berthRunroot,
    "--runtime",
    s.runtime,
    ...(debug ? ["--log-level", "debug"] : []),
    ...args,
  ];
}

/** `podman [globals] <args…>` with private storage and runc; `null` without podman. */
export function podmanArgv(s: EngineSetup, args: string[]): string[] {
  if (!s.podman) throw new Error("podman is not installed");
  return [
    s.podman,
    "--root",
    s.podmanRoot,
    "--runroot",
    s.podmanRunroot,
    "--tmpdir",
    s.podmanTmpdir,
    "--runtime",
    "runc",
    ...args,
  ];
}

/** The ulimits podman needs on this host (its defaults exceed the hard limits). */
export const PODMAN_ULIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"];

/** `ENGINE run [opts] --rootfs R CMD…` for berth or podman. */
export function runArgv(s: EngineSetup, engine: "berth" | "podman", o: RunOptions, cmd: string[]) {
  const flags = [...(o.rm ? ["--rm"] : []), ...(o.detach ? ["-d"] : [])];
  const network = o.network ?? "none";
  const net = network === "default" ? [] : ["--network", network];
  if (engine === "berth") {
    return berthArgv(s, ["run", ...flags, ...net, "--rootfs", s.rootfs, ...cmd], o.debug);
  }
  return podmanArgv(s, ["run", ...flags, ...PODMAN_ULIMITS, ...net, "--rootfs", s.rootfs, ...cmd]);
}

/** `runc --root STATE run --bundle B ID`: create, start, wait and delete in one call. */
export function runcRunArgv(s: EngineSetup, bundle: string, id: string): string[] {
  return [s.runc, "--root", s.runcRoot, "run", "--bundle", bundle, id];
}

/** True if `args` (a command line) is a berth process: deno running berth's `main.ts`. */
export function isBerthProcess(args: readonly string[], berthMain: string): boolean {
  if (args.length < 2 || !/(^|\/)deno$/.test(args[0])) return false;
  return args.some((a) =>
    a === berthMain || a === `file://${berthMain}` ||
    (a.endsWith("/main.ts") && !a.endsWith("/bench/main.ts"))
  );
}

/** True if `args` is a podman process (the CLI or its `container cleanup` exit command). */
export function isPodmanProcess(args: readonly string[]): boolean {
  return args.length > 0 && /(^|\/)podman$/.test(args[0]);
}
