/**
 * The mode of a container's `/`: containers/storage's rule, so podman and berth agree. A base
 * layer's root is 0555 whatever the tar's `./` entry says, a layer above keeps the mode of the
 * one below, and a container's overlay shows its topmost lower's root (`--rootfs DIR:O`: DIR's).
 */
import { assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, type Sandbox, sandbox } from "../helpers.ts";
import { buildTar } from "../../src/archive/tar_writer.ts";
import { buildImage, dockerArchive } from "../image/fixtures.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function rootMode(sb: Sandbox, image: string[]): Promise<string> {
  const r = await sb.berth(["run", "--rm", ...image, "stat", "-c", "%a %u", "/"]);
  assertEquals(r.code, 0, r.stderr);
  return r.stdout;
}

Deno.test("an imported image's / is 0555, not the mode of the tar's ./", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const tree = `${sb.dir}/tree`;
    await new Deno.Command("cp", { args: ["-a", rootfs, tree] }).output();
    Deno.chmodSync(tree, 0o711);
    const tar = `${sb.dir}/tree.tar`;
    const t = await new Deno.Command("tar", { args: ["-C", tree, "-cf", tar, "."] }).output();
    assertEquals(t.code, 0);
    assertEquals((await sb.berth(["import", "-q", tar, "rm1"])).code, 0);
    assertEquals(await rootMode(sb, ["rm1"]), "555 0\n");
    // --rootfs DIR:O shows DIR's own mode, as the directory itself does.
    assertEquals(await rootMode(sb, ["--rootfs", `${tree}:O`]), "711 0\n");
  } finally {
    await sb.cleanup();
  }
});

Deno.test("a layer above keeps the root mode of the layer below", opts, async () => {
  const sb = sandbox();
  try {
    const bb = Deno.readFileSync("/bin/busybox");
    const base = buildTar([
      { name: "./", type: "dir", mode: 0o700 },
      { name: "bin/", type: "dir", mode: 0o755 },
      { name: "bin/busybox", type: "file", mode: 0o755, data: bb },
      { name: "bin/stat", type: "symlink", linkname: "busybox" },
    ]);
    const top = buildTar([
      { name: "./", type: "dir", mode: 0o777 },
      { name: "hello", type: "file", mode: 0o644, data: "hi\n" },
    ]);
    const img = buildImage({
      layers: [{ tar: base, compression: "gzip" }, { tar: top, compression: "none" }],
    });
    Deno.writeFileSync(`${sb.dir}/two.tar`, dockerArchive(img, [base, top], ["two:layers"]));
    const load = await sb.berth(["load", "-q", "-i", `${sb.dir}/two.tar`]);
    assertEquals(load.code, 0, load.stderr);
    assertEquals(await rootMode(sb, ["two:layers"]), "555 0\n");
  } finally {
    await sb.cleanup();
  }
});
