/**
 * `commit` (a container's changes as one more layer, its settings in the config) and the
 * `docker-archive:` transport of `run`/`create` with containers/image's copy report.
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, type Sandbox, sandbox } from "../helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function importTree(sb: Sandbox, tree: string, name: string): Promise<void> {
  const tar = `${sb.dir}/${name}.tar`;
  const t = await new Deno.Command("tar", { args: ["-C", tree, "-cf", tar, "."] }).output();
  assertEquals(t.code, 0);
  const r = await sb.berth(["import", "-q", tar, name]);
  assertEquals(r.code, 0, r.stderr);
}

Deno.test("commit: files added, removed and replaced reach the new image", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const tree = `${sb.dir}/tree`;
    await new Deno.Command("cp", { args: ["-a", rootfs, tree] }).output();
    Deno.mkdirSync(`${tree}/d`);
    Deno.writeTextFileSync(`${tree}/d/old`, "old\n");
    await importTree(sb, tree, "base");
    const script = "rm -rf /d && mkdir /d && echo fresh > /d/new && rm /etc/group && " +
      "echo added > /newfile";
    const run = await sb.berth([
      "run",
      "--name",
      "c",
      "-e",
      "K=v",
      "-w",
      "/d",
      "base",
      "sh",
      "-c",
      script,
    ]);
    assertEquals(run.code, 0, run.stderr);
    const commit = await sb.berth(["commit", "-m", "my change", "-c", "LABEL a=b", "c", "img1"]);
    assertEquals(commit.code, 0, commit.stderr);
    assert(/^[0-9a-f]{64}\n$/.test(commit.stdout), commit.stdout);
    const check = await sb.berth([
      "run",
      "--rm",
      "img1",
      "sh",
      "-c",
      "ls /d; cat /d/new /newfile; test -e /etc/group || echo no group; echo $K; pwd",
    ]);
    assertEquals(
      [check.code, check.stdout],
      [0, "new\nfresh\nadded\nno group\nv\n/d\n"],
      check.stderr,
    );
    const f = "{{.ID}} {{.Labels}} {{len .RootFS.Layers}}";
    const info = (await sb.berth(["image", "inspect", "--format", f, "img1"])).stdout;
    assertEquals(info, `${commit.stdout.trim()} map[a:b] 2\n`);
    // The base image is untouched.
    const base = await sb.berth([
      "run",
      "--rm",
      "base",
      "sh",
      "-c",
      "cat /d/old; test -e /etc/group && echo group",
    ]);
    assertEquals(base.stdout, "old\ngroup\n");

    assertEquals((await sb.berth(["create", "--name", "r", "--rootfs", rootfs, "true"])).code, 0);
    const bad = await sb.berth(["commit", "r", "nope"]);
    assertEquals(bad.code, 125);
    assert(bad.stderr.includes("--rootfs"), bad.stderr);
    assertEquals((await sb.berth(["commit", "nosuch"])).code, 125);
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "run/create docker-archive:PATH load it, reporting as containers/image",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      await importTree(sb, rootfs, "base");
      const run = await sb.berth([
        "run",
        "--name",
        "e",
        "--entrypoint",
        '["/bin/echo","magic"]',
        "base",
      ]);
      assertEquals(run.stdout, "magic\n", run.stderr);
      assertEquals((await sb.berth(["commit", "-q", "e", "myi"])).code, 0);
      const archive = `${sb.dir}/archive.tar`;
      const save = await sb.berth(["save", "--quiet", "myi", "-o", archive]);
      assertEquals([save.code, save.stdout], [0, ""], save.stderr);
      assertEquals((await sb.berth(["rm", "e"])).code, 0);
      assertEquals((await sb.berth(["rmi", "myi"])).code, 0);

      const r = await sb.berth(["run", "--rm", `docker-archive:${archive}`]);
      assertEquals([r.code, r.stdout], [0, "magic\n"], r.stderr);
      const lines = r.stderr.trim().split("\n");
      assertEquals(lines[0], "Getting image source signatures");
      assert(lines.some((l) => /^Copying blob sha256:[0-9a-f]{64}$/.test(l)), r.stderr);
      assert(lines.some((l) => /^Copying config sha256:[0-9a-f]{64}$/.test(l)), r.stderr);
      assert(lines.includes("Writing manifest to image destination"), r.stderr);
      assertEquals(
        (await sb.berth(["images", "--format", "{{.Repository}}:{{.Tag}}"])).stdout,
        "localhost/myi:latest\nlocalhost/base:latest\n",
      );
      assertEquals((await sb.berth(["rmi", "myi"])).code, 0);

      const create = await sb.berth(["create", "-q", `docker-archive:${archive}`]);
      assertEquals([create.code, create.stderr], [0, ""]);
      const start = await sb.berth(["start", "--attach", create.stdout.trim()]);
      assertEquals(start.stdout, "magic\n", start.stderr);
      const missing = await sb.berth(["run", `docker-archive:${sb.dir}/none.tar`]);
      assertEquals(missing.code, 125);
    } finally {
      await sb.cleanup();
    }
  },
);
