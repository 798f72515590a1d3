/**
 * `berth top`: the table podman 4.3's `top` prints for the same container (the columns that
 * do not depend on timing), names from the container's own files, never a program from the
 * image (CVE-2022-1227), and podman's errors.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../unit/assert.ts";
import {
  buildBusyboxRootfs,
  busyboxRootfs,
  PODMAN_LIMITS,
  podmanIn,
  sandbox,
  unmountUnder,
} from "../helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** A table as rows of cells (podman's columns are two or more spaces apart). */
function cells(table: string): string[][] {
  return table.trimEnd().split("\n").map((l) => l.trim().split(/\s{2,}/));
}

/** Column `i` of each row but the header. */
const column = (rows: string[][], i: number) => rows.slice(1).map((r) => r[i]);

/**
 * The table with the PID cells (`pid`, `%p`) of every process but the first blanked. In a new PID namespace
 * the runtime's short-lived helpers take numbers before the container's own children do, so
 * the background `sleep`'s number differs from run to run (6 and 7 seen) and between engines;
 * berth's numbers are checked against the kernel's (NSpid) instead.
 */
function laterPidsBlanked(rows: string[][]): string[][] {
  const pids = rows[0].flatMap((title, i) => title === "PID" ? [i] : []);
  return rows.map((r, n) => n < 2 ? r : r.map((c, i) => pids.includes(i) ? "<pid>" : c));
}

/** A busybox rootfs with an account and a group the host does not have. */
async function rootfsWithUser(dir: string): Promise<string> {
  const root = await buildBusyboxRootfs(dir);
  Deno.writeTextFileSync(join(root, "etc/passwd"), "ctruser:x:4321:4322::/:/bin/sh\n", {
    append: true,
  });
  Deno.writeTextFileSync(join(root, "etc/group"), "ctrgrp:x:4322:\n", { append: true });
  return root;
}

const TWO_SLEEPS = ["sh", "-c", "sleep 1000 & sleep 1000"];

Deno.test(
  "top: podman's default table and every descriptor, as podman prints them",
  opts,
  async () => {
    const sb = sandbox();
    const pm = podmanIn(sb.dir);
    try {
      const bRoot = await rootfsWithUser(join(sb.dir, "b-rootfs"));
      const pRoot = await rootfsWithUser(join(sb.dir, "p-rootfs"));
      const user = ["-u", "4321:4322"];
      const b = await sb.berth([
        "run",
        "-d",
        "--name",
        "c",
        ...user,
        "--rootfs",
        bRoot,
        ...TWO_SLEEPS,
      ]);
      assertEquals(b.code, 0, b.stderr);
      const p = await pm([
        "run",
        "-d",
        ...PODMAN_LIMITS,
        "--name",
        "c",
        ...user,
        "--rootfs",
        pRoot,
        ...TWO_SLEEPS,
      ]);
      assertEquals(p.code, 0, p.stderr);
      // Until the shell has started its background sleep, there is one process.
      await new Promise((r) => setTimeout(r, 500));

      const bt = await sb.berth(["top", "c"]);
      const pt = await pm(["top", "c"]);
      assertEquals(bt.code, 0, bt.stderr);
      assertEquals(pt.code, 0, pt.stderr);
      // ELAPSED's width follows the moment (podman prints nanoseconds), so the titles are compared
      // here, and the exact layout on the tables below whose cells do not change.
      assertEquals(cells(bt.stdout)[0], cells(pt.stdout)[0]);
      assertMatch(
        bt.stdout.split("\n")[0],
        /^USER {8}PID {9}PPID {8}%CPU {8}ELAPSED {5,} TTY {9}TIME {8}COMMAND$/,
      );
      const [bd, pd] = [cells(bt.stdout), cells(pt.stdout)];
      assertEquals(bd.length, 3, bt.stdout);
      // USER PID PPID … TTY … COMMAND: the same; %CPU, ELAPSED and TIME in podman's forms.
      for (const i of [0, 2, 5, 7]) assertEquals(column(bd, i), column(pd, i), `column ${i}`);
      assertEquals(column(laterPidsBlanked(bd), 1), column(laterPidsBlanked(pd), 1), "column 1");
      // Each PID is the process's number in the container's namespace, as the kernel says.
      const nsPids = cells((await sb.berth(["top", "c", "hpid,pid"])).stdout).slice(1);
      assertEquals(nsPids.length, 2);
      for (const [hpid, pid] of nsPids) {
        const status = Deno.readTextFileSync(`/proc/${hpid}/status`);
        assertEquals(pid, status.match(/^NSpid:\s.*?(\d+)$/m)?.[1], `NSpid of ${hpid}`);
      }
      assertEquals(column(bd, 0), ["ctruser", "ctruser"]);
      assertEquals(column(bd, 7), ["sleep 1000", "sleep 1000"]);
      assert(bt.stdout.split("\n")[1].endsWith("sleep 1000 "), "psgo's trailing space");
      for (const r of bd.slice(1)) {
        assertMatch(r[3], /^\d+\.\d{3}$/);
        assertMatch(r[4], /^[\d.]+(ms|s)$|^\d+m[\d.]+s$/);
        assertMatch(r[6], /^(0s|\d+ms|[\d.]+s)$/);
      }

      // Every descriptor both know, in one table (one argument, comma-separated, and more).
      const same = [
        "args,comm,group,hgroup,huser,label,nice,pgid,pid,ppid,rgroup,ruser,tty,user,vsz",
        "capinh",
        "capprm,capeff,capbnd,capamb",
        "seccomp",
        "state",
        "%U",
        "%a,%c,%G,%g,%n,%P,%p,%r,%u,%y,%z",
      ];
      const ba = await sb.berth(["top", "c", ...same]);
      const pa = await pm(["top", "c", ...same]);
      assertEquals(ba.code, 0, ba.stderr);
      assertEquals(pa.code, 0, pa.stderr);
      assertEquals(laterPidsBlanked(cells(ba.stdout)), laterPidsBlanked(cells(pa.stdout)));
      assertEquals(ba.stdout.split("\n")[0], pa.stdout.split("\n")[0]);
      const header = cells(ba.stdout)[0];
      const at = (title: string) => column(cells(ba.stdout), header.indexOf(title));
      assertEquals(at("HUSER"), ["4321", "4321"]);
      assertEquals(at("HGROUP"), ["4322", "4322"]);
      assertEquals(at("GROUP"), ["ctrgrp", "ctrgrp"]);
      assertEquals(at("SECCOMP"), ["filter", "filter"]);

      // The rest depend on the moment; their titles and forms are podman's.
      const timed = ["etime", "hpid", "pcpu", "stime", "time"];
      const bt2 = await sb.berth(["top", "c", ...timed]);
      const pt2 = await pm(["top", "c", ...timed]);
      assertEquals(bt2.code, 0, bt2.stderr);
      assertEquals(cells(bt2.stdout)[0], cells(pt2.stdout)[0]);
      const hpids = column(cells(bt2.stdout), 1).map(Number);
      const inspected = await sb.berth(["inspect", "--format", "{{.State.Pid}}", "c"]);
      assertEquals(hpids[0], Number(inspected.stdout.trim()));
      for (const r of cells(bt2.stdout).slice(1)) {
        assertMatch(r[3], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \S+$/);
      }

      // berth's own: uid and gid as numbers.
      const ids = await sb.berth(["container", "top", "c", "uid", "gid"]);
      assertEquals(cells(ids.stdout), [["UID", "GID"], ["4321", "4322"], ["4321", "4322"]]);
    } finally {
      await pm(["rm", "-a", "-f", "-t", "0"]);
      await unmountUnder(sb.dir);
      await sb.cleanup();
    }
  },
);

Deno.test("top never runs the image's nsenter or ps (CVE-2022-1227)", opts, async () => {
  const sb = sandbox();
  try {
    const root = await buildBusyboxRootfs(join(sb.dir, "rootfs"));
    Deno.mkdirSync(join(root, "usr/bin"), { recursive: true });
    // Each leaves a mark on the host side of the rootfs if anything ever runs it.
    for (const tool of ["usr/bin/nsenter", "bin/ps"]) {
      try {
        Deno.removeSync(join(root, tool));
      } catch { /* not in this rootfs */ }
      Deno.writeTextFileSync(join(root, tool), `#!/bin/sh\necho ran >> /ran\nfalse\n`, {
        mode: 0o755,
      });
    }
    const r = await sb.berth(["run", "-d", "--name", "c", "--rootfs", root, "sleep", "1000"]);
    assertEquals(r.code, 0, r.stderr);
    const t = await sb.berth(["top", "c", "huser,user"]);
    assertEquals(t.code, 0, t.stderr);
    assertEquals(cells(t.stdout), [["HUSER", "USER"], ["root", "root"]]);
    assert(!exists(join(root, "ran")), "a program of the image ran");
  } finally {
    await sb.cleanup();
  }
});

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test(
  "top reads the container's /etc/passwd inside it: a symlink never reaches the host",
  opts,
  async () => {
    const sb = sandbox();
    try {
      const root = await buildBusyboxRootfs(join(sb.dir, "rootfs"));
      // A host file the container cannot see, named by an absolute link in the container.
      const hostFile = join(sb.dir, "host-passwd");
      Deno.writeTextFileSync(hostFile, "LEAKED:x:0:0::/:/bin/sh\n");
      Deno.removeSync(join(root, "etc/passwd"));
      Deno.symlinkSync(hostFile, join(root, "etc/passwd"));
      // And a group file reached through a relative link that climbs above the root.
      Deno.writeTextFileSync(join(root, "groups-real"), "wheel0:x:0:\n");
      Deno.removeSync(join(root, "etc/group"));
      Deno.symlinkSync("../../../../../../groups-real", join(root, "etc/group"));
      const r = await sb.berth(["run", "-d", "--name", "c", "--rootfs", root, "sleep", "1000"]);
      assertEquals(r.code, 0, r.stderr);
      const t = await sb.berth(["top", "c", "user,group,huser"]);
      assertEquals(t.code, 0, t.stderr);
      assertEquals(cells(t.stdout), [["USER", "GROUP", "HUSER"], ["0", "wheel0", "root"]]);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("top's errors: podman's words and status, one line each", opts, async () => {
  const sb = sandbox();
  const pm = podmanIn(sb.dir);
  try {
    const root = await busyboxRootfs();
    const pRoot = await buildBusyboxRootfs(join(sb.dir, "p-rootfs"));
    assertEquals((await sb.berth(["create", "--name", "s", "--rootfs", root, "true"])).code, 0);
    assertEquals(
      (await pm(["create", ...PODMAN_LIMITS, "--name", "s", "--rootfs", pRoot, "true"])).code,
      0,
    );
    const bs = await sb.berth(["top", "s"]);
    const ps = await pm(["top", "s"]);
    assertEquals([bs.code, bs.stderr], [ps.code, ps.stderr]);
    assertEquals(bs.stderr, "Error: top can only be used on running containers\n");

    const bm = await sb.berth(["top", "nosuch"]);
    const pmiss = await pm(["top", "nosuch"]);
    assertEquals(bm.code, pmiss.code);
    assertEquals(bm.code, 125);
    assertEquals(
      bm.stderr,
      'Error: no container with name or ID "nosuch" found: no such container\n',
    );

    assertEquals(
      (await sb.berth(["run", "-d", "--name", "r", "--rootfs", root, "sleep", "1000"])).code,
      0,
    );
    for (
      const [args, text] of [
        [["bogus"], /^Error: unknown descriptor "bogus" \(known: args,capamb,.*vsz\)\n$/],
        [["pid,user", "nope"], /^Error: unknown descriptor "nope" /],
        [["-ef"], /^Error: ps\(1\) options are not supported \(-ef\): /],
        [["pid", "--", "-o", "pid"], /^Error: ps\(1\) options are not supported \(-o\): /],
      ] as const
    ) {
      const e = await sb.berth(["top", "r", ...args]);
      assertEquals(e.code, 125, args.join(" "));
      assertMatch(e.stderr, text);
      assertEquals(e.stdout, "");
    }
    // `--` alone is no ps option.
    const dashes = await sb.berth(["top", "r", "--", "pid"]);
    assertEquals(cells(dashes.stdout), [["PID"], ["1"]]);
  } finally {
    await pm(["rm", "-a", "-f", "-t", "0"]);
    await unmountUnder(sb.dir);
    await sb.cleanup();
  }
});
