/**
 * `diff`, `export`, `history` and multi-image `save`/`load`, each compared with what
 * podman 4.3 prints for the same containers and images (podman in a private store).
 */
import { join } from "node:path";
import { assert, assertEquals } from "../unit/assert.ts";
import {
  busyboxRootfs,
  PODMAN_LIMITS,
  podmanIn,
  type Sandbox,
  sandbox,
  unmountUnder,
} from "../helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function sh(cmd: string[]): Promise<string> {
  const o = await new Deno.Command(cmd[0], { args: cmd.slice(1) }).output();
  if (!o.success) throw new Error(`${cmd.join(" ")}: ${new TextDecoder().decode(o.stderr)}`);
  return new TextDecoder().decode(o.stdout);
}

/** A tar of the busybox tree without /etc (so the containers add it, as in podman's tests). */
async function baseTar(sb: Sandbox): Promise<string> {
  const tree = join(sb.dir, "tree");
  await sh(["cp", "-a", await busyboxRootfs(), tree]);
  Deno.removeSync(join(tree, "etc"), { recursive: true });
  const tar = join(sb.dir, "base.tar");
  await sh(["tar", "-C", tree, "-cf", tar, "."]);
  return tar;
}

/** `tar -tv` without the dates (each engine stamps its mount points when it runs). */
async function listing(tar: string): Promise<string[]> {
  return (await sh(["tar", "-tvf", tar])).trim().split("\n")
    .map((l) => l.split(/\s+/)).map((f) => [f[0], f[1], f[2], ...f.slice(5)].join(" "))
    .sort();
}

const SCRIPT = "mkdir -p /new/sub; echo hi > /new/sub/f; ln -s busybox /bin/ls2; " +
  "rm /bin/cat; echo 1 > /etc/h; echo x > /bin/busybox.new; chmod 700 /bin; " +
  "mkdir -p /root/gone; rm -r /root; echo y > /tmp/t";

Deno.test(
  "diff and export of a container and its commit: as podman prints them",
  opts,
  async () => {
    const sb = sandbox();
    const pm = podmanIn(sb.dir);
    try {
      const tar = await baseTar(sb);
      assertEquals((await sb.berth(["import", "-q", tar, "base"])).code, 0);
      assertEquals((await pm(["import", "-q", tar, "localhost/base"])).code, 0);
      const b = await sb.berth(["run", "--name", "c", "base", "sh", "-c", SCRIPT]);
      assertEquals(b.code, 0, b.stderr);
      const p = await pm([
        "run",
        ...PODMAN_LIMITS,
        "--name",
        "c",
        "localhost/base",
        "sh",
        "-c",
        SCRIPT,
      ]);
      assertEquals(p.code, 0, p.stderr);

      const want = await pm(["diff", "c"]);
      assert(want.stdout.includes("D /bin/cat\n") && want.stdout.includes("C /bin\n"), want.stdout);
      assertEquals((await sb.berth(["diff", "c"])).stdout, want.stdout);
      const wantJson = await pm(["diff", "--format", "json", "c"]);
      assertEquals(
        (await sb.berth(["container", "diff", "--format", "json", "c"])).stdout,
        wantJson.stdout,
      );

      assertEquals((await sb.berth(["commit", "-q", "c", "img"])).code, 0);
      assertEquals((await pm(["commit", "-q", "c", "localhost/img"])).code, 0);
      assertEquals(
        (await sb.berth(["diff", "img"])).stdout,
        (await pm(["diff", "localhost/img"])).stdout,
      );
      // An image of one layer: everything in it is added.
      const base = await sb.berth(["image", "diff", "base"]);
      assertEquals(base.stdout, (await pm(["diff", "localhost/base"])).stdout);
      assert(base.stdout.startsWith("A /bin\nA /bin/["), base.stdout);

      // export: the same tree, entry for entry (type, mode, owner, size, name, link).
      const mine = join(sb.dir, "berth.tar");
      const theirs = join(sb.dir, "podman.tar");
      const e = await sb.berth(["export", "-o", mine, "c"]);
      assertEquals([e.code, e.stdout, e.stderr], [0, "", ""]);
      assertEquals((await pm(["export", "-o", theirs, "c"])).code, 0);
      // Both add /etc/mtab -> /proc/mounts to a container whose image lacks it.
      assertEquals(await listing(mine), await listing(theirs));
      // To stdout when it is not a terminal; refused on one, as podman refuses.
      const piped = await sb.berth(["container", "export", "c"]);
      assertEquals(piped.code, 0, piped.stderr);
      assertEquals(
        piped.stdoutBytes,
        Deno.readFileSync(mine).subarray(0, piped.stdoutBytes.length),
      );
      const tty = await sh([
        "script",
        "-qec",
        `${Deno.execPath()} run -A ${
          join(import.meta.dirname!, "../../main.ts")
        } --root ${sb.root} --runroot ${sb.runroot} export c; echo rc=$?`,
        "/dev/null",
      ]);
      assert(tty.includes("Error: refusing to export to terminal. Use -o flag or redirect"), tty);
      assert(tty.includes("rc=125"), tty);
      const missing = await sb.berth(["export", "-o", join(sb.dir, "x.tar"), "nosuch"]);
      assertEquals(missing.code, 125);
      assert(!Deno.readDirSync(sb.dir).some((f) => f.name.startsWith("x.tar")));
    } finally {
      await pm(["rm", "-a", "-f"]);
      await unmountUnder(sb.dir);
      await sb.cleanup();
    }
  },
);

Deno.test("history: podman's table, -q, --no-trunc, --human=false and json", opts, async () => {
  const sb = sandbox();
  const pm = podmanIn(sb.dir);
  try {
    const tar = await baseTar(sb);
    // A layout whose config has history with an empty layer, loaded by both engines.
    assertEquals((await sb.berth(["import", "-q", tar, "base"])).code, 0);
    const layout = join(sb.dir, "layout");
    const r = await sb.berth(["push", "-q", "base", `oci:${layout}:1`]);
    assertEquals(r.code, 0, r.stderr);
    const index = JSON.parse(Deno.readTextFileSync(join(layout, "index.json")));
    const blob = (d: string) => join(layout, "blobs", "sha256", d.slice(7));
    const manifest = JSON.parse(Deno.readTextFileSync(blob(index.manifests[0].digest)));
    const config = JSON.parse(Deno.readTextFileSync(blob(manifest.config.digest)));
    config.history = [
      {
        created: "2024-01-02T03:04:05.123456789Z",
        created_by: "/bin/sh -c #(nop) ADD file:0123456789abcdef0123456789abcdef in / ",
        comment: "the base",
      },
      {
        created: "2024-01-02T03:04:06Z",
        created_by: '/bin/sh -c #(nop)  CMD ["sh"]',
        empty_layer: true,
      },
    ];
    const cfgBytes = new TextEncoder().encode(JSON.stringify(config));
    const cfgDigest = await digest(cfgBytes);
    Deno.writeFileSync(blob(cfgDigest), cfgBytes);
    manifest.config = { ...manifest.config, digest: cfgDigest, size: cfgBytes.length };
    const mBytes = new TextEncoder().encode(JSON.stringify(manifest));
    const mDigest = await digest(mBytes);
    Deno.writeFileSync(blob(mDigest), mBytes);
    index.manifests = [{
      ...index.manifests[0],
      digest: mDigest,
      size: mBytes.length,
      annotations: { "org.opencontainers.image.ref.name": "localhost/hist:1" },
    }];
    Deno.writeTextFileSync(join(layout, "index.json"), JSON.stringify(index));
    assertEquals((await sb.berth(["load", "-i", layout])).code, 0);
    const ociArchive = join(sb.dir, "hist.tar");
    await sh(["tar", "-C", layout, "-cf", ociArchive, "."]);
    const pl = await pm(["load", "-i", ociArchive]);
    assertEquals(pl.code, 0, pl.stderr);
    // The layer's row names the stored image that layer tops: base, while berth has it.
    const histId = (await sb.berth(["images", "-q", "hist:1"])).stdout.trim();
    const baseId = (await sb.berth(["images", "-q", "base"])).stdout.trim();
    assertEquals((await sb.berth(["history", "-q", "hist:1"])).stdout, `${histId}\n${baseId}\n`);
    // Without it, <missing>, as podman (which never had base) shows it.
    assertEquals((await sb.berth(["rmi", "base"])).code, 0);
    for (
      const args of [
        ["--human=false"],
        ["--human=false", "--no-trunc"],
        ["-q"],
        ["-q", "--no-trunc"],
        ["--format", "json"],
        ["--format", "{{.ID}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}"],
      ]
    ) {
      const want = await pm(["history", ...args, "localhost/hist:1"]);
      assertEquals(want.code, 0, want.stderr);
      const got = await sb.berth(["history", ...args, "hist:1"]);
      assertEquals(got.code, 0, got.stderr);
      assertEquals(got.stdout, want.stdout, args.join(" "));
    }
    // The human table too, in podman's units ("2 years ago").
    const table = await sb.berth(["history", "hist:1"]);
    assertEquals(table.stdout, (await pm(["history", "localhost/hist:1"])).stdout);
    assert(table.stdout.includes("/bin/sh -c #(nop) ADD file:0123456789abcde...  "), table.stdout);
    const missing = await sb.berth(["history", "nosuch"]);
    assertEquals([missing.code, missing.stderr], [125, "Error: nosuch: image not known\n"]);
  } finally {
    await unmountUnder(sb.dir);
    await sb.cleanup();
  }
});

async function digest(b: Uint8Array): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", b.slice()));
  return "sha256:" + [...h].map((x) => x.toString(16).padStart(2, "0")).join("");
}

Deno.test(
  "save and load several images in one docker-archive, with podman both ways",
  opts,
  async () => {
    const sb = sandbox();
    const pm = podmanIn(sb.dir);
    try {
      const tar = await baseTar(sb);
      assertEquals((await sb.berth(["import", "-q", tar, "one:1"])).code, 0);
      assertEquals(
        (await sb.berth(["run", "--name", "c", "one:1", "sh", "-c", "echo 2 > /two"])).code,
        0,
      );
      assertEquals((await sb.berth(["commit", "-q", "c", "two:2"])).code, 0);
      assertEquals((await sb.berth(["tag", "two:2", "two:alias"])).code, 0);
      const ids = (await sb.berth(["images", "-q", "--no-trunc"])).stdout;
      const archive = join(sb.dir, "multi.tar");
      const s = await sb.berth(["save", "-m", "-o", archive, "one:1", "two:2", "two:alias"]);
      assertEquals(s.code, 0, s.stderr);
      const manifest = JSON.parse(await sh(["tar", "-xOf", archive, "manifest.json"]));
      assertEquals(manifest.map((m: { RepoTags: string[] }) => m.RepoTags), [
        ["localhost/one:1"],
        ["localhost/two:2"],
        ["localhost/two:alias"],
      ]);
      // Into a fresh berth store: every image with every tag.
      const fresh = sandbox();
      try {
        const l = await fresh.berth(["load", "-i", archive]);
        assertEquals(
          l.stdout,
          "Loaded image: localhost/one:1\nLoaded image: localhost/two:2\nLoaded image: localhost/two:alias\n",
        );
        assertEquals((await fresh.berth(["images", "-q", "--no-trunc"])).stdout, ids);
        const run = await fresh.berth(["run", "--rm", "two:alias", "cat", "/two"]);
        assertEquals(run.stdout, "2\n", run.stderr);
      } finally {
        await fresh.cleanup();
      }
      // podman loads berth's archive, and berth loads podman's -m archive.
      const pl = await pm(["load", "-i", archive]);
      assertEquals(pl.code, 0, pl.stderr);
      const names = await pm(["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"]);
      for (const n of ["localhost/one:1", "localhost/two:2", "localhost/two:alias"]) {
        assert(names.stdout.includes(n), names.stdout);
      }
      const theirs = join(sb.dir, "podman-multi.tar");
      const ps = await pm(["save", "-m", "-o", theirs, "localhost/one:1", "localhost/two:2"]);
      assertEquals(ps.code, 0, ps.stderr);
      const back = sandbox();
      try {
        const l = await back.berth(["load", "-i", theirs]);
        assertEquals(
          l.stdout,
          "Loaded image: localhost/one:1\nLoaded image: localhost/two:2\n",
          l.stderr,
        );
        const run = await back.berth(["run", "--rm", "two:2", "cat", "/two"]);
        assertEquals(run.stdout, "2\n", run.stderr);
      } finally {
        await back.cleanup();
      }
    } finally {
      await unmountUnder(sb.dir);
      await sb.cleanup();
    }
  },
);
