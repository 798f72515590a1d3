/**
 * Image commands behaving as podman 4.3.1 does (outputs and statuses checked against it):
 * localhost/ names for local images, short-name lookups, `image exists`, `rmi` statuses and
 * `-f`, `images` filters and sizes.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../unit/assert.ts";
import { gzipSync } from "node:zlib";
import { busyboxRootfs, digestOf, sh } from "./fixtures.ts";
import { cli } from "./cli_helper.ts";
import { isShortName, localCandidates, localName } from "../../src/image/reference.ts";
import {
  compileImageFilters,
  goPathPattern,
  podmanSize,
  referenceCandidates,
} from "../../src/image/image_filter.ts";

Deno.test("localName / localCandidates: podman's localhost/ default for local images", () => {
  assertEquals(localName("bb2"), "localhost/bb2:latest");
  assertEquals(localName("foo/bar:2"), "localhost/foo/bar:2");
  assertEquals(localName("docker.io/baz:3"), "docker.io/library/baz:3");
  assertEquals(localName("quay.io/q:1"), "quay.io/q:1");
  assertEquals(localName("localhost/lb:3"), "localhost/lb:3");
  assertEquals(localCandidates("bb2"), ["localhost/bb2:latest", "docker.io/library/bb2:latest"]);
  assertEquals(localCandidates("localhost/bb2"), ["localhost/bb2:latest"]);
  assertEquals(isShortName("foo/bar:1"), true);
  assertEquals(isShortName("host:5000/bar"), false);
});

Deno.test("reference filter: Go path.Match over podman's candidate strings", () => {
  assertEquals(referenceCandidates("docker.io/library/x:1"), [
    "docker.io/library/x:1",
    "library/x",
    "x:1",
    "docker.io/library/x",
    "library/x:1",
    "x",
  ]);
  const f = (pattern: string, names: string[]) =>
    compileImageFilters([`reference=${pattern}`])({ names });
  assert(f("bb2", ["localhost/bb2:latest"]));
  assert(f("bb*", ["localhost/bb2:latest"]));
  assert(f("x:1", ["docker.io/library/x:1"]));
  assert(f("docker.io/*/x", ["docker.io/library/x:1"]));
  assert(!f("lib*", ["docker.io/library/x:1"])); // * stops at /
  assert(!f("bb", ["localhost/bb2:latest"]));
  assert(!f("", ["localhost/bb2:latest"]));
  assertEquals(goPathPattern("[a"), undefined);
  const dangling = compileImageFilters(["dangling=true"]);
  assert(dangling({ names: [] }) && !dangling({ names: ["localhost/a:1"] }));
  // Values of one key are alternatives; different keys must all hold.
  const both = compileImageFilters(["reference=a", "reference=b", "dangling=false"]);
  assert(both({ names: ["localhost/b:latest"] }));
  assert(!both({ names: ["localhost/c:latest"] }));
  for (const bad of ["dangling", "bogus=1", "dangling=maybe"]) {
    let threw = false;
    try {
      compileImageFilters([bad]);
    } catch {
      threw = true;
    }
    assert(threw, bad);
  }
});

Deno.test("podmanSize: go-units HumanSizeWithPrecision(n, 3)", () => {
  assertEquals(podmanSize(1_990_000), "1.99 MB");
  assertEquals(podmanSize(2_000_100), "2 MB");
  assertEquals(podmanSize(512), "512 B");
  assertEquals(podmanSize(123_456), "123 kB");
  assertEquals(podmanSize(999_500), "1e+03 kB");
});

Deno.test("CLI: localhost/ names, lookups, image exists, images filters, rmi statuses", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "berth-cli-" });
  const berth = cli(dir);
  try {
    Deno.writeFileSync(join(dir, "rootfs.tar"), busyboxRootfs());
    const rootfs = join(dir, "rootfs.tar");
    let r = await berth(["import", "-q", rootfs, "bb2"]);
    assertEquals(r.code, 0, r.stderr);
    const id = r.stdout.trim();
    assertEquals((await berth(["tag", "bb2", "bb4", "docker.io/foo2", "quay.io/q/x:1"])).code, 0);
    r = await berth(["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assertEquals(r.stdout.split("\n").filter((l) => l).sort(), [
      "docker.io/library/foo2:latest",
      "localhost/bb2:latest",
      "localhost/bb4:latest",
      "quay.io/q/x:1",
    ]);

    // image exists: 0 / 1 / 125, no output; short names find localhost/ and path suffixes.
    for (
      const [ref, code] of [
        ["bb2", 0],
        ["localhost/bb2", 0],
        ["foo2", 0],
        ["x:1", 0],
        ["q/x:1", 0],
        ["x", 1],
        [id.slice(0, 12), 0],
        ["nosuch", 1],
        ["BAD::", 125],
      ] as const
    ) {
      r = await berth(["image", "exists", ref]);
      assertEquals([ref, r.code, r.stdout], [ref, code, ""], r.stderr);
    }
    assertEquals((await berth(["image", "exists"])).code, 125);
    assertEquals((await berth(["image", "exists", "a", "b"])).code, 125);

    // images: a positional reference or --filter; a match shows every name of the image.
    await berth(["import", "-q", rootfs, "other:v1"]); // another image (a new created time)
    Deno.writeFileSync(join(dir, "r2.tar"), busyboxRootfs().slice(0, -1024)); // another layer
    r = await berth(["import", "-q", join(dir, "r2.tar")]);
    assertEquals(r.code, 0, r.stderr);
    const dangling = r.stdout.trim();
    r = await berth(["images", "--format", "{{.Repository}}:{{.Tag}}", "x"]);
    assertEquals(r.stdout.split("\n").filter((l) => l).length, 4, r.stdout);
    r = await berth(["images", "-q", "nosuch"]);
    assertEquals([r.code, r.stdout], [0, ""]);
    r = await berth(["images", "-q", "--no-trunc", "--filter", "dangling=true"]);
    assertEquals(r.stdout, `sha256:${dangling}\n`);
    r = await berth(["images", "-q", "--no-trunc", "-f", "dangling=false", "-f", "reference=bb*"]);
    assertEquals(r.stdout, `sha256:${id}\n`); // -q: one line per image, as podman
    r = await berth(["images", "-f", "reference=x", "bb2"]);
    assertEquals([r.code, r.stderr], [125, "Error: cannot specify an image and a filter(s)\n"]);
    assertEquals((await berth(["images", "-f", "bogus=1"])).code, 125);
    // Sizes as podman prints them: "1.23 MB" in templates and in the table.
    r = await berth(["images", "--format", "{{.Size}}", "bb2"]);
    assert(/^\d+(\.\d+)? [kMG]?B$/.test(r.stdout.split("\n")[0]), r.stdout);
    r = await berth(["images", "bb2"]);
    assert(/ \d+(\.\d+)? [kMG]?B\n/.test(r.stdout), r.stdout);

    // rmi statuses: 1 unknown, 0 with -f/-i, 2 in use; every argument is tried.
    r = await berth(["rmi", "nosuch"]);
    assertEquals([r.code, r.stderr], [1, "Error: nosuch: image not known\n"]);
    for (const flag of ["-f", "-i", "--ignore"]) {
      r = await berth(["rmi", flag, "nosuch"]);
      assertEquals([r.code, r.stdout, r.stderr], [0, "", ""], flag);
    }
    r = await berth(["rmi", "nosuch", "other:v1"]);
    assert(r.stdout.startsWith("Untagged: localhost/other:v1\nDeleted: "), r.stdout);
    assertEquals([r.code, r.stderr], [1, "Error: nosuch: image not known\n"]);
    r = await berth(["rmi", "quay.io/q/x:1", "quay.io/q/x:1"]);
    assertEquals([r.code, r.stdout], [125, "Untagged: quay.io/q/x:1\n"]);
    assertEquals(r.stderr, "Error: quay.io/q/x:1: tag not known\n");
    r = await berth(["create", "--name", "user1", "bb2", "true"]);
    assertEquals(r.code, 0, r.stderr);
    const ctr = r.stdout.trim();
    // Untagging a name while others remain is allowed; deleting the image is not.
    r = await berth(["rmi", "bb4", "docker.io/foo2"]);
    assertEquals(r.code, 0, r.stderr);
    const inUse = `image used by ${ctr}: image is in use by a container: ` +
      "consider listing external containers and force-removing image";
    r = await berth(["rmi", "bb2"]);
    assertEquals([r.code, r.stderr], [2, `Error: ${inUse}\n`]);
    r = await berth(["rmi", id, "nosuch"]);
    assertEquals(r.code, 2);
    assertEquals(
      r.stderr,
      `Error: 2 errors occurred:\n\t* nosuch: image not known\n\t* ${inUse}\n`,
    );
    r = await berth(["rmi", "-a", "bb2"]);
    assertEquals(r.code, 125);
    assertEquals((await berth(["rmi"])).code, 125);
    // -f removes the containers using the image, then the image (podman).
    r = await berth([
      "run",
      "-d",
      "--name",
      "user2",
      "bb2",
      "sh",
      "-c",
      "trap 'exit 0' TERM; while :; do sleep 1; done",
    ], 30_000);
    assertEquals(r.code, 0, r.stderr);
    r = await berth(["rmi", "-f", "bb2"], 60_000);
    assertEquals([r.code, r.stdout], [0, `Untagged: localhost/bb2:latest\nDeleted: ${id}\n`]);
    r = await berth(["ps", "-a", "-q"]);
    assertEquals(r.stdout, "");
    r = await berth(["images", "-q", "--no-trunc"]);
    assertEquals(r.stdout, `sha256:${dangling}\n`);

    // run finds an imported image by its localhost/ name and by its short name.
    await berth(["import", "-q", rootfs, "bb2"]);
    for (const ref of ["localhost/bb2", "bb2"]) {
      r = await berth(["run", "--rm", "--pull=missing", ref, "echo", "hi"], 30_000);
      assertEquals([r.code, r.stdout], [0, "hi\n"], r.stderr);
    }
  } finally {
    const mounts = Deno.readTextFileSync("/proc/self/mounts").split("\n")
      .map((l) => l.split(" ")[1]).filter((m) => m?.startsWith(dir));
    for (const m of mounts.reverse()) await new Deno.Command("umount", { args: [m] }).output();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CLI: save writes a docker-archive by default (podman), which berth and podman load", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "berth-cli-" });
  const berth = cli(dir);
  try {
    Deno.writeFileSync(join(dir, "rootfs.tar"), gzipSync(busyboxRootfs()));
    let r = await berth(["import", "-q", join(dir, "rootfs.tar"), "bb:1"]);
    assertEquals(r.code, 0, r.stderr);
    const id = r.stdout.trim();
    const archive = join(dir, "d.tar");
    r = await berth(["save", "-o", archive, "bb:1"]);
    assertEquals(r.code, 0, r.stderr);
    const entries = (await sh(["tar", "-tf", archive])).trim().split("\n").sort();
    assertEquals(entries.length, 3, entries.join(" "));
    const manifest = JSON.parse(await sh(["tar", "-xOf", archive, "manifest.json"]));
    assertEquals(manifest.length, 1);
    assertEquals(manifest[0].Config, `${id}.json`);
    assertEquals(manifest[0].RepoTags, ["localhost/bb:1"]);
    // The layer is stored uncompressed, named by its diff_id.
    const layer = manifest[0].Layers[0];
    const tarBytes = busyboxRootfs();
    assertEquals(`sha256:${layer.replace(".tar", "")}`, digestOf(tarBytes));
    const other = cli(join(dir, "second"));
    r = await other(["load", "-i", archive]);
    assertEquals([r.code, r.stdout], [0, "Loaded image: localhost/bb:1\n"], r.stderr);
    r = await other(["images", "-q", "--no-trunc"]);
    assertEquals(r.stdout, `sha256:${id}\n`);
    r = await berth(["save", "--format", "oci-archive", "-o", join(dir, "o.tar"), "bb:1"]);
    assertEquals(r.code, 0, r.stderr);
    assert((await sh(["tar", "-tf", join(dir, "o.tar")])).includes("index.json"));
    assertEquals((await berth(["save", "--format", "oci-dir", "-o", "x", "bb:1"])).code, 125);

    // podman 4.3.1 loads it too, as the same image.
    const p = join(dir, "podman");
    const podman = [
      "podman",
      "--root",
      `${p}/root`,
      "--runroot",
      `${p}/run`,
      "--tmpdir",
      `${p}/tmp`,
    ];
    await sh([...podman, "load", "-q", "-i", archive]);
    const ids = await sh([
      ...podman,
      "images",
      "--no-trunc",
      "--format",
      "{{.ID}} {{.Repository}}:{{.Tag}}",
    ]);
    assertEquals(ids, `sha256:${id} localhost/bb:1\n`);
    await sh([...podman, "rmi", "-a"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
