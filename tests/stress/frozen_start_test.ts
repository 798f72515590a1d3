/**
 * Stress (issue #15, found by the soak): the root made unwritable in the middle of `run -d`,
 * after the container's row is written and while the runtime creates it. A runtime wrapper
 * makes the freeze land at exactly that moment: it writes to the database (as a concurrent
 * berth would, so that berth's next read must take a new read mark in the WAL index), freezes
 * the root (`chattr +i` on the directory and the database files, as the soak does) before
 * running `runc create`, and thaws it again a little later in the background.
 *
 * @module
 */
import { busyboxRootfs, eventually, type Sandbox, sandbox } from "../helpers.ts";
import {
  assertClean,
  assertEquals,
  assertMatch,
  chattr,
  conmonPids,
  frozenPaths,
  inspect,
  runtimeIds,
  sandboxMounts,
  SPAWNS,
} from "./_util.ts";

/** How long after `runc create` the wrapper thaws the root, ms. */
const THAW_MS = 2500;

/** Global flags with a runtime that freezes the root of `sb` at `create`, thawed THAW_MS later. */
function freezingRuntime(sb: Sandbox): string[] {
  const runc = new Deno.Command("sh", { args: ["-c", "command -v runc"] }).outputSync();
  const runcPath = new TextDecoder().decode(runc.stdout).trim();
  assertEquals(runc.code, 0, "runc is not installed");
  const sqlite = new Deno.Command("sh", { args: ["-c", "command -v sqlite3"] }).outputSync();
  assertEquals(sqlite.code, 0, "sqlite3 is not installed");
  const paths = frozenPaths(sb).join(" ");
  const wrapper = `${sb.dir}/freezing-runc`;
  Deno.writeTextFileSync(
    wrapper,
    `#!/bin/sh
case " $* " in
*" create "*)
  sqlite3 ${sb.root}/berth.db "CREATE TABLE IF NOT EXISTS probe(x); INSERT INTO probe VALUES (1)"
  for f in ${paths}; do [ -e "$f" ] && chattr +i "$f"; done
  (sleep ${THAW_MS / 1000}; for f in ${paths}; do [ -e "$f" ] && chattr -i "$f"; done) \\
    </dev/null >/dev/null 2>&1 &
  ;;
esac
exec ${runcPath} "$@"
`,
    { mode: 0o755 },
  );
  return [...sb.global, "--runtime", wrapper];
}

/** Wait until the background thaw is over (the database answers a write again). */
async function thawed(sb: Sandbox): Promise<void> {
  await eventually(async () => {
    const r = await sb.berth(["create", "--name", "probe", "--rootfs", "/", "true"]);
    if (r.code !== 0) return false;
    return (await sb.berth(["rm", "probe"])).code === 0;
  }, THAW_MS * 4);
}

Deno.test({
  name: "stress 15a: root unwritable during run -d: one Error line, status 125, no SIGBUS",
  ...SPAWNS,
  async fn() {
    // SQLite maps the WAL index (berth.db-shm) shared and writable; once the file is made
    // immutable, the next write to a mapped page (readers write read marks too) was answered
    // by ext4 with SIGBUS: `run -d` died with status 135 and no message, between the record
    // of the runtime container and the move to `initialized`, and left it all behind.
    const rootfs = await busyboxRootfs();
    const sb = sandbox("berth-stress15a-");
    try {
      const global = freezingRuntime(sb);
      const r = await sb.berth(["run", "-d", "--rootfs", `${rootfs}:O`, "sleep", "600"], {
        global,
        timeoutMs: 30_000,
      });
      assertEquals([r.code, r.stdout], [125, ""], r.stderr);
      assertMatch(r.stderr, /^Error: database .*berth\.db/, "a clear error naming the database");
      assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
      assertEquals(await runtimeIds(sb), [], "no runtime container");
      assertEquals(sandboxMounts(sb), [], "no overlay mount");
      // conmon goes once the runtime deleted the container (its exit command may still run).
      await eventually(() => conmonPids(sb).length === 0, 10_000).catch(() => {});
      assertEquals(conmonPids(sb), [], "no conmon");
      await thawed(sb);
      // Not --rm: the container stays, as podman keeps one whose start failed.
      const ids = (await sb.berth(["ps", "-a", "-q", "--no-trunc"])).stdout.trim().split("\n");
      assertEquals(ids.length, 1, ids.join(" "));
      assertEquals(await inspect(sb, ids[0], ".State.Status"), "created");
      assertEquals((await sb.berth(["rm", ids[0]])).code, 0);
      await assertClean(sb, ids);
    } finally {
      await chattr("-i", frozenPaths(sb));
      await sb.cleanup();
    }
  },
});

Deno.test({
  name: "stress 15b: run -d --rm whose start failed on an unwritable root is removed",
  ...SPAWNS,
  async fn() {
    // The start failed on the read-only database, and so did the removal the --rm asks for:
    // the container stayed `created` for good, as nothing else ever removes one that never ran.
    const rootfs = await busyboxRootfs();
    const sb = sandbox("berth-stress15b-");
    try {
      const global = freezingRuntime(sb);
      const r = await sb.berth([
        "run",
        "-d",
        "--rm",
        "--rootfs",
        `${rootfs}:O`,
        "sleep",
        "600",
      ], { global, timeoutMs: 30_000 });
      assertEquals([r.code, r.stdout], [125, ""], r.stderr);
      assertMatch(r.stderr, /^Error: database .*berth\.db/, "the start's error");
      assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
      await chattr("-i", frozenPaths(sb));
      assertEquals(
        (await sb.berth(["ps", "-a", "-q", "--no-trunc"])).stdout,
        "",
        "removed by the time run returned",
      );
      await assertClean(sb);
    } finally {
      await chattr("-i", frozenPaths(sb));
      await sb.cleanup();
    }
  },
});
