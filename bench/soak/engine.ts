/**
 * The engine under soak, behind one shape: a runner bound to a private store (the test
 * harness's sandbox for berth, the same shape for podman 4.3 with `--runtime runc`), and
 * where that engine keeps runtime state, exit files and cgroups.
 *
 * @module
 */
import { join } from "node:path";
import { type RunOptions, type Sandbox, sandbox } from "../../tests/helpers.ts";
import { PODMAN_ULIMITS } from "../engines.ts";
import type { EngineName } from "./plan.ts";

/** An engine with its private store. */
export interface SoakEngine {
  name: EngineName;
  sb: Sandbox;
  /** Extra flags for every `run`. */
  runFlags: string[];
  /** `runc --root` where the engine's containers live. */
  stateRoot: string;
  /** Where conmon writes exit files. */
  exitsDir: string;
  /** The cgroup directory (below a controller) of container `id`. */
  cgroupDir(id: string): string;
  /** True if the engine keeps a SQLite database (integrity checks). */
  sqlite: boolean;
  /** The soak's bridge network, once {@linkcode addBridge} made it. */
  bridge?: Bridge;
  /** Containers already counted as left over (a later iteration does not count them again). */
  counted: Set<string>;
}

/** A bridge network of the soak. */
export interface Bridge {
  name: string;
  /** The host's bridge interface (where the containers' veths are enslaved). */
  iface: string;
}

/** The soak's default test subnet (nothing else on this machine uses 10.213.0.0/16). */
export const SOAK_SUBNET = "10.213.7.0/24";

/**
 * Create the soak's bridge network (no DNS: no aardvark-dns process outliving an iteration)
 * on `subnet`, and note it in `eng.bridge`. Two soaks at once need two subnets.
 *
 * @throws {Error} if the engine refuses
 */
export async function addBridge(
  eng: SoakEngine,
  subnet = SOAK_SUBNET,
  name = "soak-net",
): Promise<Bridge> {
  const c = await eng.sb.berth(["network", "create", "--disable-dns", "--subnet", subnet, name]);
  if (c.code !== 0) throw new Error(`network create: ${c.stderr}`);
  const i = await eng.sb.berth(["network", "inspect", name]);
  if (i.code !== 0) throw new Error(`network inspect: ${i.stderr}`);
  const iface = JSON.parse(i.stdout)[0]?.network_interface;
  if (typeof iface !== "string") throw new Error(`network inspect: no interface: ${i.stdout}`);
  eng.bridge = { name, iface };
  return eng.bridge;
}

/** Remove the soak's bridge network (the interface goes with its last container). */
export async function removeBridge(eng: SoakEngine): Promise<void> {
  if (!eng.bridge) return;
  await eng.sb.berth(["network", "rm", "-f", eng.bridge.name]);
  eng.bridge = undefined;
}

/** berth through the test harness's sandbox (a private `--root`/`--runroot`). */
export function berthEngine(): SoakEngine {
  const sb = sandbox("berth-soak-");
  return {
    name: "berth",
    sb,
    runFlags: [],
    stateRoot: join(sb.runroot, "runtime", "runc"),
    exitsDir: join(sb.runroot, "exits"),
    cgroupDir: (id) => `berth/${id}`,
    sqlite: true,
    counted: new Set(),
  };
}

/** podman with private storage, `--runtime runc`, the ulimits it needs here, no network. */
export function podmanEngine(): SoakEngine {
  const dir = Deno.makeTempDirSync({ prefix: "podman-soak-" });
  const root = join(dir, "root");
  const runroot = join(dir, "run");
  const tmpdir = join(dir, "tmp");
  const global = ["--root", root, "--runroot", runroot, "--tmpdir", tmpdir, "--runtime", "runc"];
  const spawn = (args: string[], opts: RunOptions = {}) =>
    new Deno.Command("podman", {
      args: [...(opts.global ?? global), ...args],
      cwd: opts.cwd,
      env: opts.env,
      stdin: opts.input === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  const berth = async (args: string[], opts: RunOptions = {}) => {
    const child = spawn(args, opts);
    const out = await child.output();
    const dec = new TextDecoder();
    return {
      code: out.code,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
      stdoutBytes: out.stdout,
    };
  };
  const sb: Sandbox = {
    dir,
    root,
    runroot,
    global,
    berth,
    spawn,
    async cleanup() {
      await berth(["rm", "-af", "-t", "0"]);
      await new Deno.Command("podman", { args: [...global, "system", "reset", "-f"] }).output()
        .catch(() => {});
      await new Deno.Command("umount", { args: ["-R", root], stderr: "null" }).output()
        .catch(() => {});
      Deno.removeSync(dir, { recursive: true });
    },
  };
  return {
    name: "podman",
    sb,
    runFlags: [...PODMAN_ULIMITS, "--network", "none"],
    // As root, podman leaves runc at its default state root, shared with every podman here.
    stateRoot: "/run/runc",
    exitsDir: join(tmpdir, "exits"),
    cgroupDir: (id) => `libpod_parent/libpod-${id}`,
    sqlite: false,
    counted: new Set(),
  };
}
