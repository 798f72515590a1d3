/**
 * Hostile archives given to `import` and `load`: extension headers must not make berth hold
 * more than a few MiB, however many of them an archive has.
 *
 * @module
 */
import { join } from "node:path";
import { assert, assertEquals } from "./assert.ts";
import { gzipSync } from "node:zlib";
import {
  buildTar,
  extensionHeader,
  paxRecord,
  tarEnd,
  tarHeader,
} from "../../src/image/tar_writer.ts";

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
