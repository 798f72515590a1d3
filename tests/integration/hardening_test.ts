/**
 * Hardening (issue #8): database errors name the database, unsafe `--root`/`--runroot`
 * directories are refused, the credentials file is written without following links.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, type Result, sandbox, withDb } from "../helpers.ts";
import { getCreds, removeCreds, setCreds } from "../../src/image/auth_file.ts";
import { pathExists } from "../../src/fs.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** One `Error: …` line naming `path`, status 125, no stack trace. */
function assertNamedError(r: Result, path: string, what: string): void {
  const ctx = `${what}\nstatus ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
  assertEquals(r.code, 125, ctx);
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  assertEquals(lines.length, 1, `one stderr line${ctx}`);
  assert(lines[0].startsWith("Error: "), ctx);
  assert(lines[0].includes(path), `the error names ${path}${ctx}`);
}

/** Overwrite `length` bytes of `file` at `offset` with random bytes. */
function scribble(file: string, offset: number, length: number): void {
  const noise = new Uint8Array(length);
  crypto.getRandomValues(noise);
  const f = Deno.openSync(file, { write: true });
  try {
    f.seekSync(offset, Deno.SeekMode.Start);
    let off = 0;
    while (off < noise.length) off += f.writeSync(noise.subarray(off));
  } finally {
    f.close();
  }
}

Deno.test(
  "every database error names the database, whichever statement meets it",
  opts,
  async (t) => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    const db = join(sb.root, "berth.db");
    const commands = [
      ["ps", "-a"],
      ["run", "--rm", "--rootfs", rootfs, "true"],
      ["inspect", "c1"],
    ];
    try {
      for (const name of ["c1", "c2", "c3"]) {
        const c = await sb.berth(["create", "--name", name, "--rootfs", rootfs, "true"]);
        assertEquals(c.code, 0, c.stderr);
      }
      assertEquals((await sb.berth(["run", "--rm", "--rootfs", rootfs, "true"])).code, 0);
      // Fold the WAL into the file (closing the last connection removes it) and keep a copy.
      let containersPage = 0;
      await withDb(sb, (d) => {
        assertEquals(
          (d.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode,
          "wal",
        );
        containersPage = Number(
          (d.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'containers'").get() as {
            rootpage: number;
          }).rootpage,
        );
        d.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      });
      assert(containersPage > 1, `containers table page ${containersPage}`);
      const good = Deno.readFileSync(db);
      const restore = () => {
        for (const f of ["-wal", "-shm"]) {
          try {
            Deno.removeSync(db + f);
          } catch { /* absent */ }
        }
        Deno.writeFileSync(db, good);
      };

      await t.step("a damaged table page, met by a later query", async () => {
        restore();
        // The schema on page 1 is intact, so the database opens; the containers table is not.
        scribble(db, (containersPage - 1) * 4096, 4096);
        for (const args of commands) {
          const r = await sb.berth(args);
          assertNamedError(r, db, args.join(" "));
          assert(/malformed|not a database/.test(r.stderr), `says what is wrong: ${r.stderr}`);
        }
      });

      await t.step("the first 4 KiB overwritten", async () => {
        restore();
        scribble(db, 0, 4096);
        for (const args of commands) assertNamedError(await sb.berth(args), db, args.join(" "));
      });

      await t.step("the first 4 KiB overwritten while the WAL holds page 1", async () => {
        restore();
        // New transactions put page 1 into the WAL, which then masks the damaged file.
        const c = await sb.berth(["create", "--name", "c4", "--rootfs", rootfs, "true"]);
        assertEquals(c.code, 0, c.stderr);
        assert(Deno.statSync(db + "-wal").size > 0, "a WAL with frames");
        scribble(db, 0, 4096);
        for (const args of commands) {
          const r = await sb.berth(args);
          if (r.code !== 0) assertNamedError(r, db, args.join(" "));
        }
      });
      restore();
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("the credentials file is written through a fresh temp file, never a planted link", () => {
  const dir = Deno.makeTempDirSync({ prefix: "berth-auth-" });
  try {
    const path = join(dir, "auth.json");
    const tmp = `${path}.tmp-${Deno.pid}`;
    const victim = join(dir, "victim");
    Deno.writeTextFileSync(victim, "host file\n");
    Deno.chmodSync(victim, 0o644);
    Deno.symlinkSync(victim, tmp);
    setCreds(path, "localhost:5000", { username: "u", password: "p:w" });
    assertEquals(Deno.readTextFileSync(victim), "host file\n", "the link target is untouched");
    assertEquals(Deno.statSync(victim).mode! & 0o777, 0o644, "and keeps its mode");
    const st = Deno.lstatSync(path);
    assert(st.isFile, "auth.json is a regular file, not the planted link");
    assertEquals(st.mode! & 0o777, 0o600);
    assertEquals(getCreds(path, "localhost:5000"), { username: "u", password: "p:w" });
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["auth.json", "victim"]);

    // A dangling link at the temp name must not create its target either.
    const target = join(dir, "created-through-link");
    Deno.symlinkSync(target, tmp);
    assert(removeCreds(path, "localhost:5000"));
    assert(!pathExists(target), "nothing created through the link");
    assert(Deno.lstatSync(path).isFile);
    assertEquals(getCreds(path, "localhost:5000"), undefined);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** Every path under `dir` (relative), sorted. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of Deno.readDirSync(d)) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(r);
      if (e.isDirectory) walk(join(d, e.name), r);
    }
  };
  walk(dir, "");
  return out.sort();
}

Deno.test(
  "--root and --runroot someone else could control are refused, nothing created",
  opts,
  async (t) => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    const commands = [["ps", "-a"], ["run", "--rm", "--rootfs", rootfs, "true"]];
    let n = 0;
    /** A fresh case directory; `prepare` makes the hostile layout and says which paths to use. */
    const refused = async (
      what: string,
      prepare: (base: string) => { root?: string; run?: string; bad: "root" | "run" },
    ) => {
      await t.step(what, async () => {
        const base = join(sb.dir, `case${n++}`);
        Deno.mkdirSync(base);
        const { root = join(base, "root"), run = join(base, "run"), bad } = prepare(base);
        const before = tree(base);
        for (const args of commands) {
          const r = await sb.berth(args, { global: ["--root", root, "--runroot", run] });
          assertNamedError(r, bad === "root" ? root : run, `${what}: ${args.join(" ")}`);
        }
        assertEquals(tree(base), before, "nothing created");
      });
    };
    const mkdir = (dir: string, mode: number, uid = 0) => {
      Deno.mkdirSync(dir, { recursive: true });
      Deno.chmodSync(dir, mode);
      Deno.chownSync(dir, uid, uid);
    };
    try {
      await refused("root owned by another user", (base) => {
        mkdir(join(base, "root"), 0o700, 1000);
        return { bad: "root" };
      });
      await refused("root writable by others", (base) => {
        mkdir(join(base, "root"), 0o757);
        return { bad: "root" };
      });
      await refused("root writable by its group", (base) => {
        mkdir(join(base, "root"), 0o770);
        return { bad: "root" };
      });
      await refused("runroot owned by another user", (base) => {
        mkdir(join(base, "run"), 0o755, 1000);
        return { bad: "run" };
      });
      await refused("runroot writable by others", (base) => {
        mkdir(join(base, "run"), 0o777);
        return { bad: "run" };
      });
      await refused("a root to make in a directory anyone can write, no sticky bit", (base) => {
        mkdir(join(base, "open"), 0o777);
        return { root: join(base, "open", "root"), bad: "root" };
      });
      await refused("a runroot inside another user's directory", (base) => {
        mkdir(join(base, "theirs", "mine"), 0o700);
        Deno.chownSync(join(base, "theirs"), 1000, 1000);
        return { run: join(base, "theirs", "mine"), bad: "run" };
      });
      await refused("root a symlink to another user's directory", (base) => {
        mkdir(join(base, "theirs"), 0o700, 1000);
        Deno.symlinkSync(join(base, "theirs"), join(base, "root"));
        return { bad: "root" };
      });

      await t.step(
        "a sticky world-writable parent (like /tmp) and relative paths work",
        async () => {
          const base = join(sb.dir, "sticky");
          mkdir(base, 0o1777);
          const r = await sb.berth(["run", "--rm", "--rootfs", rootfs, "true"], {
            cwd: base,
            global: ["--root", "r", "--runroot", "rr"],
          });
          assertEquals(r.code, 0, r.stderr);
          assertEquals(Deno.statSync(join(base, "r")).mode! & 0o777, 0o700);
          // And again, now that both exist (owned by the caller, mode 0700).
          const again = await sb.berth(["ps", "-a"], {
            cwd: base,
            global: ["--root", "r", "--runroot", "rr"],
          });
          assertEquals(again.code, 0, again.stderr);
        },
      );
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "a --root the overlay mount options cannot carry is refused, no container made",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      for (const bad of ["a,lowerdir=x", "a:b"]) {
        const root = join(sb.dir, bad);
        const run = join(sb.dir, "run-" + bad.length);
        const global = ["--root", root, "--runroot", run];
        const r = await sb.berth(["run", "--rm", "--rootfs", `${rootfs}:O`, "true"], { global });
        assertNamedError(r, root, `--root ${bad}`);
        assert(/cannot contain ':' or ','/.test(r.stderr), r.stderr);
        const ps = await sb.berth(["ps", "-a", "-q"], { global });
        assertEquals([ps.code, ps.stdout], [0, ""], "no container left");
        assert(
          !Deno.readTextFileSync("/proc/self/mounts").includes(sb.dir),
          "nothing mounted",
        );
        // A --rootfs used in place needs no overlay, so that root still works.
        const plain = await sb.berth(["run", "--rm", "--rootfs", rootfs, "true"], { global });
        assertEquals(plain.code, 0, plain.stderr);
      }
    } finally {
      await sb.cleanup();
    }
  },
);
