/**
 * `cp`'s pure parts: argument parsing, and resolving container paths inside a root and its
 * volumes (symlinks never lead out of the container).
 */
import { SymlinkLoopError } from "../../src/errors.ts";
import { assert, assertEquals, assertThrows } from "./assert.ts";
import { parseCpArg } from "../../src/cli/cp.ts";
import { parseSource } from "../../src/engine/copy.ts";
import {
  cleanContainerPath,
  hostLocation,
  resolveInView,
  type RootView,
} from "../../src/engine/root_path.ts";
import { putEntries, walkEntries, writeTar } from "../../src/engine/copy_tree.ts";
import { readTar } from "../../src/archive/tar_reader.ts";
import { buildTar } from "../../src/archive/tar_writer.ts";

async function* chunksOf(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield p;
}

Deno.test("parseCpArg: container paths, host paths, streams", () => {
  assertEquals(parseCpArg("ctr:/etc/passwd"), {
    kind: "container",
    container: "ctr",
    path: "/etc/passwd",
  });
  assertEquals(parseCpArg("ctr:"), { kind: "container", container: "ctr", path: "" });
  assertEquals(parseCpArg("-"), { kind: "stream" });
  assertEquals(parseCpArg("/abs/a:b"), { kind: "host", path: "/abs/a:b" });
  assertEquals(parseCpArg("./a:b"), { kind: "host", path: "./a:b" });
  assertEquals(parseCpArg("rel/file"), { kind: "host", path: "rel/file" });
  assertEquals(parseCpArg(":x"), { kind: "host", path: ":x" });
});

Deno.test("parseSource: /. copies contents, a trailing / must be a directory", () => {
  assertEquals(parseSource("/d/."), { path: "/d/.", contentsOnly: true, mustBeDir: true });
  assertEquals(parseSource("/d/"), { path: "/d/", contentsOnly: false, mustBeDir: true });
  assertEquals(parseSource("/d"), { path: "/d", contentsOnly: false, mustBeDir: false });
});

Deno.test("cleanContainerPath: .. stops at /", () => {
  assertEquals(cleanContainerPath("../../etc//./passwd"), "/etc/passwd");
  assertEquals(cleanContainerPath(""), "/");
  assertEquals(cleanContainerPath("/a/b/../c/"), "/a/c");
});

function fixture(): { dir: string; view: RootView; vol: string; vol2: string } {
  const dir = Deno.makeTempDirSync({ prefix: "berth-cp-unit-" });
  const root = `${dir}/root`;
  const vol = `${dir}/vol`;
  const vol2 = `${dir}/vol2`;
  for (const d of [`${root}/etc`, `${root}/data/ws`, `${root}/a/b`, vol, vol2]) {
    Deno.mkdirSync(d, { recursive: true });
  }
  Deno.writeTextFileSync(`${root}/etc/passwd`, "container\n");
  Deno.writeTextFileSync(`${vol}/in-vol`, "vol\n");
  Deno.writeTextFileSync(`${vol2}/deeper`, "vol2\n");
  Deno.symlinkSync("/etc/passwd", `${root}/leak`);
  Deno.symlinkSync("/etc", `${root}/etclink`);
  Deno.symlinkSync("../../../../../../../../etc/passwd", `${root}/a/b/rel`);
  Deno.symlinkSync("/etc/passwd", `${vol}/abs-in-vol`);
  Deno.symlinkSync("../../../../etc", `${vol}/up`);
  Deno.symlinkSync("loop2", `${root}/loop1`);
  Deno.symlinkSync("loop1", `${root}/loop2`);
  Deno.symlinkSync("/nowhere/file", `${root}/dangling`);
  Deno.symlinkSync("/data/ws", `${root}/tows`);
  return {
    dir,
    vol,
    vol2,
    view: {
      root,
      rootReadOnly: false,
      mounts: [
        { destination: "/data/ws", source: vol, readOnly: false },
        { destination: "/data/ws/deep", source: vol2, readOnly: true },
      ],
    },
  };
}

Deno.test("resolveInView: symlinks resolve inside the container, never on the host", () => {
  const { dir, view, vol, vol2 } = fixture();
  try {
    const root = view.root;
    const leak = resolveInView(view, "/leak");
    assertEquals([leak.cpath, leak.host], ["/etc/passwd", `${root}/etc/passwd`]);
    assertEquals(Deno.readTextFileSync(leak.host), "container\n");
    // Not followed at the end on request: the link itself.
    const link = resolveInView(view, "/leak", false);
    assertEquals([link.cpath, link.stat?.isSymlink], ["/leak", true]);
    // A link in the middle, and .. after it (lexically, inside the container).
    assertEquals(resolveInView(view, "/etclink/passwd").host, `${root}/etc/passwd`);
    assertEquals(resolveInView(view, "/etclink/../etc/passwd").host, `${root}/etc/passwd`);
    // `file/..` does not exist.
    assertEquals(resolveInView(view, "/leak/..").stat, null);
    // Relative links climbing past / stop at the container's root.
    assertEquals(resolveInView(view, "a/b/rel").host, `${root}/etc/passwd`);
    assertEquals(resolveInView(view, "/../../../etc/passwd").host, `${root}/etc/passwd`);
    // Volumes: the longest destination wins; links in a volume resolve in the container.
    assertEquals(resolveInView(view, "/data/ws/in-vol").host, `${vol}/in-vol`);
    assertEquals(resolveInView(view, "/tows/in-vol").host, `${vol}/in-vol`);
    assertEquals(resolveInView(view, "/data/ws/deep/deeper").host, `${vol2}/deeper`);
    assertEquals(resolveInView(view, "/data/ws/deep/deeper").readOnly, true);
    assertEquals(resolveInView(view, "/data/ws/abs-in-vol").host, `${root}/etc/passwd`);
    assertEquals(resolveInView(view, "/data/ws/up/passwd").host, `${root}/etc/passwd`);
    assertEquals(resolveInView(view, "/data/ws/..").host, `${root}/data`);
    // Missing paths, a dangling link (its target), loops.
    const missing = resolveInView(view, "/nope/deeper");
    assertEquals([missing.cpath, missing.stat], ["/nope/deeper", null]);
    const dangling = resolveInView(view, "/dangling");
    assertEquals([dangling.cpath, dangling.stat], ["/nowhere/file", null]);
    assertThrows(() => resolveInView(view, "/loop1"), SymlinkLoopError);
    assertEquals(hostLocation(view, "/data/wsx").host, `${root}/data/wsx`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("putEntries: a hostile tar cannot write outside the container", async () => {
  const { dir, view } = fixture();
  const outside = `${dir}/outside`;
  Deno.mkdirSync(outside);
  const opts = {
    overwrite: false,
    keepOwners: false,
    ignoreDevices: false,
    describe: (p: string) => p,
  };
  try {
    // A symlink to an absolute path, then a file through it: lands in the container's dir.
    const tar = buildTar([
      { name: "esc", type: "symlink", linkname: outside },
      { name: "esc/pwned", type: "file", data: "x", mode: 0o644 },
      { name: "up", type: "symlink", linkname: "../../../../../../.." + outside },
      { name: "up/pwned2", type: "file", data: "y", mode: 0o644 },
    ]);
    Deno.mkdirSync(`${view.root}${outside}`, { recursive: true });
    await putEntries(view, "/a", readTar(chunksOf(tar)), opts);
    assertEquals([...Deno.readDirSync(outside)].length, 0);
    assertEquals(Deno.readTextFileSync(`${view.root}${outside}/pwned`), "x");
    assertEquals(Deno.readTextFileSync(`${view.root}${outside}/pwned2`), "y");
    // `..` in a name is refused.
    let refused = false;
    try {
      await putEntries(
        view,
        "/a",
        readTar(chunksOf(buildTar([{ name: "../x", type: "file" }]))),
        opts,
      );
    } catch {
      refused = true;
    }
    assert(refused, "a .. entry is refused");
    // A read-only volume refuses writes.
    let ro = "";
    try {
      await putEntries(
        view,
        "/data/ws/deep",
        readTar(chunksOf(buildTar([{ name: "f", type: "file" }]))),
        opts,
      );
    } catch (err) {
      ro = (err as Error).message;
    }
    assert(ro.includes("read-only"), ro);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("walkEntries → writeTar: links stay links, volumes are walked into", async () => {
  const { dir, view } = fixture();
  try {
    const chunks: Uint8Array[] = [];
    await writeTar(walkEntries(view, "/data", "data"), (d) => {
      chunks.push(d.slice());
      return Promise.resolve();
    });
    const names: string[] = [];
    for await (const e of readTar(chunksOf(...chunks))) {
      names.push(`${e.header.name} ${e.header.type} ${e.header.linkname}`.trim());
    }
    assertEquals(names, [
      "data/ dir",
      "data/ws/ dir",
      "data/ws/abs-in-vol symlink /etc/passwd",
      "data/ws/deep/ dir",
      "data/ws/deep/deeper file",
      "data/ws/in-vol file",
      "data/ws/up symlink ../../../../etc",
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("putEntries: a tree of many directories keeps modes and times, leaks no fd", async () => {
  const { dir, view } = fixture();
  // The fds open on the fixture's tree: a leak of putEntries is one of these. Counting every
  // fd of the process is noise: the runtime opens and closes its own meanwhile.
  const fds = () =>
    [...Deno.readDirSync("/proc/self/fd")].filter((e) => {
      try {
        return Deno.readLinkSync(`/proc/self/fd/${e.name}`).startsWith(view.root);
      } catch {
        return false; // closed between the listing and the look
      }
    }).length;
  try {
    // More directories than putEntries keeps open; the tar lists each before its file.
    const entries = [];
    for (let i = 0; i < 300; i++) {
      entries.push({ name: `d${i}/`, type: "dir" as const, mode: 0o750, mtime: 1_000_000 + i });
      entries.push({ name: `d${i}/f`, type: "file" as const, data: `${i}`, mode: 0o640 });
    }
    entries.push({ name: "d0/hard", type: "hardlink" as const, linkname: "d1/f" });
    const before = fds();
    await putEntries(view, "/a", readTar(chunksOf(buildTar(entries))), {
      overwrite: false,
      keepOwners: false,
      ignoreDevices: false,
      describe: (p: string) => p,
    });
    assertEquals(fds(), before, "fds left open on the tree");
    for (const i of [0, 150, 299]) {
      const st = Deno.statSync(`${view.root}/a/d${i}`);
      assertEquals(st.mode! & 0o7777, 0o750);
      assertEquals(st.mtime!.getTime(), (1_000_000 + i) * 1000);
      assertEquals(Deno.readTextFileSync(`${view.root}/a/d${i}/f`), `${i}`);
      assertEquals(Deno.statSync(`${view.root}/a/d${i}/f`).mode! & 0o7777, 0o640);
    }
    assertEquals(
      Deno.statSync(`${view.root}/a/d0/hard`).ino,
      Deno.statSync(`${view.root}/a/d1/f`).ino,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
