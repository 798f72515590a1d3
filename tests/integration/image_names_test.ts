/**
 * Image names as podman keeps them: in the order they were given, `untag`, and the image
 * digest a container records (`{{.ImageDigest}}`).
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, type Sandbox, sandbox } from "../helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function importRootfs(sb: Sandbox, rootfs: string, name: string): Promise<string> {
  const tar = `${sb.dir}/${name}.tar`;
  const t = await new Deno.Command("tar", { args: ["-C", rootfs, "-cf", tar, "."] }).output();
  assertEquals(t.code, 0);
  const r = await sb.berth(["import", "-q", tar, name]);
  assertEquals(r.code, 0, r.stderr);
  return (await sb.berth(["image", "inspect", "--format", "{{.ID}}", name])).stdout.trim();
}

async function names(sb: Sandbox): Promise<string> {
  return (await sb.berth(["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"])).stdout;
}

Deno.test("image names keep their order; tag moves a name to the end", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const id = (await importRootfs(sb, rootfs, "mm")).slice(0, 12);
    assertEquals((await sb.berth(["tag", "mm", "zz/a", "aa/b"])).code, 0);
    assertEquals(
      await names(sb),
      `localhost/mm:latest ${id}\nlocalhost/zz/a:latest ${id}\nlocalhost/aa/b:latest ${id}\n`,
    );
    // A name the image already has keeps its place.
    assertEquals((await sb.berth(["tag", "mm", "mm"])).code, 0);
    assert((await names(sb)).startsWith("localhost/mm:latest"));

    const other = `${sb.dir}/other`;
    await new Deno.Command("cp", { args: ["-a", rootfs, other] }).output();
    Deno.writeTextFileSync(`${other}/marker`, "other");
    const otherId = await importRootfs(sb, other, "other");
    assertEquals((await sb.berth(["tag", "other", "mm"])).code, 0);
    assertEquals(
      (await sb.berth(["image", "inspect", "--format", "{{.RepoTags}}", otherId])).stdout,
      "[localhost/other:latest localhost/mm:latest]\n",
    );
  } finally {
    await sb.cleanup();
  }
});

Deno.test("untag removes the names given, or all; the image stays", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const id = await importRootfs(sb, rootfs, "uu");
    assertEquals((await sb.berth(["tag", "uu", "uu:v2", "x/y"])).code, 0);
    const bad = await sb.berth(["untag", "uu", "x/y", "nope"]);
    assertEquals([bad.code, bad.stderr], [125, "Error: localhost/nope:latest: tag not known\n"]);
    assertEquals(
      (await sb.berth(["image", "inspect", "--format", "{{.RepoTags}}", id])).stdout,
      "[localhost/uu:latest localhost/uu:v2 localhost/x/y:latest]\n",
    );
    const one = await sb.berth(["untag", "uu", "localhost/x/y:latest", "uu:v2"]);
    assertEquals([one.code, one.stdout, one.stderr], [0, "", ""]);
    assertEquals(await names(sb), `localhost/uu:latest ${id.slice(0, 12)}\n`);

    assertEquals((await sb.berth(["image", "untag", id])).code, 0);
    assertEquals(await names(sb), `<none>:<none> ${id.slice(0, 12)}\n`);
    const run = await sb.berth(["run", "--rm", id, "echo", "still here"]);
    assertEquals([run.code, run.stdout], [0, "still here\n"], run.stderr);
    assertEquals((await sb.berth(["tag", id, "uu"])).code, 0);
    assertEquals(await names(sb), `localhost/uu:latest ${id.slice(0, 12)}\n`);
    assertEquals((await sb.berth(["untag", "nosuchimage"])).code, 125);
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "container inspect: .ImageDigest is the image's digest, empty for --rootfs",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      await importRootfs(sb, rootfs, "dd");
      const image = (await sb.berth(["image", "inspect", "--format", "{{.ID}} {{.Digest}}", "dd"]))
        .stdout;
      assert(/^[0-9a-f]{64} sha256:[0-9a-f]{64}\n$/.test(image), image);
      assertEquals((await sb.berth(["run", "--name", "c", "dd", "true"])).code, 0);
      const f = "{{.ImageName}} {{.Image}} {{.ImageDigest}}";
      assertEquals(
        (await sb.berth(["container", "inspect", "c", "--format", f])).stdout,
        `localhost/dd:latest ${image}`,
      );
      assertEquals((await sb.berth(["create", "--name", "r", "--rootfs", rootfs, "true"])).code, 0);
      assertEquals(
        (await sb.berth(["inspect", "r", "--format", "[{{.ImageDigest}}]"])).stdout,
        "[]\n",
      );
    } finally {
      await sb.cleanup();
    }
  },
);
