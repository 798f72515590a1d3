/**
 * Stress, bad input (issue #3, items 11–12): every rejected command is one `Error:` line on
 * stderr with status 125 and changes nothing (database rows, files); a corrupt, too-new or
 * unwritable database is refused by path and never recreated or overwritten.
 *
 * @module
 */
import { join } from "node:path";
import { busyboxRootfs, type Sandbox, sandbox, withDb } from "../helpers.ts";
import { SCHEMA_VERSION } from "../../src/store/db.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertOneLineError,
  listTree,
  pool,
  SPAWNS,
} from "./_util.ts";

/** Every row of every table, in a stable order. */
async function dumpDb(sb: Sandbox): Promise<string> {
  return await withDb(sb, (db) => {
    const tables = db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    ).all() as { name: string }[];
    const out: Record<string, unknown> = {
      user_version: db.prepare("PRAGMA user_version").get(),
    };
    for (const { name } of tables) {
      out[name] = db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all();
    }
    return JSON.stringify(out);
  });
}

/**
 * The observable state of a store: database contents, and every file (with its bytes)
 * except the SQLite files themselves, whose bytes a checkpoint may legitimately rewrite.
 */
async function storeState(sb: Sandbox): Promise<string> {
  const files: Record<string, string> = {};
  for (const base of [sb.root, sb.runroot]) {
    for (const rel of listTree(base)) {
      const p = join(base, rel);
      if (/berth\.db(-wal|-shm|-journal)?$/.test(p)) continue;
      const st = Deno.lstatSync(p);
      files[p] = st.isFile ? String(hash(Deno.readFileSync(p))) : st.isDirectory ? "dir" : "other";
    }
  }
  return JSON.stringify({ db: await dumpDb(sb), files });
}

function hash(bytes: Uint8Array): number {
  let h = 2166136261;
  for (const b of bytes) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h;
}

Deno.test({
  name: "stress 11: bad input is one Error line, status 125, no state change, no leftovers",
  ...SPAWNS,
  async fn() {
    const rootfs = await busyboxRootfs();
    const sb = sandbox("berth-stress11-");
    try {
      // 17 containers: two of them must share their first hex digit (an ambiguous prefix).
      const created = await pool(Array.from({ length: 17 }, (_, i) => i), 8, async (i) => {
        const r = await sb.berth(["create", "--name", `c${i}`, "--rootfs", rootfs, "true"]);
        assertEquals(r.code, 0, r.stderr);
        return r.stdout.trim();
      });
      const ex = await sb.berth([
        "run",
        "--name",
        "done",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "exit 3",
      ]);
      assertEquals(ex.code, 3, ex.stderr);
      const byFirst = new Map<string, string[]>();
      for (const id of created) byFirst.set(id[0], [...(byFirst.get(id[0]) ?? []), id]);
      const [shared] = [...byFirst.values()].filter((ids) => ids.length > 1);
      let prefix = shared[0][0];
      while (shared.every((id) => id.startsWith(prefix + shared[0][prefix.length]))) {
        prefix += shared[0][prefix.length];
      }

      const dir = sb.dir;
      const aFile = join(dir, "a-file");
      Deno.writeTextFileSync(aFile, "not a directory\n");
      const envFile = join(dir, "bad.env");
      Deno.writeTextFileSync(envFile, "GOOD=1\n# comment\n=novalue\n");
      const cid = join(dir, "never.cid");
      const run = (...a: string[]) => ["run", "--rm", "--cidfile", cid, ...a];
      const cases: [string, string[]][] = [
        ["unknown global flag", ["--bogus", "ps"]],
        ["global flag without value", ["ps", "--root"]],
        ["bad log level", ["--log-level", "loud", "ps"]],
        ["unknown command", ["frobnicate"]],
        ["unknown run flag", run("--bogus", "--rootfs", rootfs, "true")],
        ["unknown shorthand", run("-Z", "--rootfs", rootfs, "true")],
        ["missing value", run("--rootfs", rootfs, "--name")],
        ["missing --rootfs value", ["run", "--rootfs"]],
        ["no command", run("--rootfs", rootfs)],
        ["bad signal name", ["kill", "-s", "SIGBOGUS", "c0"]],
        ["bad signal number", ["kill", "-s", "99", "c0"]],
        ["bad stop signal", run("--stop-signal", "NOPE", "--rootfs", rootfs, "true")],
        ["negative stop timeout", ["stop", "-t", "-1", "c0"]],
        ["negative run timeout", run("--timeout", "-5", "--rootfs", rootfs, "true")],
        ["fractional run timeout", run("--timeout", "1.5", "--rootfs", rootfs, "true")],
        ["interval 100days", ["wait", "--interval", "100days", "c0"]],
        ["negative interval", ["wait", "--interval", "-1s", "c0"]],
        ["bad condition", ["wait", "--condition", "finished", "c0"]],
        ["bad condition in a list", ["wait", "--condition", "running,nope", "c0"]],
        ["unknown container: inspect", ["inspect", "nosuch"]],
        ["unknown container: wait", ["wait", "nosuch"]],
        ["unknown container: stop", ["stop", "nosuch"]],
        ["unknown container: kill", ["kill", "nosuch"]],
        ["unknown container: start", ["start", "nosuch"]],
        ["unknown container: logs", ["logs", "nosuch"]],
        [`ambiguous prefix ${prefix}: inspect`, ["inspect", prefix]],
        [`ambiguous prefix ${prefix}: rm`, ["rm", "-f", prefix]],
        [`ambiguous prefix ${prefix}: wait`, ["wait", prefix]],
        [`ambiguous prefix ${prefix}: start`, ["start", prefix]],
        ["duplicate name: create", ["create", "--name", "c0", "--rootfs", rootfs, "true"]],
        ["duplicate name: run", run("--name", "done", "--rootfs", rootfs, "true")],
        ["name with /", run("--name", "a/b", "--rootfs", rootfs, "true")],
        ["name with a space", run("--name", "a b", "--rootfs", rootfs, "true")],
        ["empty name", run("--name", "", "--rootfs", rootfs, "true")],
        ["rootfs missing", run("--rootfs", join(dir, "nope"), "true")],
        ["rootfs missing (overlay)", run("--rootfs", `${join(dir, "nope")}:O`, "true")],
        ["rootfs is a file", run("--rootfs", aFile, "true")],
        ["volume relative host path", run("-v", "rel/dir:/mnt", "--rootfs", rootfs, "true")],
        [
          "volume missing host path",
          run("-v", `${join(dir, "nope")}:/mnt`, "--rootfs", rootfs, "true"),
        ],
        ["volume relative target", run("-v", `${dir}:mnt`, "--rootfs", rootfs, "true")],
        ["env file with a bad line", run("--env-file", envFile, "--rootfs", rootfs, "true")],
        ["env file missing", run("--env-file", join(dir, "nope.env"), "--rootfs", rootfs, "true")],
        ["bad -e", run("-e", "=x", "--rootfs", rootfs, "true")],
        ["relative workdir", run("-w", "rel", "--rootfs", rootfs, "true")],
        ["bad boolean value", run("--rm=maybe", "--rootfs", rootfs, "true")],
        [
          "cidfile in a missing directory",
          run("--cidfile", join(dir, "nodir", "cid"), "--rootfs", rootfs, "true"),
        ],
        ["bad ulimit", run("--ulimit", "nofile=2:1", "--rootfs", rootfs, "true")],
        [
          "ulimit above the host's",
          run("--ulimit", "nofile=999999999", "--rootfs", rootfs, "true"),
        ],
        ["bad memory", run("-m", "lots", "--rootfs", rootfs, "true")],
        ["named volume mount", run("--mount", "type=volume,target=/x", "--rootfs", rootfs, "true")],
        ["relative tmpfs", run("--tmpfs", "tmp", "--rootfs", rootfs, "true")],
        ["unknown security option", run("--security-opt", "bogus", "--rootfs", rootfs, "true")],
        ["unknown container: exec", ["exec", "nosuch", "true"]],
        ["unknown container: restart", ["restart", "nosuch"]],
        ["logs --since junk", ["logs", "--since", "yesterday", "c0"]],
        ["ps unknown status", ["ps", "-a", "--filter", "status=bogus"]],
      ];
      const before = await storeState(sb);
      const failures: string[] = [];
      for (const [what, args] of cases) {
        const r = await sb.berth(args);
        try {
          assertOneLineError(r, 125, what);
        } catch (e) {
          failures.push(`${what}: ${(e as Error).message.replaceAll("\n", " | ")}`);
        }
        const after = await storeState(sb);
        if (after !== before) failures.push(`${what}: changed the store`);
        try {
          Deno.statSync(cid);
          failures.push(`${what}: wrote the cidfile`);
          Deno.removeSync(cid);
        } catch { /* good */ }
      }
      // podman's documented status for `rm` of a missing container is 1, not 125.
      const rm = await sb.berth(["rm", "nosuch"]);
      try {
        assertOneLineError(rm, 1, "rm nosuch");
      } catch (e) {
        failures.push((e as Error).message);
      }
      if ((await storeState(sb)) !== before) failures.push("rm nosuch: changed the store");
      assertEquals(failures, [], "bad input");
      assertEquals(
        Deno.readTextFileSync(envFile),
        "GOOD=1\n# comment\n=novalue\n",
        "input untouched",
      );
    } finally {
      await sb.cleanup();
    }
  },
});

/** Bytes and identity of a file, for "never overwritten or recreated". */
function fileId(path: string): string {
  const st = Deno.statSync(path);
  return `${st.ino}:${st.size}:${hash(Deno.readFileSync(path))}`;
}

async function chattr(mode: "+i" | "-i", ...paths: string[]): Promise<void> {
  for (const p of paths) {
    await new Deno.Command("chattr", { args: [mode, p], stderr: "null" }).output();
  }
}

Deno.test({
  name: "stress 12: a corrupt, too-new or unwritable database is refused by path, never replaced",
  ...SPAWNS,
  async fn(t) {
    const rootfs = await busyboxRootfs();
    const commands = [["ps", "-a"], ["run", "--rm", "--rootfs", rootfs, "true"], ["wait", "x"]];

    await t.step("garbage bytes", async () => {
      const sb = sandbox("berth-stress12a-");
      try {
        Deno.mkdirSync(sb.root, { recursive: true });
        const db = join(sb.root, "berth.db");
        const garbage = new Uint8Array(8192);
        crypto.getRandomValues(garbage);
        Deno.writeFileSync(db, garbage);
        const id = fileId(db);
        for (const args of commands) {
          const r = await sb.berth(args);
          assertOneLineError(r, 125, args.join(" "));
          assert(r.stderr.includes(db), `names the database: ${r.stderr}`);
          assertEquals(fileId(db), id, "database bytes unchanged");
        }
      } finally {
        await sb.cleanup();
      }
    });

    await t.step("valid header, garbage pages", async () => {
      const sb = sandbox("berth-stress12b-");
      try {
        assertEquals((await sb.berth(["ps"])).code, 0);
        // Move every page into the main file, so the corruption is not masked by the WAL.
        await withDb(sb, (db) => db.exec("PRAGMA wal_checkpoint(TRUNCATE)"));
        for (const f of ["berth.db-wal", "berth.db-shm"]) {
          try {
            Deno.removeSync(join(sb.root, f));
          } catch { /* absent */ }
        }
        const db = join(sb.root, "berth.db");
        const bytes = Deno.readFileSync(db);
        assert(bytes.length >= 4096, `a database of at least one page (${bytes.length})`);
        const garbage = new Uint8Array(bytes.length - 100);
        // getRandomValues gives at most 64 KiB at once; the schema has outgrown that.
        for (let off = 0; off < garbage.length; off += 65536) {
          crypto.getRandomValues(garbage.subarray(off, off + 65536));
        }
        bytes.set(garbage, 100); // keep the 100-byte header
        Deno.writeFileSync(db, bytes);
        const id = fileId(db);
        for (const args of commands) {
          const r = await sb.berth(args);
          assertOneLineError(r, 125, args.join(" "));
          assert(r.stderr.includes(db), `names the database: ${r.stderr}`);
          assertEquals(fileId(db), id, "database bytes unchanged");
        }
      } finally {
        await sb.cleanup();
      }
    });

    await t.step("schema from the future", async () => {
      const sb = sandbox("berth-stress12c-");
      try {
        const c = await sb.berth(["create", "--name", "keep", "--rootfs", rootfs, "true"]);
        assertEquals(c.code, 0, c.stderr);
        await withDb(sb, (db) => db.exec("PRAGMA user_version = 999"));
        const db = join(sb.root, "berth.db");
        const id = fileId(db);
        for (const args of [...commands, ["rm", "-af"], ["system", "refresh"]]) {
          const r = await sb.berth(args);
          assertOneLineError(r, 125, args.join(" "));
          assert(r.stderr.includes(db), `names the database: ${r.stderr}`);
          assertMatch(r.stderr, /999/, "says which version");
          assertEquals(fileId(db), id, "database bytes unchanged");
        }
      } finally {
        await withDb(sb, (db) => db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`)).catch(
          () => {},
        );
        await sb.cleanup();
      }
    });

    await t.step("root is a file", async () => {
      const sb = sandbox("berth-stress12d-");
      try {
        Deno.writeTextFileSync(sb.root, "i am a file\n");
        for (const args of commands) {
          const r = await sb.berth(args);
          assertOneLineError(r, 125, args.join(" "));
          assert(r.stderr.includes(sb.root), `names the root: ${r.stderr}`);
          assertEquals(Deno.readTextFileSync(sb.root), "i am a file\n");
        }
      } finally {
        Deno.removeSync(sb.root);
        await sb.cleanup();
      }
    });

    await t.step("unwritable root (immutable), with and without a database", async () => {
      const sb = sandbox("berth-stress12e-");
      const db = join(sb.root, "berth.db");
      try {
        Deno.mkdirSync(sb.root, { recursive: true });
        await chattr("+i", sb.root);
        for (const args of commands) {
          const r = await sb.berth(args);
          assertOneLineError(r, 125, `empty immutable root: ${args.join(" ")}`);
          assert(r.stderr.includes(sb.root), `names the path: ${r.stderr}`);
        }
        assertEquals(listTree(sb.root), [], "nothing created");
        await chattr("-i", sb.root);

        const c = await sb.berth(["create", "--name", "keep", "--rootfs", rootfs, "true"]);
        assertEquals(c.code, 0, c.stderr);
        const id = fileId(db);
        await chattr("+i", db, sb.root);
        const r = await sb.berth(["run", "--rm", "--rootfs", rootfs, "true"]);
        assertOneLineError(r, 125, "run on an immutable root");
        assert(r.stderr.includes(sb.root), `names the path: ${r.stderr}`);
        const ps = await sb.berth(["ps", "-a"]);
        if (ps.code !== 0) assertOneLineError(ps, 125, "ps on an immutable root");
        assertEquals(fileId(db), id, "database bytes unchanged");
      } finally {
        await chattr("-i", db, sb.root);
        await sb.cleanup();
      }
    });
  },
});
