/**
 * `container prune` and `system prune` go through the one target loop of the CLI: every
 * container that could not be removed gets its own `Error:` line (podman prints them all),
 * the status is 125, and the running ones are left alone without a word.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, sandbox } from "../helpers.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

/**
 * Make the removal of container `id` fail: a mount point inside its directory is busy.
 * Returns the mount point, for the test to unmount.
 */
async function pinDirectory(root: string, id: string): Promise<string> {
  const pin = join(root, "containers", id, "pin");
  Deno.mkdirSync(pin);
  const r = await new Deno.Command("mount", { args: ["-t", "tmpfs", "tmpfs", pin] }).output();
  assertEquals(r.code, 0, "mount tmpfs");
  return pin;
}

Deno.test(
  "prune reports every container it could not remove and skips running ones",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    const pins: string[] = [];
    try {
      const made: string[] = [];
      for (const name of ["a", "b", "c"]) {
        const r = await sb.berth(["create", "--name", name, "--rootfs", rootfs, "true"]);
        assertEquals(r.code, 0, r.stderr);
        made.push(r.stdout.trim());
      }
      const busy = await sb.berth([
        "run",
        "-d",
        "--name",
        "busy",
        "--rootfs",
        rootfs,
        "sleep",
        "60",
      ]);
      assertEquals(busy.code, 0, busy.stderr);
      pins.push(await pinDirectory(sb.root, made[0]));
      pins.push(await pinDirectory(sb.root, made[2]));

      const pruned = await sb.berth(["container", "prune", "-f"]);
      assertEquals([pruned.code, pruned.stdout], [125, `${made[1]}\n`]);
      const errors = pruned.stderr.split("\n").filter((l) => l.startsWith("Error: "));
      assertEquals(errors.length, 2, pruned.stderr);

      const system = await sb.berth(["system", "prune", "-f"]);
      assertEquals(system.code, 125, system.stderr);
      assert(system.stdout.startsWith("Deleted Containers\nDeleted Images\n"), system.stdout);
      assertEquals(system.stderr.split("\n").filter((l) => l.startsWith("Error: ")).length, 2);
      const names = await sb.berth(["ps", "-a", "--format", "{{.Names}}"]);
      assert(names.stdout.includes("busy\n"), names.stdout);
    } finally {
      for (const pin of pins) await new Deno.Command("umount", { args: [pin] }).output();
      await sb.cleanup();
    }
  },
);
