/**
 * Named volumes: directories under `<root>/volumes/<name>/_data` that outlive the containers
 * mounting them (Docker's `local` driver). A volume's labels and options sit beside its data
 * in `volume.json`. A bind source that is a name, not a path (`cache:/cache`), is a named
 * volume, created on first use.
 *
 * There is no table for them: the directory is the record, and `mkdir` of it is the atomic
 * "create if absent" two concurrent creators need.
 *
 * @module
 */
import { join } from "../path.ts";
import { ConflictError, NoSuchVolumeError, UsageError } from "../errors.ts";
import type { Engine } from "./engine.ts";
import type { VolumeSpec } from "../spec.ts";
import { listContainers } from "../store/containers.ts";

/** What berth knows of one volume. */
export interface Volume {
  name: string;
  /** The directory containers mount. */
  mountpoint: string;
  labels: Record<string, string>;
  options: Record<string, string>;
  /** RFC 3339. */
  createdAt: string;
}

/** Docker's rule for volume names (the same as for container names). */
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Whether a bind source names a volume rather than a host path. */
export function isVolumeName(source: string): boolean {
  return NAME_RE.test(source);
}

/** Where the volumes live. */
export function volumesDir(engine: Engine): string {
  return join(engine.paths.root, "volumes");
}

function volumeDir(engine: Engine, name: string): string {
  if (!isVolumeName(name)) {
    throw new UsageError(
      `invalid volume name "${name}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`,
    );
  }
  return join(volumesDir(engine), name);
}

/** The volume `name`, or undefined. */
export function getVolume(engine: Engine, name: string): Volume | undefined {
  const dir = volumeDir(engine, name);
  let meta: Partial<Volume> = {};
  try {
    if (!Deno.statSync(join(dir, "_data")).isDirectory) return undefined;
  } catch {
    return undefined;
  }
  try {
    meta = JSON.parse(Deno.readTextFileSync(join(dir, "volume.json")));
  } catch { /* its creator is still writing it */ }
  return {
    name,
    mountpoint: join(dir, "_data"),
    labels: meta.labels ?? {},
    options: meta.options ?? {},
    createdAt: meta.createdAt ?? new Date(Deno.statSync(dir).mtime ?? 0).toISOString(),
  };
}

/**
 * The volume `name`.
 *
 * @throws {NoSuchVolumeError}
 */
export function requireVolume(engine: Engine, name: string): Volume {
  const v = getVolume(engine, name);
  if (!v) throw new NoSuchVolumeError(name);
  return v;
}

/** A fresh 64-hex name for an anonymous volume. */
export function anonymousVolumeName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Create volume `name` (a random one when absent); an existing volume is returned as it is,
 * as Docker does.
 *
 * @throws {UsageError} for an invalid name
 */
export function createVolume(
  engine: Engine,
  name: string | undefined,
  labels: Record<string, string> = {},
  options: Record<string, string> = {},
): Volume {
  const n = name || anonymousVolumeName();
  const dir = volumeDir(engine, n);
  Deno.mkdirSync(volumesDir(engine), { recursive: true, mode: 0o700 });
  try {
    Deno.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
    const existing = getVolume(engine, n);
    if (existing) return existing;
  }
  const createdAt = new Date(engine.now()).toISOString();
  const tmp = join(dir, `volume.json.${crypto.randomUUID()}`);
  Deno.writeTextFileSync(tmp, JSON.stringify({ labels, options, createdAt }));
  Deno.renameSync(tmp, join(dir, "volume.json"));
  // Last: the data directory is what makes the volume exist for readers.
  Deno.mkdirSync(join(dir, "_data"), { recursive: true, mode: 0o755 });
  return getVolume(engine, n)!;
}

/** Every volume, by name. */
export function listVolumes(engine: Engine): Volume[] {
  const out: Volume[] = [];
  try {
    for (const e of Deno.readDirSync(volumesDir(engine))) {
      if (!e.isDirectory || !isVolumeName(e.name)) continue;
      const v = getVolume(engine, e.name);
      if (v) out.push(v);
    }
  } catch { /* no volume yet */ }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The IDs of the containers that mount `v`. */
export function volumeUsers(engine: Engine, v: Volume): string[] {
  return listContainers(engine.store)
    .filter((c) => c.spec.volumes.some((m) => m.source === v.mountpoint))
    .map((c) => c.id);
}

/**
 * Remove volume `name` and its data. With `force` a missing volume is not an error (as
 * Docker); a volume a container mounts is never removed (but by container `owner`, whose
 * removal takes it along).
 *
 * @throws {NoSuchVolumeError} / {ConflictError} (in use)
 */
export async function removeVolume(
  engine: Engine,
  name: string,
  force: boolean,
  owner?: string,
): Promise<void> {
  const v = getVolume(engine, name);
  if (!v) {
    if (force) return;
    throw new NoSuchVolumeError(name);
  }
  const users = volumeUsers(engine, v).filter((id) => id !== owner);
  if (users.length) {
    throw new ConflictError(`remove ${name}: volume is in use - [${users.join(", ")}]`);
  }
  // Renamed away first, so a half-removed volume is never found (nor mounted) again.
  const doomed = join(volumesDir(engine), `.removing-${crypto.randomUUID()}`);
  Deno.renameSync(join(volumesDir(engine), name), doomed);
  await Deno.remove(doomed, { recursive: true });
}

/** The label Docker (23+) puts on anonymous volumes, and prunes by. */
export const ANONYMOUS_LABEL = "com.docker.volume.anonymous";

/** Whether `v` was made anonymous, for one container. */
export function isAnonymous(v: Volume): boolean {
  return ANONYMOUS_LABEL in v.labels;
}

/**
 * `volumes` with each named-volume source replaced by its directory (created on first use;
 * an anonymous one with {@linkcode ANONYMOUS_LABEL}).
 */
export function resolveNamedVolumes(engine: Engine, volumes: VolumeSpec[]): VolumeSpec[] {
  return volumes.map((v) => {
    if (!isVolumeName(v.source)) return v;
    const labels: Record<string, string> = v.anonymous ? { [ANONYMOUS_LABEL]: "" } : {};
    return { ...v, source: createVolume(engine, v.source, labels).mountpoint };
  });
}

/** The volume name of a resolved mount source, if it is a volume's directory. */
function volumeNameOf(engine: Engine, source: string): string | undefined {
  const m = /^([^/]+)\/_data$/.exec(source.slice(volumesDir(engine).length + 1));
  return source.startsWith(volumesDir(engine) + "/") && m ? m[1] : undefined;
}

/**
 * Remove the anonymous volumes of container `owner` (being removed, or removed) that no
 * other container mounts, as Docker's `rm -v` and `--rm` do; named volumes stay. Returns the
 * names removed.
 */
export async function removeAnonymousVolumes(
  engine: Engine,
  owner: { id: string; spec: { volumes: VolumeSpec[] } },
): Promise<string[]> {
  const removed: string[] = [];
  for (const m of owner.spec.volumes) {
    const name = m.anonymous ? volumeNameOf(engine, m.source) : undefined;
    const v = name ? getVolume(engine, name) : undefined;
    if (!v || !isAnonymous(v)) continue;
    if (volumeUsers(engine, v).some((id) => id !== owner.id)) continue;
    await removeVolume(engine, v.name, true, owner.id);
    removed.push(v.name);
  }
  return removed;
}
