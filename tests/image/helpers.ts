/**
 * Shared test setup: a throwaway berth root with an open store and image context.
 *
 * @module
 */
import { join } from "node:path";
import { openStore } from "../../src/store/db.ts";
import { imagePaths } from "../../src/image/paths.ts";
import type { ImageCtx } from "../../src/image/store.ts";

/** A temp dir removed (after unmounting anything under it) by `cleanup`. */
export interface TestRoot {
  dir: string;
  ctx: ImageCtx;
  cleanup(): Promise<void>;
}

/** Make a fresh berth root with an image context. */
export function testRoot(): TestRoot {
  const dir = Deno.makeTempDirSync({ prefix: "berth-img-" });
  const root = join(dir, "root");
  Deno.mkdirSync(root);
  const store = openStore(join(root, "berth.db"));
  const ctx: ImageCtx = { store, paths: imagePaths(root), now: Date.now };
  return {
    dir,
    ctx,
    async cleanup() {
      store.db.close();
      const mounts = Deno.readTextFileSync("/proc/self/mounts").split("\n")
        .map((l) => l.split(" ")[1]).filter((m) => m?.startsWith(dir)).reverse();
      for (const m of mounts) {
        await new Deno.Command("umount", { args: [m] }).output();
      }
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Mount an overlay of `lowers` (topmost first) at `<dir>/merged`; returns the mount point. */
export async function mountOverlay(dir: string, lowers: string[]): Promise<string> {
  const [upper, work, merged] = ["upper", "work", "merged"].map((n) => join(dir, n));
  for (const d of [upper, work, merged]) Deno.mkdirSync(d, { recursive: true });
  const out = await new Deno.Command("mount", {
    args: [
      "-t",
      "overlay",
      "overlay",
      "-o",
      `lowerdir=${lowers.join(":")},upperdir=${upper},workdir=${work}`,
      merged,
    ],
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`mount failed: ${new TextDecoder().decode(out.stderr)}`);
  return merged;
}
