/**
 * The test harness cleans up after itself: the busybox rootfs a test module builds is there
 * for all its tests and gone once the module ends (no `/tmp/berth-bb-*` left per process).
 */
import { dirname, join } from "node:path";
import { assert, assertEquals } from "./assert.ts";

Deno.test("the shared busybox rootfs is removed when the test module ends", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "berth-helpers-" });
  try {
    const helpers = new URL("../helpers.ts", import.meta.url).href;
    const record = join(dir, "rootfs-path");
    Deno.writeTextFileSync(
      join(dir, "uses_rootfs_test.ts"),
      `import { busyboxRootfs } from ${JSON.stringify(helpers)};
Deno.test("uses the rootfs", async () => {
  const a = await busyboxRootfs();
  const b = await busyboxRootfs();
  if (a !== b) throw new Error("built twice");
  Deno.statSync(a + "/bin/sh");
  Deno.writeTextFileSync(${JSON.stringify(record)}, a);
});
`,
    );
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["test", "-A", "--no-config", join(dir, "uses_rootfs_test.ts")],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(
      r.code,
      0,
      new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr),
    );
    const rootfs = Deno.readTextFileSync(record);
    assert(rootfs.endsWith("/rootfs"), rootfs);
    let left = true;
    try {
      Deno.statSync(dirname(rootfs));
    } catch (err) {
      left = !(err instanceof Deno.errors.NotFound);
    }
    assert(!left, `${dirname(rootfs)} was left behind`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
