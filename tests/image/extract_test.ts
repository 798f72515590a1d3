import { ImageError } from "../../src/errors.ts";
import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../unit/assert.ts";
import {
  buildImage,
  busyboxRootfs,
  CAPABILITY,
  sh,
  trickyLayers,
  writeOciLayout,
} from "./fixtures.ts";
import { describeTree, diffTrees } from "./tree.ts";
import { mountOverlay, testRoot } from "./helpers.ts";
import { loadImages } from "../../src/image/load.ts";
import { lowerDirs } from "../../src/image/store.ts";
import { lgetxattr, lsetxattr } from "../../src/archive/libc.ts";
import { extractStream } from "../../src/image/extract.ts";
import { buildTar } from "../../src/archive/tar_writer.ts";

async function checkAgainstUmoci(compression: "gzip" | "zstd") {
  const t = testRoot();
  try {
    const layers = trickyLayers();
    const img = buildImage({ layers: layers.map((tar) => ({ tar, compression })) });
    const layout = join(t.dir, "layout");
    writeOciLayout(layout, img.blobs, [
      { name: "tricky", digest: img.manifestDigest },
      { name: "localhost/tricky:latest", digest: img.manifestDigest },
    ]);
    // umoci knows no zstd: it unpacks the same tars gzipped.
    const gz = buildImage({ layers: layers.map((tar) => ({ tar, compression: "gzip" })) });
    const gzLayout = join(t.dir, "gz-layout");
    writeOciLayout(gzLayout, gz.blobs, [{ name: "tricky", digest: gz.manifestDigest }]);
    const loaded = await loadImages(t.ctx, layout);
    assertEquals(loaded.length, 1);
    assertEquals(loaded[0].names, ["localhost/tricky:latest"]);
    const lowers = lowerDirs(t.ctx, loaded[0].row);
    assertEquals(lowers.length, 2);

    // Overlay format in the upper layer dir itself.
    const top = lowers[0];
    assert(Deno.lstatSync(join(top, "del")).isCharDevice, "whiteout is a char device");
    assertEquals(Deno.lstatSync(join(top, "del")).rdev, 0);
    assertEquals(
      new TextDecoder().decode(lgetxattr(join(top, "opq"), "trusted.overlay.opaque")),
      "y",
    );
    assertEquals(Deno.readTextFileSync(join(top, "opq/new")), "kept: written before the marker");
    assertEquals(lgetxattr(join(lowers[1], "cap"), "security.capability"), CAPABILITY);

    // The merged view equals umoci's flattened unpack.
    await requireUmoci();
    await sh(["umoci", "unpack", "--image", `${gzLayout}:tricky`, join(t.dir, "bundle")]);
    const merged = await mountOverlay(t.dir, lowers);
    const ours = describeTree(merged);
    const theirs = describeTree(join(t.dir, "bundle", "rootfs"));
    assertEquals(diffTrees(ours, theirs), []);
    // Spot checks, so the comparison cannot pass vacuously.
    assert(ours.get("a/setuid")!.includes("mode=4755"), ours.get("a/setuid"));
    assert(ours.get("a/setuid")!.includes("link=a/hard"), ours.get("a/setuid")); // same inode
    assert(ours.get("bigid")!.includes("uid=3000000 gid=3000001"));
    assert(ours.get("dev/sda9")!.includes("block") && ours.get("dev/sda9")!.includes("dev=8:9"));
    assert(ours.get("fifo")!.startsWith("fifo mode=620"));
    assert(ours.get("abs")!.includes("target=/etc/passwd"));
    assert(ours.get("sticky")!.includes("mode=1777"));
    assert(ours.get("frac")!.includes("mtime=1600000000250"));
    assert(!ours.has("del") && !ours.has("a/setgid") && !ours.has("opq/old1"));
    assert(ours.has("opq/new") && ours.has("opq/after") && ours.has("a/keep/old"));
    assertEquals(ours.size, theirs.size);
  } finally {
    await t.cleanup();
  }
}

/** Fail, naming the tool and its installer, when umoci is missing: never skip the comparison. */
async function requireUmoci(): Promise<void> {
  try {
    await sh(["umoci", "--version"]);
  } catch (err) {
    throw new Error(
      `umoci is needed for this comparison (${err instanceof Error ? err.message : err}): ` +
        "install it with scripts/install-deps.sh --with-test-tools",
    );
  }
}

Deno.test("extraction (gzip) matches umoci unpack exactly", () => checkAgainstUmoci("gzip"));
Deno.test("extraction (zstd) matches umoci unpack exactly", () => checkAgainstUmoci("zstd"));

Deno.test("busybox image: layer extracted once, shared between images", async () => {
  const t = testRoot();
  try {
    const tar = busyboxRootfs();
    const a = buildImage({ layers: [{ tar, compression: "gzip" }] });
    const b = buildImage({ layers: [{ tar, compression: "gzip" }], config: { Cmd: ["ls"] } });
    const layout = join(t.dir, "layout");
    writeOciLayout(layout, new Map([...a.blobs, ...b.blobs]), [
      { name: "localhost/a:1", digest: a.manifestDigest },
      { name: "localhost/b:1", digest: b.manifestDigest },
    ]);
    const loaded = await loadImages(t.ctx, layout);
    assertEquals(loaded.length, 2);
    const [la, lb] = loaded.map((l) => lowerDirs(t.ctx, l.row));
    assertEquals(la, lb);
    assertEquals([...Deno.readDirSync(t.ctx.paths.layersDir)].length, 1);
    const st = Deno.statSync(join(la[0], "bin/busybox"));
    assertEquals(st.size, Deno.statSync("/bin/busybox").size);
    assertEquals(Deno.readLinkSync(join(la[0], "bin/sh")), "busybox");
    assert(Deno.statSync(join(la[0], "..", "complete")).isFile);
  } finally {
    await t.cleanup();
  }
});

async function extractBytes(dir: string, tar: Uint8Array) {
  Deno.mkdirSync(dir, { recursive: true });
  return await extractStream(
    (async function* () {
      yield tar;
    })(),
    dir,
  );
}

Deno.test("hostile layers cannot write outside the layer directory", async () => {
  const t = testRoot();
  const outside = join(t.dir, "outside");
  Deno.mkdirSync(outside);
  try {
    const cases: [string, Parameters<typeof buildTar>[0], string][] = [
      ["symlink then write through it", [
        { name: "escape", type: "symlink", linkname: outside },
        { name: "escape/pwned", type: "file", data: "x" },
      ], "not a directory"],
      ["symlink to / then nested write", [
        { name: "root", type: "symlink", linkname: "/" },
        { name: "root/tmp/pwned", type: "file", data: "x" },
      ], "not a directory"],
      ["relative symlink escaping", [
        { name: "up", type: "symlink", linkname: "../../../../.." + outside },
        { name: "up/pwned", type: "file", data: "x" },
      ], "not a directory"],
      ["dot-dot path", [{ name: "../pwned", type: "file", data: "x" }], ".."],
      ["nested dot-dot", [{ name: "a/../../pwned", type: "file", data: "x" }], ".."],
      ["hardlink to a host path", [
        { name: "h", type: "hardlink", linkname: join(outside, "victim") },
      ], "not in this layer"],
      ["hardlink via dot-dot", [
        { name: "h", type: "hardlink", linkname: "../outside/victim" },
      ], ".."],
      ["hardlink through a symlink", [
        { name: "s", type: "symlink", linkname: outside },
        { name: "h", type: "hardlink", linkname: "s/victim" },
      ], "non-directory"],
    ];
    Deno.writeTextFileSync(join(outside, "victim"), "host file");
    for (const [i, [what, entries, msg]] of cases.entries()) {
      await assertRejects(
        () => extractBytes(join(t.dir, `layer${i}`), buildTar(entries)),
        ImageError,
        msg,
      ).catch((err) => {
        throw new Error(`${what}: ${err.message}`);
      });
    }
    // A file replacing a symlink is written in place of the link, not through it.
    const d = join(t.dir, "replace");
    await extractBytes(
      d,
      buildTar([
        { name: "f", type: "symlink", linkname: join(outside, "victim") },
        { name: "f", type: "file", data: "inside" },
      ]),
    );
    assertEquals(Deno.readTextFileSync(join(d, "f")), "inside");
    assertEquals([...Deno.readDirSync(outside)].map((e) => e.name), ["victim"]);
    assertEquals(Deno.readTextFileSync(join(outside, "victim")), "host file");
    assertEquals(Deno.statSync(join(outside, "victim")).nlink, 1);
  } finally {
    await t.cleanup();
  }
});

Deno.test("a later layer cannot write through a symlink from an earlier layer", async () => {
  const t = testRoot();
  try {
    const outside = join(t.dir, "host");
    Deno.mkdirSync(outside);
    const l1 = buildTar([{ name: "escape", type: "symlink", linkname: outside }]);
    const l2 = buildTar([{ name: "escape/pwned", type: "file", data: "x" }]);
    const img = buildImage({
      layers: [{ tar: l1, compression: "gzip" }, { tar: l2, compression: "gzip" }],
    });
    const layout = join(t.dir, "layout");
    writeOciLayout(layout, img.blobs, [{ name: "localhost/evil:1", digest: img.manifestDigest }]);
    await loadImages(t.ctx, layout);
    assertEquals([...Deno.readDirSync(outside)].length, 0);
  } finally {
    await t.cleanup();
  }
});

Deno.test("an implicit directory never takes a host directory's metadata through a lower symlink", async () => {
  const t = testRoot();
  try {
    // A host directory with attributes no layer would give it.
    const host = join(t.dir, "host");
    const hostX = join(host, "x");
    Deno.mkdirSync(hostX, { recursive: true });
    Deno.chownSync(hostX, 4242, 4343);
    Deno.chmodSync(hostX, 0o751);
    lsetxattr(hostX, "user.secret", new TextEncoder().encode("host"));
    Deno.utimeSync(hostX, 1234567, 1234567);
    // Layer 1: `a` is a symlink to it. Layer 2: `a/x/f`, whose parents `a` and `a/x` the
    // layer does not list, so they are created taking the lower layers' attributes.
    const l1 = buildTar([{ name: "a", type: "symlink", linkname: host }]);
    const l2 = buildTar([{ name: "a/x/f", type: "file", data: "x" }]);
    const img = buildImage({
      layers: [{ tar: l1, compression: "gzip" }, { tar: l2, compression: "gzip" }],
    });
    const layout = join(t.dir, "layout");
    writeOciLayout(layout, img.blobs, [{ name: "localhost/peek:1", digest: img.manifestDigest }]);
    const [loaded] = await loadImages(t.ctx, layout);
    const [top] = lowerDirs(t.ctx, loaded.row);
    assertEquals(Deno.readTextFileSync(join(top, "a/x/f")), "x");
    for (const rel of ["a", "a/x"]) {
      const st = Deno.lstatSync(join(top, rel));
      assert(st.isDirectory, rel);
      assertEquals([st.uid, st.gid, st.mode! & 0o7777], [0, 0, 0o755], `${rel} owner and mode`);
      assert(st.mtime!.getTime() !== 1234567000, `${rel} mtime is not the host directory's`);
      assertEquals(lgetxattr(join(top, rel), "user.secret"), undefined, `${rel} xattr`);
    }
    // The host directory itself is untouched.
    const hs = Deno.lstatSync(hostX);
    assertEquals([hs.uid, hs.gid, hs.mode! & 0o7777], [4242, 4343, 0o751]);
    assertEquals([...Deno.readDirSync(hostX)].length, 0);
  } finally {
    await t.cleanup();
  }
});

Deno.test("an implicit directory still takes a real lower directory's metadata", async () => {
  const t = testRoot();
  try {
    const l1 = buildTar([
      { name: "d", type: "dir", mode: 0o750, uid: 7, gid: 8, mtime: 1500000000 },
      { name: "d/e", type: "dir", mode: 0o701, uid: 9, gid: 10, mtime: 1500000001 },
    ]);
    const l2 = buildTar([{ name: "d/e/f", type: "file", data: "x" }]);
    const img = buildImage({
      layers: [{ tar: l1, compression: "gzip" }, { tar: l2, compression: "gzip" }],
    });
    const layout = join(t.dir, "layout");
    writeOciLayout(layout, img.blobs, [{ name: "localhost/dirs:1", digest: img.manifestDigest }]);
    const [loaded] = await loadImages(t.ctx, layout);
    const [top] = lowerDirs(t.ctx, loaded.row);
    const d = Deno.lstatSync(join(top, "d"));
    const e = Deno.lstatSync(join(top, "d/e"));
    assertEquals([d.uid, d.gid, d.mode! & 0o7777, d.mtime!.getTime()], [
      7,
      8,
      0o750,
      1500000000000,
    ]);
    assertEquals([e.uid, e.gid, e.mode! & 0o7777, e.mtime!.getTime()], [
      9,
      10,
      0o701,
      1500000001000,
    ]);
  } finally {
    await t.cleanup();
  }
});

Deno.test("an implicit directory takes nothing from a layer hidden by an opaque one", async () => {
  const t = testRoot();
  try {
    // Layer 1 has d/e (0701, uid 9); layer 2 makes d opaque, hiding it; layer 3 writes d/e/f.
    const l1 = buildTar([
      { name: "d", type: "dir", mode: 0o755 },
      { name: "d/e", type: "dir", mode: 0o701, uid: 9, gid: 10, mtime: 1500000001 },
    ]);
    const l2 = buildTar([
      { name: "d", type: "dir", mode: 0o750, uid: 7, gid: 8 },
      { name: "d/.wh..wh..opq", type: "file", data: "" },
    ]);
    const l3 = buildTar([{ name: "d/e/f", type: "file", data: "x" }]);
    const img = buildImage({
      layers: [l1, l2, l3].map((tar) => ({ tar, compression: "gzip" as const })),
    });
    const layout = join(t.dir, "layout");
    writeOciLayout(layout, img.blobs, [{ name: "localhost/opq:1", digest: img.manifestDigest }]);
    const [loaded] = await loadImages(t.ctx, layout);
    const [top] = lowerDirs(t.ctx, loaded.row);
    const d = Deno.lstatSync(join(top, "d"));
    const e = Deno.lstatSync(join(top, "d/e"));
    assertEquals([d.uid, d.gid, d.mode! & 0o7777], [7, 8, 0o750], "d from the layer below");
    assertEquals([e.uid, e.gid, e.mode! & 0o7777], [0, 0, 0o755], "d/e fresh, not layer 1's");
  } finally {
    await t.cleanup();
  }
});

Deno.test("a corrupt layer is refused and leaves no layer behind", async () => {
  const t = testRoot();
  try {
    const img = buildImage({
      layers: [{ tar: busyboxRootfs(), compression: "gzip" }],
      corruptLayer: true,
    });
    const layout = join(t.dir, "layout");
    writeOciLayout(layout, img.blobs, [{ name: "localhost/bad:1", digest: img.manifestDigest }]);
    await assertRejects(() => loadImages(t.ctx, layout), ImageError, "digest");
    assertEquals([...Deno.readDirSync(t.ctx.paths.layersDir)].length, 0);
    assertEquals([...Deno.readDirSync(t.ctx.paths.blobsDir)].length, 2); // manifest + config only
  } finally {
    await t.cleanup();
  }
});
