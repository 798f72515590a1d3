import { ImageError } from "../../src/errors.ts";
import { assertEquals, assertRejects } from "./assert.ts";
import { readTar, type TarHeader } from "../../src/archive/tar_reader.ts";
import {
  buildTar,
  extensionHeader,
  paxRecord,
  tarEnd,
  tarHeader,
} from "../../src/archive/tar_writer.ts";
import { parseNumeric } from "../../src/archive/tar_header.ts";
import { cleanEntryPath } from "../../src/archive/entry_path.ts";
import { concat } from "../../src/io.ts";

async function* chunked(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.slice(i, i + size);
}

async function readAll(data: Uint8Array, chunk = 4096) {
  const out: { h: TarHeader; body: string }[] = [];
  for await (const e of readTar(chunked(data, chunk))) {
    let body = "";
    for await (const c of e.body()) body += new TextDecoder().decode(c);
    out.push({ h: e.header, body });
  }
  return out;
}

Deno.test("tar reader: basic types, modes and contents, any chunking", async () => {
  const tar = buildTar([
    { name: "dir/", type: "dir", mode: 0o1777, mtime: 1000 },
    { name: "dir/file", type: "file", mode: 0o4755, uid: 7, gid: 8, data: "hello", mtime: 1234 },
    { name: "dir/link", type: "symlink", linkname: "/abs/target" },
    { name: "dir/hard", type: "hardlink", linkname: "dir/file" },
    { name: "dev", type: "char", devmajor: 1, devminor: 3 },
    { name: "blk", type: "block", devmajor: 8, devminor: 1 },
    { name: "pipe", type: "fifo", mode: 0o600 },
  ]);
  for (const chunk of [1, 7, 511, 512, 100000]) {
    const got = await readAll(tar, chunk);
    assertEquals(got.map((e) => [e.h.name, e.h.type]), [
      ["dir/", "dir"],
      ["dir/file", "file"],
      ["dir/link", "symlink"],
      ["dir/hard", "hardlink"],
      ["dev", "char"],
      ["blk", "block"],
      ["pipe", "fifo"],
    ]);
    assertEquals(got[0].h.mode, 0o1777);
    assertEquals(got[1].h.mode, 0o4755);
    assertEquals([got[1].h.uid, got[1].h.gid, got[1].h.mtime], [7, 8, 1234]);
    assertEquals(got[1].body, "hello");
    assertEquals(got[2].h.linkname, "/abs/target");
    assertEquals(got[3].h.linkname, "dir/file");
    assertEquals([got[4].h.devmajor, got[4].h.devminor], [1, 3]);
  }
});

Deno.test("tar reader: PAX long names, large ids, fractional mtime, binary xattrs", async () => {
  const long = "a/".repeat(80) + "file-with-a-long-name";
  const cap = new Uint8Array([1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0xff, 0x80, 0x0a, 0]);
  const tar = buildTar([
    {
      name: long,
      type: "file",
      uid: 3000000,
      gid: 3000001,
      mtime: 1700000000.5,
      xattrs: { "security.capability": cap, "user.text": new TextEncoder().encode("x=y\n") },
      data: "content",
    },
    { name: "l", type: "symlink", linkname: "/" + "t/".repeat(70) + "end" },
  ]);
  const [f, l] = await readAll(tar, 3);
  assertEquals(f.h.name, long);
  assertEquals([f.h.uid, f.h.gid], [3000000, 3000001]);
  assertEquals(f.h.mtime, 1700000000.5);
  assertEquals(f.h.xattrs.get("security.capability"), cap);
  assertEquals(new TextDecoder().decode(f.h.xattrs.get("user.text")), "x=y\n");
  assertEquals(f.body, "content");
  assertEquals(l.h.linkname, "/" + "t/".repeat(70) + "end");
});

Deno.test("tar reader: GNU long name and long link headers", async () => {
  const long = "d/".repeat(60) + "name";
  const target = "x/".repeat(60) + "target";
  const tar = buildTar([
    { name: long, type: "file", data: "1", longNames: "gnu" },
    { name: "s", type: "symlink", linkname: target, longNames: "gnu" },
    { name: "short", type: "file", data: "2" },
  ]);
  const got = await readAll(tar);
  assertEquals(got.map((e) => e.h.name), [long, "s", "short"]);
  assertEquals(got[1].h.linkname, target);
  assertEquals(got[2].body, "2");
});

Deno.test("tar reader: skipped bodies and ustar prefix", async () => {
  // A ustar name split into prefix + name.
  const hdr = tarHeader({ name: "short", type: "file", size: 3 });
  hdr.set(new TextEncoder().encode("some/prefix"), 345);
  let sum = 0;
  hdr.fill(32, 148, 156);
  for (const v of hdr) sum += v;
  hdr.set(new TextEncoder().encode(sum.toString(8).padStart(6, "0") + "\0 "), 148);
  const tar = new Uint8Array(512 * 4);
  tar.set(hdr, 0);
  tar.set(new TextEncoder().encode("abc"), 512);
  const entries = [];
  for await (const e of readTar(chunked(tar, 100))) entries.push(e.header.name); // bodies unread
  assertEquals(entries, ["some/prefix/short"]);
});

Deno.test("tar reader: base-256 numbers", () => {
  const b = new Uint8Array(8);
  b[0] = 0x80;
  b[5] = 0x2d;
  b[6] = 0xc6;
  b[7] = 0xc0;
  assertEquals(parseNumeric(b, "uid"), 3000000);
  const neg = new Uint8Array(8).fill(0xff);
  let threw = false;
  try {
    parseNumeric(neg, "uid");
  } catch (err) {
    threw = err instanceof ImageError;
  }
  assertEquals(threw, true);
});

Deno.test("tar reader: corrupt and truncated archives are errors", async () => {
  const tar = buildTar([{ name: "f", type: "file", data: "x".repeat(2000) }]);
  const bad = tar.slice();
  bad[10] ^= 0xff;
  await assertRejects(() => readAll(bad), ImageError, "checksum");
  await assertRejects(() => readAll(tar.slice(0, 1000)), ImageError, "end of archive");
  await assertRejects(() => readAll(tar.slice(0, 300)), ImageError);
  const pax = new Uint8Array([
    ...tarHeader({ name: "f", type: "file", xattrs: { a: new Uint8Array(1) } }),
  ]);
  // PAX header then the end marker: an extended header with no entry.
  const orphan = new Uint8Array(pax.length - 512 + 1024);
  orphan.set(pax.subarray(0, pax.length - 512));
  await assertRejects(() => readAll(orphan), ImageError, "no entry");
});

/** A PAX `x`/`g` header holding one xattr record of `size` value bytes. */
function paxOf(flag: "x" | "g", key: string, size: number): Uint8Array {
  return extensionHeader(flag, paxRecord(`SCHILY.xattr.${key}`, new Uint8Array(size).fill(65)));
}

Deno.test("tar reader: extended-header data is capped per entry and per archive", async () => {
  const entry = (name: string) => tarHeader({ name, type: "file", size: 0 });
  // Many PAX headers for one entry, each under the cap, together far over it.
  const many = concat([
    ...Array.from({ length: 6 }, (_, i) => paxOf("x", `user.k${i}`, 512 << 10)),
    entry("f"),
    tarEnd(),
  ]);
  await assertRejects(() => readAll(many), ImageError, "extended headers of one entry exceed");
  // One header over the cap is refused before its data is read: the archive can end early.
  const one = concat([paxOf("x", "user.big", 3 << 20).subarray(0, 1024)]);
  await assertRejects(() => readAll(one), ImageError, "exceed 2 MiB");
  // GNU long names count too.
  const gnu = concat([
    extensionHeader("L", new Uint8Array(1536 << 10).fill(97)),
    paxOf("x", "user.k", 1 << 20),
    entry("f"),
    tarEnd(),
  ]);
  await assertRejects(() => readAll(gnu), ImageError, "extended headers of one entry exceed");
  // The budget is per entry: 1.5 MiB before each of three entries is fine.
  const each = concat([
    ...["a", "b", "c"].flatMap((n) => [paxOf("x", "user.v", 1536 << 10), entry(n)]),
    tarEnd(),
  ]);
  const got = await readAll(each);
  assertEquals(got.map((e) => e.h.name), ["a", "b", "c"]);
  assertEquals(got[2].h.xattrs.get("user.v")?.length, 1536 << 10);
  // Global headers apply to the whole archive, so their total is capped once.
  const globals = concat([
    ...Array.from({ length: 3 }, (_, i) => paxOf("g", `user.g${i}`, 400 << 10)),
    entry("f"),
    tarEnd(),
  ]);
  await assertRejects(() => readAll(globals), ImageError, "PAX global headers exceed");
});

Deno.test("tar reader: legitimate large PAX data still reads", async () => {
  const long = "dir/".repeat(1000) + "f"; // a 4 KiB path
  const target = "t/".repeat(2000);
  const xattrs: Record<string, Uint8Array> = {};
  for (let i = 0; i < 8; i++) xattrs[`user.attr${i}`] = new Uint8Array(1024).fill(i);
  const tar = buildTar([
    { name: long, type: "file", data: "x", xattrs },
    { name: "s", type: "symlink", linkname: target, xattrs },
    { name: long + "2", type: "file", data: "y", longNames: "gnu" },
  ]);
  const got = await readAll(tar);
  assertEquals(got.map((e) => e.h.name), [long, "s", long + "2"]);
  assertEquals(got[1].h.linkname, target);
  assertEquals(got[0].h.xattrs.size, 8);
  assertEquals(got[1].h.xattrs.get("user.attr7"), new Uint8Array(1024).fill(7));
});

Deno.test("tar writer: PAX record length counts itself", () => {
  for (const n of [1, 5, 85, 90, 95, 990, 995]) {
    const rec = new TextDecoder().decode(paxRecord("path", "p".repeat(n)));
    assertEquals(Number(rec.split(" ")[0]), new TextEncoder().encode(rec).length);
  }
});

Deno.test("entry paths: cleaned, and .. refused", () => {
  assertEquals(cleanEntryPath("./usr//bin/"), ["usr", "bin"]);
  assertEquals(cleanEntryPath("/etc/passwd"), ["etc", "passwd"]);
  assertEquals(cleanEntryPath("./"), []);
  for (const bad of ["../x", "a/../../b", "a/..", "/.."]) {
    let threw = false;
    try {
      cleanEntryPath(bad);
    } catch (err) {
      threw = err instanceof ImageError;
    }
    assertEquals(threw, true, bad);
  }
});
