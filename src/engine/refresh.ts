/**
 * The refresh after a reboot. A reboot is detected by the kernel boot id differing from the
 * one stored, or by the run directory having lost its `alive` marker (it lives on tmpfs).
 * Then no container can still be alive: every exit code is cleared, every container that
 * was not `exited` goes back to `created`, and stale runtime state is removed.
 *
 * @module
 */
import { immediate } from "../store/db.ts";
import { listContainers, updateContainer } from "../store/containers.ts";
import { clearExitCodes } from "../store/exit_codes.ts";
import { getMeta, setMeta } from "../store/meta.ts";
import type { Engine } from "./engine.ts";
import { withFileLock } from "../file_lock.ts";
import { containerPaths } from "./paths.ts";
import { stateAfterReboot } from "./states.ts";
import { transition } from "./sync.ts";
import { notifyChange } from "./notify.ts";
import { resolveRuntime, runtimeDelete } from "../oci/runtime.ts";
import { unmountRootfs } from "./rootfs.ts";
import { tearDownAllNetworks } from "./network_attach.ts";
import { log } from "../log.ts";
import { removeIfPresent } from "../fs.ts";

/** The kernel's boot id. */
export function currentBootId(): string {
  try {
    return Deno.readTextFileSync("/proc/sys/kernel/random/boot_id").trim();
  } catch {
    return "unknown";
  }
}

function fresh(engine: Engine, bootId: string): boolean {
  try {
    Deno.statSync(engine.paths.aliveFile);
  } catch {
    return false;
  }
  return getMeta(engine.store, "boot_id") === bootId;
}

/** Refresh if this is the first berth command since a reboot. */
export async function refreshIfRebooted(engine: Engine): Promise<void> {
  const bootId = currentBootId();
  if (fresh(engine, bootId)) return;
  await withFileLock(engine.paths.aliveLock, async () => {
    if (fresh(engine, bootId)) return; // another process refreshed first
    await refresh(engine, bootId);
    Deno.writeTextFileSync(engine.paths.aliveFile, bootId);
  });
}

/** Reset states, clear exit codes, remove stale runtime state; records `bootId`. */
export async function refresh(engine: Engine, bootId = currentBootId()): Promise<void> {
  const reset = immediate(engine.store, () => {
    clearExitCodes(engine.store);
    const changed = [];
    for (const row of listContainers(engine.store)) {
      const next = stateAfterReboot(row.state);
      if (next === row.state && row.pid === 0 && row.conmonPid === 0) continue;
      if (next !== row.state) transition(row, next, engine.now());
      else row.stateSince = engine.now();
      row.pid = 0;
      row.conmonPid = 0;
      updateContainer(engine.store, row);
      changed.push(row);
    }
    setMeta(engine.store, "boot_id", bootId);
    return changed;
  });
  log("info", `refresh: reset ${reset.length} container(s), cleared exit codes`);
  await tearDownAllNetworks(engine);
  for (const row of reset) {
    notifyChange(engine, row.id);
    try {
      await runtimeDelete(
        resolveRuntime(row.spec.runtime, engine.paths.runroot, engine.opts.runtimeFlags),
        row.id,
      );
    } catch { /* nothing left to delete */ }
    await unmountRootfs(engine, row).catch(() => {});
    const p = containerPaths(engine.paths, row.id);
    removeIfPresent(p.exitFile, p.pidFile, p.conmonPidFile);
  }
}
