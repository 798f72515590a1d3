import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { assert, assertEquals } from "../unit/assert.ts";
import { buildImage, busyboxRootfs, dockerArchive, tarOfDir, writeOciLayout } from "./fixtures.ts";
import { cli } from "./cli_helper.ts";
import { openStore } from "../../src/store/db.ts";
import { insertContainer, newContainerRow } from "../../src/store/containers.ts";

function fixtures(dir: string) {
  const tar = busyboxRootfs();
  const img = buildImage({
    layers: [{ tar, compression: "gzip" }],
    config: { Cmd: ["sh"], Env: ["PATH=/bin", "FOO=bar"], WorkingDir: "/tmp", User: "app" },
  });
  writeOciLayout(join(dir, "layout"), img.blobs, [
    { name: "localhost/busybox:oci", digest: img.manifestDigest },
  ]);
  Deno.writeFileSync(join(dir, "oci.tar"), tarOfDir(join(dir, "layout")));
  Deno.writeFileSync(join(dir, "docker.tar"), dockerArchive(img, [tar], ["busybox:docker"]));
  Deno.writeFileSync(join(dir, "rootfs.tar.gz"), gzipSync(tar));
  return { img };
}

Deno.test("CLI: load, images, tag, inspect, save, import, rmi, prune", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "berth-cli-" });
  const berth = cli(dir);
  try {
    const { img } = fixtures(dir);
    const id = img.configDigest.slice(7);
    let r = await berth(["load", "-i", join(dir, "oci.tar")]);
    assertEquals([r.code, r.stdout], [0, "Loaded image: localhost/busybox:oci\n"], r.stderr);
    r = await berth(["load", "-i", join(dir, "docker.tar")]);
    assertEquals(
      [r.code, r.stdout],
      [0, "Loaded image: localhost/busybox:docker\n"], // podman: an unqualified RepoTag is localhost/
      r.stderr,
    );
    r = await berth(["load", "-i", join(dir, "layout")]);
    assertEquals(r.code, 0, r.stderr);
    r = await berth(["images", "--format", "json"]);
    const list = JSON.parse(r.stdout);
    assertEquals(list.length, 1); // same config: one image, two names
    assertEquals(list[0].Id, id);
    // In the order the names were given (podman's c/storage Names), not sorted.
    assertEquals(list[0].Names, ["localhost/busybox:oci", "localhost/busybox:docker"]);

    assertEquals((await berth(["tag", "busybox:docker", "localhost/more:1", "another"])).code, 0);
    r = await berth(["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"]);
    assertEquals(r.stdout.split("\n").filter((l) => l).sort(), [
      `localhost/another:latest ${id.slice(0, 12)}`,
      `localhost/busybox:docker ${id.slice(0, 12)}`,
      `localhost/busybox:oci ${id.slice(0, 12)}`,
      `localhost/more:1 ${id.slice(0, 12)}`,
    ]);
    r = await berth(["images"]);
    assert(r.stdout.startsWith("REPOSITORY"), r.stdout);
    r = await berth(["image", "inspect", "localhost/busybox:oci"]);
    const info = JSON.parse(r.stdout)[0];
    assertEquals(info.Id, id);
    assertEquals(info.Config.User, "app");
    assertEquals(info.RootFS.Layers, img.diffIds);
    r = await berth(["image", "inspect", "--format", "{{.Config.WorkingDir}}", id.slice(0, 8)]);
    assertEquals(r.stdout, "/tmp\n");
    r = await berth(["image", "inspect", "nothere"]);
    assertEquals([r.code, r.stdout], [125, "[]\n"]);
    assertEquals(r.stderr, "Error: inspecting object: nothere: image not known\n");
    // podman: what was found is printed, the first failure is the error, others are listed.
    r = await berth(["image", "inspect", "--format", "{{.Id}}", "no1", "busybox:oci", "no2"]);
    assertEquals([r.code, r.stdout], [125, `${id}\n`]);
    assertEquals(
      r.stderr,
      "error inspecting object: no2: image not known\nError: inspecting object: no1: image not known\n",
    );

    // save → load into a fresh root gives the same image and name.
    r = await berth(["save", "-o", join(dir, "saved.tar"), "localhost/more:1"]);
    assertEquals(r.code, 0, r.stderr);
    const other = cli(join(dir, "second"));
    r = await other(["load", "-i", join(dir, "saved.tar")]);
    assertEquals(r.stdout, "Loaded image: localhost/more:1\n", r.stderr);
    r = await other(["images", "-q", "--no-trunc"]);
    assertEquals(r.stdout, `sha256:${id}\n`);

    // import with --change.
    r = await berth([
      "import",
      "-c",
      'CMD ["echo", "imported"]',
      "-c",
      "ENV A=1",
      join(dir, "rootfs.tar.gz"),
      "localhost/imp:1",
    ]);
    assertEquals(r.code, 0, r.stderr);
    const impId = r.stdout.trim().replace("sha256:", "");
    r = await berth(["image", "inspect", "--format", "{{json .Config}}", "localhost/imp:1"]);
    assertEquals(JSON.parse(r.stdout), { Cmd: ["echo", "imported"], Env: ["A=1"] });

    // rmi: refused while a container uses the image, untag vs delete, -f.
    const store = openStore(join(dir, "root", "berth.db"));
    insertContainer(
      store,
      newContainerRow({
        id: "c".repeat(64),
        name: "user1",
        state: "created",
        spec: { imageId: impId, rootfs: { kind: "overlay", lowers: [] } } as never,
      }, Date.now()),
    );
    store.db.close();
    r = await berth(["rmi", "localhost/imp:1"]);
    assertEquals(r.code, 2);
    assertEquals(
      r.stderr,
      `Error: image used by ${"c".repeat(64)}: image is in use by a container: ` +
        "consider listing external containers and force-removing image\n",
    );
    r = await berth(["rmi", "-f", "localhost/imp:1"]);
    assertEquals(
      [r.code, r.stdout],
      [0, `Untagged: localhost/imp:1\nDeleted: ${impId}\n`],
      r.stderr,
    );
    r = await berth(["rmi", "localhost/more:1"]);
    assertEquals(r.stdout, "Untagged: localhost/more:1\n");
    // By ID: refused while the image has several names (podman), unless forced.
    r = await berth(["rmi", id.slice(0, 12)]);
    assertEquals(r.code, 125);
    assert(r.stderr.includes("by ID with more than one tag"), r.stderr);
    r = await berth(["rmi", "-f", id.slice(0, 12)]); // every name goes
    assertEquals(r.code, 0, r.stderr);
    assert(r.stdout.endsWith(`Deleted: ${id}\n`), r.stdout);
    assertEquals([...Deno.readDirSync(join(dir, "root", "layers"))].length, 0);
    assertEquals([...Deno.readDirSync(join(dir, "root", "images", "blobs", "sha256"))].length, 0);
    assertEquals(
      JSON.parse(Deno.readTextFileSync(join(dir, "root", "images", "index.json"))).manifests,
      [],
    );

    // prune: a dangling image goes, a named one stays unless -a.
    await berth(["import", join(dir, "rootfs.tar.gz")]);
    await berth(["load", "-i", join(dir, "oci.tar")]);
    r = await berth(["image", "prune"]);
    assertEquals(r.stdout.trim().split("\n").length, 1, r.stdout);
    r = await berth(["images", "-q"]);
    assertEquals(r.stdout, `${id.slice(0, 12)}\n`);
    r = await berth(["image", "prune", "-a"]);
    assertEquals(r.stdout, `${id}\n`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CLI: run an image end to end (overlay of layers, image config applied)", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "berth-cli-" });
  const berth = cli(dir);
  try {
    fixtures(dir);
    assertEquals((await berth(["load", "-i", join(dir, "oci.tar")])).code, 0);
    const r = await berth(
      ["run", "--rm", "localhost/busybox:oci", "sh", "-c", "echo $FOO; pwd; id -u; id -g"],
      30_000,
    );
    assertEquals([r.code, r.stdout], [0, "bar\n/tmp\n1000\n1001\n"], r.stderr);
    const never = await berth(["run", "--rm", "--pull=never", "localhost/absent:1", "true"]);
    assertEquals(never.code, 125);
  } finally {
    const mounts = Deno.readTextFileSync("/proc/self/mounts").split("\n")
      .map((l) => l.split(" ")[1]).filter((m) => m?.startsWith(dir));
    for (const m of mounts.reverse()) await new Deno.Command("umount", { args: [m] }).output();
    await Deno.remove(dir, { recursive: true });
  }
});
