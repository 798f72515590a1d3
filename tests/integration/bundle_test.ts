/**
 * `deno task bundle` (issue #13, lever 1): berth bundled into dist/bundle/main.js plus lazily
 * loaded chunks starts faster than the module graph. The bundle must be berth itself: a
 * foreground `run --rm` and a detached `run --rm` whose cleanup is conmon's exit command,
 * which then runs the bundle (Deno.mainModule) with the same global flags.
 */
import { assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, sandbox } from "../helpers.ts";
import { join } from "../../src/path.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test(
  "the bundle from `deno task bundle` runs containers and cleans them up",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    const out = join(sb.dir, "bundle");
    try {
      const tasks = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json"))).tasks;
      const argv = (tasks.bundle as string).split(" ").map((a) => a === "dist/bundle" ? out : a);
      assertEquals(argv.slice(0, 2), ["deno", "bundle"]);
      const built = await new Deno.Command(Deno.execPath(), { args: argv.slice(1), cwd: ROOT })
        .output();
      assertEquals(built.code, 0, new TextDecoder().decode(built.stderr));
      const berth = async (args: string[]) => {
        const r = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", "--no-config", join(out, "main.js"), ...sb.global, ...args],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const dec = new TextDecoder();
        return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
      };
      const fg = await berth([
        "run",
        "--rm",
        "--network",
        "none",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "echo hi; exit 7",
      ]);
      assertEquals([fg.code, fg.stdout, fg.stderr], [7, "hi\n", ""]);
      const d = await berth(["run", "-d", "--rm", "--rootfs", rootfs, "sh", "-c", "exit 8"]);
      assertEquals(d.code, 0, d.stderr);
      const id = d.stdout.trim();
      // Nobody waits: the exit command (the bundle again) records the code and removes it; no
      // other berth process may run meanwhile (ps or wait would finish a missed cleanup).
      const dir = join(sb.root, "containers", id);
      const deadline = Date.now() + 20_000;
      let present = true;
      while (present && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        try {
          Deno.statSync(dir);
        } catch {
          present = false;
        }
      }
      assertEquals(present, false, "removed by its exit command");
      const w = await berth(["wait", id]);
      assertEquals([w.code, w.stdout], [0, "8\n"]);
    } finally {
      await sb.cleanup();
    }
  },
);
