/**
 * The build container of one step: an ordinary berth container on an overlay of the stage's
 * layers, created, started and waited for on the same conmon/runtime path as `run` (a `RUN`
 * step), or only mounted (a `COPY`/`ADD` step writes into it); its overlay upper directory
 * becomes the step's layer. It is always removed afterwards.
 *
 * @module
 */
import { dirname, join } from "../../path.ts";
import type { Engine } from "../engine.ts";
import { createContainer, newContainerId } from "../create.ts";
import { startContainer } from "../start.ts";
import { killContainer } from "../kill.ts";
import { waitForContainer } from "../wait.ts";
import { removeContainer } from "../remove.ts";
import { containerPaths } from "../paths.ts";
import { mountRootfs, unmountRootfs } from "../rootfs.ts";
import { writeUpperTar } from "../commit.ts";
import { openLogPump } from "../../logs/pump.ts";
import type { LogRecord } from "../../logs/k8s_file.ts";
import type { ContainerSpec } from "../../spec.ts";
import type { ContainerRow } from "../../store/containers.ts";
import { parseSignal } from "../../signals.ts";
import { lstatOrNull, removeIfPresent } from "../../fs.ts";
import { resolveUser } from "../../image/user.ts";
import { readFromLayers } from "../../image/user.ts";

/** What a step's container runs in. */
export interface StepRoot {
  /** Layer directories, topmost first (empty for `scratch`). */
  lowers: string[];
  imageId?: string;
  imageName: string;
}

/** What a `RUN` step runs. */
export interface StepProcess {
  command: string[];
  env: string[];
  workdir: string;
  /** The stage's `USER` (resolved in its layers). */
  user: string;
  /** `--network`: host (berth's default) or none. */
  network: "host" | "none";
}

/** The lower of a `scratch` stage: overlayfs needs one, so an empty directory (mode 0555). */
function emptyLower(engine: Engine): string {
  const dir = join(engine.paths.root, "build", "empty");
  Deno.mkdirSync(dir, { recursive: true, mode: 0o555 });
  Deno.chmodSync(dir, 0o555);
  return dir;
}

/**
 * Create the container of a step (not started).
 *
 * @throws {UsageError} when the stage's USER is not in its image
 */
export function createStepContainer(
  engine: Engine,
  root: StepRoot,
  proc: StepProcess,
): ContainerRow {
  const lowers = root.lowers.length ? root.lowers : [emptyLower(engine)];
  const spec: ContainerSpec = {
    command: proc.command,
    rootfs: { kind: "overlay", lowers },
    imageName: root.imageName,
    ...(root.imageId ? { imageId: root.imageId } : {}),
    env: proc.env,
    workdir: proc.workdir || "/",
    user: resolveUser(proc.user, (rel) => readFromLayers(lowers, rel)),
    volumes: [],
    network: proc.network,
    hostname: "",
    timeout: 0,
    readOnly: false,
    autoRemove: false,
    stopSignal: parseSignal("TERM"),
    stopTimeout: 10,
    runtime: engine.opts.runtime,
    sigProxy: true,
  };
  return createContainer(engine, spec, `berth-build-${newContainerId().slice(0, 12)}`);
}

/**
 * Start `row`, stream its output to `onOutput` as conmon logs it, and return its exit code
 * once it has exited and been cleaned up (its upper directory stays until removal).
 */
export async function runStepContainer(
  engine: Engine,
  row: ContainerRow,
  onOutput: (records: LogRecord[]) => Promise<void>,
  signal?: AbortSignal,
): Promise<number> {
  const p = containerPaths(engine.paths, row.id);
  // As a foreground `run`: conmon's cleanup process leaves the cleanup to this process.
  Deno.mkdirSync(dirname(p.attachPidFile), { recursive: true });
  Deno.writeTextFileSync(p.attachPidFile, `${Deno.pid}\n`);
  const pump = openLogPump(p.log, onOutput, 0);
  // An interrupted build kills the step's process; the caller then removes its container.
  const onAbort = () => killContainer(engine, row.id, parseSignal("KILL")).catch(() => {});
  try {
    await startContainer(engine, row.id);
    if (signal?.aborted) await onAbort();
    signal?.addEventListener("abort", onAbort);
    const result = await waitForContainer(engine, row.id, {
      conditions: new Set(["exited"]),
      intervalMs: 250,
      extraWatch: [p.dir],
      cleanupAtOnce: true,
      onTick: () => pump.pump(),
    });
    await pump.pump();
    return result.code;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    pump.close();
    removeIfPresent(p.attachPidFile);
  }
}

/** Mount `row`'s overlay for `fn` (a `COPY`), then release it. */
export async function withStepRoot<T>(
  engine: Engine,
  row: ContainerRow,
  fn: (merged: string) => Promise<T>,
): Promise<T> {
  const merged = await mountRootfs(engine, row);
  try {
    return await fn(merged);
  } finally {
    await unmountRootfs(engine, row);
  }
}

/**
 * Files the runtime made in the upper directory only as mount points for berth's own bind
 * mounts: not the step's changes (buildah leaves them out too). Removed when still empty
 * and absent from the layers below.
 */
const MOUNT_STUBS = ["run/.containerenv"];

/** The link rootfs.ts (linkMtab) gives every started overlay root. */
const MTAB_LINK = "etc/mtab";

/** Write the step's diff (the overlay's upper directory) as a layer tar at `tar` (`mtime`: every entry's time). */
export async function stepLayerTar(
  engine: Engine,
  row: ContainerRow,
  tar: string,
  mtime?: number,
): Promise<void> {
  const upper = containerPaths(engine.paths, row.id).upper;
  const lowers = row.spec.rootfs.kind === "overlay" ? row.spec.rootfs.lowers : [];
  const absentBelow = (rel: string) => !lowers.some((l) => lstatOrNull(join(l, rel)) !== null);
  for (const rel of MOUNT_STUBS) {
    const st = lstatOrNull(join(upper, rel));
    if (!st?.isFile || st.size !== 0 || !absentBelow(rel)) continue;
    Deno.removeSync(join(upper, rel));
  }
  // start's /etc/mtab link (podman's, for running containers): buildah's layers do not carry it.
  const mtab = join(upper, MTAB_LINK);
  if (
    lstatOrNull(mtab)?.isSymlink && Deno.readLinkSync(mtab) === "/proc/mounts" &&
    absentBelow(MTAB_LINK)
  ) Deno.removeSync(mtab);
  await writeUpperTar(upper, tar, mtime);
}

/** Remove a step's container and its files. */
export async function discardStepContainer(engine: Engine, row: ContainerRow): Promise<void> {
  await removeContainer(engine, row.id, { force: true });
}
