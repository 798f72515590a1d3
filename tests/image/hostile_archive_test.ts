/**
 * Hostile archives given to `import` and `load`: extension headers must not make berth hold
 * more than a few MiB, however many of them an archive has.
 *
 * @module
 */
import { join } from "node:path";
import { assert, assertEquals } from "../unit/assert.ts";
import { gzipSync } from "node:zlib";
import {
  buildTar,
  extensionHeader,
  paxRecord,
  tarEnd,
  tarHeader,
  tarPadding,
} from "../../src/archive/tar_writer.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** Gzip `count` PAX headers of one `size`-byte xattr record each, then an entry, to `path`. */
async function writeHostile(path: string, count: number, size: number): Promise<void> {
  const file = await Deno.open(path, { create: true, write: true, truncate: true });
  const gz = new CompressionStream("gzip");
  const done = gz.readable.pipeTo(file.writable);
  const writer = gz.writable.getWriter();
  const w = { write: (b: Uint8Array) => writer.write(b as Uint8Array<ArrayBuffer>) };
  const value = new Uint8Array(size - 64).fill(0x41);
  for (let i = 0; i < count; i++) {
    await w.write(extensionHeader("x", paxRecord(`SCHILY.xattr.user.k${i}`, value)));
  }
  await w.write(tarHeader({ name: "f", type: "file", size: 0 }));
  await w.write(tarEnd());
  await writer.close();
  await done;
}

/** A file of the archive: `text`, then `pad` spaces (JSON allows them). */
interface PaddedFile {
  name: string;
  text: string;
  pad?: number;
}

/** Write a gzip'd tar of `files` to `path`, streaming (the padding can be huge). */
async function writePadded(path: string, files: PaddedFile[]): Promise<void> {
  const file = await Deno.open(path, { create: true, write: true, truncate: true });
  const gz = new CompressionStream("gzip");
  const done = gz.readable.pipeTo(file.writable);
  const writer = gz.writable.getWriter();
  const w = (b: Uint8Array) => writer.write(b as Uint8Array<ArrayBuffer>);
  const spaces = new Uint8Array(1 << 20).fill(0x20);
  for (const f of files) {
    const text = new TextEncoder().encode(f.text);
    const pad = f.pad ?? 0;
    const size = text.length + pad;
    await w(tarHeader({ name: f.name, type: "file", size }));
    await w(text);
    for (let left = pad; left > 0; left -= spaces.length) {
      await w(spaces.subarray(0, Math.min(left, spaces.length)));
    }
    await w(tarPadding(size));
  }
  await w(tarEnd());
  await writer.close();
  await done;
}

/** Run berth under `/usr/bin/time`: its result, peak RSS (KiB) and wall time (ms). */
async function measured(dir: string, args: string[]) {
  const mem = join(dir, "time.out");
  const start = Date.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: [
      "-f",
      "%M",
      "-o",
      mem,
      "timeout",
      "-s",
      "KILL",
      "120",
      Deno.execPath(),
      "run",
      "-A",
      MAIN,
      "--root",
      join(dir, "root"),
      "--runroot",
      join(dir, "run"),
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = Date.now() - start;
  const lines = Deno.readTextFileSync(mem).trim().split("\n");
  return {
    code: out.code,
    stderr: new TextDecoder().decode(out.stderr),
    rssKiB: Number(lines[lines.length - 1]),
    ms,
  };
}

Deno.test("import and load: 40 PAX headers of 8 MiB fail fast in bounded memory; real ones import", async () => {
  assert(Deno.statSync("/usr/bin/time").isFile, "/usr/bin/time is needed (apt-get install time)");
  const dir = Deno.makeTempDirSync({ prefix: "berth-pax-" });
  try {
    const archive = join(dir, "hostile.tar.gz");
    await writeHostile(archive, 40, 8 << 20);
    assert(Deno.statSync(archive).size < 1 << 20); // a small file claiming 320 MiB of headers
    for (const args of [["import", archive, "hostile"], ["load", "-i", archive]]) {
      const r = await measured(dir, args);
      assertEquals(r.code, 125, r.stderr);
      const lines = r.stderr.trimEnd().split("\n");
      assertEquals(lines.length, 1, r.stderr);
      assert(/^Error: .*extended headers of one entry exceed 2 MiB/.test(lines[0]), r.stderr);
      // Before the cap these took ~480 MB (the 320 MiB of headers were held); a plain import
      // of a 320 MiB file peaks around 135 MB, most of it the runtime and garbage chunks.
      assert(r.rssKiB > 0 && r.rssKiB < 250_000, `${args[0]}: peak RSS ${r.rssKiB} KiB`);
      assert(r.ms < 60_000, `${args[0]} took ${r.ms} ms`);
    }
    // Legitimate large extended headers still import: a 3 KiB path, 3 KB of xattrs (what ext4 holds).
    const long = ("d".repeat(199) + "/").repeat(15) + "file";
    const xattrs: Record<string, Uint8Array> = {};
    for (let i = 0; i < 3; i++) xattrs[`user.a${i}`] = new Uint8Array(1000).fill(48 + i);
    const fine = join(dir, "fine.tar.gz");
    Deno.writeFileSync(fine, gzipSync(buildTar([{ name: long, type: "file", data: "x", xattrs }])));
    const ok = await measured(dir, ["import", fine, "fine"]);
    assertEquals(ok.code, 0, ok.stderr);
    const images = await measured(dir, ["images", "-q"]);
    assertEquals(images.code, 0, images.stderr);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("load: JSON files inflated by compression are refused before they are read", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "berth-json-" });
  const PAD = 96 << 20;
  const fake = "sha256:" + "ab".repeat(32);
  try {
    const cases: [string, PaddedFile[], RegExp][] = [
      [
        "oci index.json",
        [
          { name: "oci-layout", text: '{"imageLayoutVersion":"1.0.0"}' },
          { name: "index.json", text: '{"schemaVersion":2,"manifests":[]}', pad: PAD },
        ],
        /index\.json is too large/,
      ],
      [
        "oci manifest descriptor",
        [{
          name: "index.json",
          text: JSON.stringify({
            schemaVersion: 2,
            manifests: [{
              mediaType: "application/vnd.oci.image.manifest.v1+json",
              digest: fake,
              size: 5 << 20,
            }],
          }),
        }],
        /manifest sha256:(ab)+ is too large/,
      ],
      [
        "docker manifest.json",
        [{ name: "manifest.json", text: "[]", pad: PAD }],
        /manifest\.json is too large/,
      ],
      [
        "docker config",
        [
          { name: "manifest.json", text: '[{"Config":"c.json","Layers":[]}]' },
          { name: "c.json", text: '{"rootfs":{"type":"layers","diff_ids":[]}}', pad: PAD },
        ],
        /config c\.json is too large/,
      ],
    ];
    for (const [what, files, message] of cases) {
      const archive = join(dir, "a.tar.gz");
      await writePadded(archive, files);
      const r = await measured(dir, ["load", "-i", archive]);
      assertEquals(r.code, 125, `${what}: ${r.stderr}`);
      const lines = r.stderr.trimEnd().split("\n");
      assertEquals(lines.length, 1, r.stderr);
      assert(lines[0].startsWith("Error: ") && message.test(lines[0]), `${what}: ${r.stderr}`);
      assert(r.rssKiB > 0 && r.rssKiB < 200_000, `${what}: peak RSS ${r.rssKiB} KiB`);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("load: an archive of endless tiny entries is cut off", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "berth-many-" });
  try {
    const archive = join(dir, "many.tar.gz");
    const file = await Deno.open(archive, { create: true, write: true, truncate: true });
    const gz = new CompressionStream("gzip");
    const done = gz.readable.pipeTo(file.writable);
    const writer = gz.writable.getWriter();
    const batch: Uint8Array[] = [];
    for (let i = 0; i <= 100_000; i++) {
      batch.push(tarHeader({ name: `l${i}`, type: "symlink", linkname: "index.json" }));
      if (batch.length === 1000) {
        const all = new Uint8Array(512 * batch.length);
        batch.forEach((b, j) => all.set(b, 512 * j));
        await writer.write(all);
        batch.length = 0;
      }
    }
    for (const b of batch) await writer.write(b as Uint8Array<ArrayBuffer>);
    await writer.write(tarEnd() as Uint8Array<ArrayBuffer>);
    await writer.close();
    await done;
    const r = await measured(dir, ["load", "-i", archive]);
    assertEquals(r.code, 125, r.stderr);
    assertEquals(r.stderr, "Error: image archive has more than 100000 entries\n");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
