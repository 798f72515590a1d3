/**
 * berth.conf end to end: the file's store and runtime are used, survive into the cleanup
 * process even when the file goes away, lose to flags, and a broken file stops berth with one
 * line naming it.
 */
import { assert, assertEquals, assertMatch } from "../unit/assert.ts";
import { busyboxRootfs, eventually, sandbox } from "../helpers.ts";
import { containerPaths, layout } from "../../src/engine/paths.ts";
import { join } from "node:path";

const opts = { sanitizeResources: false, sanitizeOps: false };

Deno.test(
  "the file's root and runroot are the store, for the cleanup process too",
  opts,
  async () => {
    const sb = sandbox();
    try {
      const rootfs = await busyboxRootfs();
      const conf = join(sb.dir, "berth.conf");
      Deno.writeTextFileSync(
        conf,
        `[engine]\nroot = "${sb.root}"\nrunroot = "${sb.runroot}"\nruntime = "runc"\n`,
      );
      const env = { BERTH_CONFIG: conf };
      const run = await sb.berth(["run", "-d", "--rootfs", rootfs, "sh", "-c", "sleep 1; exit 7"], {
        global: [],
        env,
      });
      assertEquals(run.code, 0, run.stderr);
      const id = run.stdout.trim();
      // The file is gone before the container exits: conmon's cleanup process was given the
      // settings as flags, so it still records the code in the same store.
      Deno.removeSync(conf);
      // Nobody but the cleanup process touches the store now: it must consume the exit file
      // and conmon's pidfile (which exists from the start, so a container still running
      // cannot pass for a cleaned-up one).
      const paths = containerPaths(layout(sb.root, sb.runroot), id);
      const gone = (path: string) => {
        try {
          Deno.statSync(path);
          return false;
        } catch {
          return true;
        }
      };
      assert(!gone(paths.conmonPidFile), "conmon's pidfile should exist while it runs");
      await eventually(() => gone(paths.exitFile) && gone(paths.conmonPidFile), 15_000);
      const waited = await sb.berth(["wait", id]);
      assertEquals([waited.code, waited.stdout], [0, "7\n"]);
      const ps = await sb.berth(["ps", "-a", "--format", "{{.ID}} {{.Status}}"]);
      assertMatch(ps.stdout, new RegExp(`^${id.slice(0, 12)} Exited \\(7\\)`));
      // With the file gone and no flags, berth's default store is another one.
      const other = await sb.berth([
        "ps",
        "-a",
        "-q",
        "--root",
        join(sb.dir, "r2"),
        "--runroot",
        join(sb.dir, "rr2"),
      ], {
        global: [],
      });
      assertEquals(other.stdout, "");
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("flags win over the file; info names the file it read", opts, async () => {
  const sb = sandbox();
  try {
    const rootfs = await busyboxRootfs();
    const decoy = join(sb.dir, "decoy");
    const conf = join(sb.dir, "berth.conf");
    Deno.writeTextFileSync(conf, `[engine]\nroot = "${decoy}"\nrunroot = "${decoy}-run"\n`);
    const env = { BERTH_CONFIG: conf };
    const run = await sb.berth(["run", "--rm", "--rootfs", rootfs, "true"], { env });
    assertEquals(run.code, 0, run.stderr);
    let decoyExists = true;
    try {
      Deno.statSync(decoy);
    } catch {
      decoyExists = false;
    }
    assertEquals(decoyExists, false, "the file's root was used although --root was given");
    const info = await sb.berth([
      "info",
      "--format",
      "{{json .Host.ConfigFiles}} {{.Store.GraphRoot}}",
    ], {
      env,
    });
    assertEquals(info.stdout, `["${conf}"] ${sb.root}\n`);
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "a broken file: one Error line with file and line, status 125, nothing created",
  opts,
  async () => {
    const sb = sandbox();
    try {
      const rootfs = await busyboxRootfs();
      const conf = join(sb.dir, "berth.conf");
      Deno.writeTextFileSync(conf, `[engine]\nruntime = "runc"\nruntime_path = "/x"\n`);
      const run = await sb.berth(["run", "--rm", "--rootfs", rootfs, "true"], {
        env: { BERTH_CONFIG: conf },
      });
      assertEquals(run.code, 125);
      assertEquals(
        run.stderr,
        `Error: ${conf}:3: unknown key "engine.runtime_path" (known: runtime, conmon, root, runroot, log_level)\n`,
      );
      let created = true;
      try {
        Deno.statSync(sb.root);
      } catch {
        created = false;
      }
      assert(!created, "berth created its store before refusing the file");
      const missing = await sb.berth(["ps"], { env: { BERTH_CONFIG: join(sb.dir, "none.conf") } });
      assertEquals(missing.code, 125);
      assertMatch(
        missing.stderr,
        /^Error: cannot read configuration file .*none\.conf: no such file\n$/,
      );
    } finally {
      await sb.cleanup();
    }
  },
);
