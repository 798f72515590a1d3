import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../unit/assert.ts";
import { buildImage, busyboxRootfs, digestOf, sh, writeOciLayout } from "./fixtures.ts";
import { testRoot } from "./helpers.ts";
import { cli } from "./cli_helper.ts";
import {
  makeCerts,
  startRegistry,
  startTokenServer,
  type TestRegistry,
} from "./registry_helper.ts";
import { buildTar } from "../../src/archive/tar_writer.ts";
import { loadImages } from "../../src/image/load.ts";
import { pushDestination, pushImage } from "../../src/image/push.ts";
import { RegistryError } from "../../src/errors.ts";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

/** busybox plus a layer of 300 KiB of noise (gzip, or as `noise` says): two blobs, a config. */
function appImage(noise: "gzip" | "none" = "gzip") {
  const bytes = new Uint8Array(300 << 10);
  for (let i = 0; i < bytes.length; i += 65536) {
    crypto.getRandomValues(bytes.subarray(i, Math.min(i + 65536, bytes.length)));
  }
  const extra = buildTar([
    { name: "data", type: "dir", mtime: 1700000000 },
    { name: "data/noise", type: "file", data: bytes, mtime: 1700000000 },
  ]);
  return buildImage({
    layers: [{ tar: busyboxRootfs(), compression: "gzip" }, { tar: extra, compression: noise }],
  });
}

/** Write `img` as an OCI layout named `name`, for `berth load -i`. */
function layoutOf(dir: string, img: ReturnType<typeof appImage>, name: string): string {
  const layout = join(dir, `layout-${crypto.randomUUID().slice(0, 6)}`);
  writeOciLayout(layout, img.blobs, [{ name, digest: img.manifestDigest }]);
  return layout;
}

/** The registry's requests since log offset `from`: `METHOD path`. */
function requests(reg: TestRegistry, from = 0): string[] {
  return [...reg.log().slice(from).matchAll(/"(HEAD|GET|POST|PUT|PATCH|DELETE) (\S+) HTTP/g)]
    .map((m) => `${m[1]} ${m[2]}`);
}

const uploads = (reqs: string[]) =>
  reqs.filter((r) => /^(PUT|PATCH) \/v2\/.*\/blobs\/uploads\//.test(r));

async function skopeoRaw(ref: string, extra: string[] = ["--tls-verify=false"]) {
  return await sh(["skopeo", "inspect", "--raw", ...extra, ref]);
}

Deno.test("push over plain HTTP: read back by skopeo and berth pull; no re-upload; mount; --digestfile", async () => {
  const t = testRoot();
  const reg = await startRegistry(t.dir, join(t.dir, "storage"));
  const berth = cli(t.dir);
  try {
    const img = appImage();
    const loaded = await berth(["load", "-i", layoutOf(t.dir, img, "localhost/app:1")]);
    assertEquals(loaded.code, 0, loaded.stderr);
    const dest = `${reg.host}/team/app:1`;
    const digestFile = join(t.dir, "digest");
    const pushed = await berth([
      "push",
      "--tls-verify=false",
      "--digestfile",
      digestFile,
      "localhost/app:1",
      dest,
    ]);
    assertEquals(pushed.code, 0, pushed.stderr);
    assertEquals(pushed.stdout, "");
    const layers = JSON.parse(new TextDecoder().decode(img.manifest)).layers;
    assertEquals(
      pushed.stderr,
      [
        "Getting image source signatures",
        ...layers.map((l: { digest: string }) => `Copying blob ${l.digest}`),
        `Copying config ${img.configDigest}`,
        "Writing manifest to image destination",
        "Storing signatures",
        "",
      ].join("\n"),
    );
    // The stored manifest went up byte for byte: same digest everywhere.
    const raw = await skopeoRaw(`docker://${dest}`);
    assertEquals(digestOf(new TextEncoder().encode(raw)), img.manifestDigest);
    const inspect = JSON.parse(
      await sh(["skopeo", "inspect", "--tls-verify=false", `docker://${dest}`]),
    );
    assertEquals(inspect.Digest, img.manifestDigest);
    assertEquals(Deno.readTextFileSync(digestFile), inspect.Digest);
    const ociDir = join(t.dir, "copied");
    await sh([
      "skopeo",
      "copy",
      "--preserve-digests",
      "--dest-oci-accept-uncompressed-layers",
      "--src-tls-verify=false",
      `docker://${dest}`,
      `oci:${ociDir}:x`,
    ]);
    for (const [d, bytes] of img.blobs) {
      const got = Deno.readFileSync(join(ociDir, "blobs", "sha256", d.slice(7)));
      assertEquals(digestOf(got), digestOf(bytes));
    }
    // Pulled back into a fresh root: the same image, digest for digest.
    const fresh = cli(join(t.dir, "fresh"));
    const pulled = await fresh(["pull", "-q", "--tls-verify=false", dest]);
    assertEquals(pulled.code, 0, pulled.stderr);
    assertEquals(pulled.stdout.trim(), img.configDigest.slice(7));
    const info = JSON.parse((await fresh(["image", "inspect", dest])).stdout)[0];
    assertEquals(info.Digest, img.manifestDigest);
    const ran = await fresh(["run", "--rm", dest, "sh", "-c", "wc -c < /data/noise"]);
    assertEquals(ran.stdout.trim(), String(300 << 10), ran.stderr);

    // A second push finds every blob (HEAD) and uploads none.
    const mark = reg.log().length;
    const again = await berth(["push", "-q", "--tls-verify=false", "localhost/app:1", dest]);
    assertEquals(again.code, 0, again.stderr);
    assertEquals(again.stderr, "");
    const second = requests(reg, mark);
    assertEquals(uploads(second), []);
    assertEquals(second.filter((r) => r.startsWith("HEAD ")).length, 3);
    assertEquals(second.filter((r) => r.startsWith("POST ")), []);

    // To another repository of the same registry: each blob is mounted, none uploaded.
    const mark2 = reg.log().length;
    const other = await berth([
      "push",
      "--tls-verify=false",
      "localhost/app:1",
      `docker://${reg.host}/other/app:2`,
    ]);
    assertEquals(other.code, 0, other.stderr);
    const third = requests(reg, mark2);
    assertEquals(uploads(third), []);
    const mounts = third.filter((r) => r.startsWith("POST /v2/other/app/blobs/uploads/?"));
    assertEquals(mounts.length, 3, third.join("\n"));
    assert(mounts.every((r) => r.includes("from=team%2Fapp")), mounts.join("\n"));
    const raw2 = await skopeoRaw(`docker://${reg.host}/other/app:2`);
    assertEquals(digestOf(new TextEncoder().encode(raw2)), img.manifestDigest);

    // An image given by ID names no registry: a destination is needed.
    const byId = await berth(["push", img.configDigest.slice(7, 19)]);
    assertEquals([byId.code, byId.stderr], [
      125,
      `Error: ${img.configDigest.slice(7, 19)} is an image ID: push it to a DESTINATION\n`,
    ]);
    // An image that is not stored, and a registry that is not there: one Error line each.
    const missing = await berth(["push", "--tls-verify=false", "nosuch", `${reg.host}/x:1`]);
    assertEquals(missing.code, 125);
    assertEquals(missing.stderr, "Error: nosuch: image not known\n");
    const down = await berth(["push", "--tls-verify=false", "localhost/app:1", "127.0.0.1:1/x:1"]);
    assertEquals(down.code, 125);
    assertEquals(down.stderr.split("\n").filter((l) => l).length, 1, down.stderr);
    assert(down.stderr.startsWith("Error: "), down.stderr);
  } finally {
    await reg.stop();
    await t.cleanup();
  }
});

Deno.test("push --format docker writes a v2s2 manifest that skopeo and berth pull read", async () => {
  const t = testRoot();
  const reg = await startRegistry(t.dir, join(t.dir, "storage"));
  const berth = cli(t.dir);
  try {
    const img = appImage();
    assertEquals((await berth(["load", "-i", layoutOf(t.dir, img, "localhost/app:1")])).code, 0);
    const dest = `${reg.host}/app:docker`;
    const digestFile = join(t.dir, "digest");
    const r = await berth([
      "push",
      "--format",
      "docker",
      "--tls-verify=false",
      "--digestfile",
      digestFile,
      "app:1",
      dest,
    ]);
    assertEquals(r.code, 0, r.stderr);
    const raw = JSON.parse(await skopeoRaw(`docker://${dest}`));
    assertEquals(raw.mediaType, DOCKER_MANIFEST);
    assertEquals(raw.config.mediaType, "application/vnd.docker.container.image.v1+json");
    assertEquals(raw.layers.map((l: { mediaType: string }) => l.mediaType), [
      "application/vnd.docker.image.rootfs.diff.tar.gzip",
      "application/vnd.docker.image.rootfs.diff.tar.gzip",
    ]);
    const inspect = JSON.parse(
      await sh(["skopeo", "inspect", "--tls-verify=false", `docker://${dest}`]),
    );
    assertEquals(Deno.readTextFileSync(digestFile), inspect.Digest);
    assert(inspect.Digest !== img.manifestDigest);
    const fresh = cli(join(t.dir, "fresh"));
    const pulled = await fresh(["pull", "-q", "--tls-verify=false", dest]);
    assertEquals(pulled.code, 0, pulled.stderr);
    assertEquals(pulled.stdout.trim(), img.configDigest.slice(7)); // same config: same ID
    // And back to OCI: the original bytes again.
    const back = await fresh([
      "push",
      "-q",
      "--format",
      "oci",
      "--tls-verify=false",
      dest,
      `${reg.host}/app:oci`,
    ]);
    assertEquals(back.code, 0, back.stderr);
    const oci = JSON.parse(await skopeoRaw(`docker://${reg.host}/app:oci`));
    assertEquals(oci.mediaType, OCI_MANIFEST);
    const bad = await berth(["push", "--format", "v2s1", "app:1", dest]);
    assertEquals(bad.code, 125);
    assertEquals(bad.stderr, 'Error: unsupported manifest format "v2s1": use oci or docker\n');
  } finally {
    await reg.stop();
    await t.cleanup();
  }
});

Deno.test("push in PATCH chunks above the chunk size, closed by a PUT with the digest", async () => {
  const t = testRoot();
  const reg = await startRegistry(t.dir, join(t.dir, "storage"));
  try {
    const img = appImage();
    await loadImages(t.ctx, layoutOf(t.dir, img, "localhost/app:1"));
    const dest = `${reg.host}/chunked:1`;
    const sent: number[] = [];
    const result = await pushImage(t.ctx, "app:1", pushDestination(t.ctx, "app:1", dest), {
      tlsVerify: false,
      chunkSize: 64 << 10,
      onEvent: (e) => {
        if (e.kind === "blob" && e.done < e.size) sent.push(e.done);
      },
    });
    assertEquals(result.digest, img.manifestDigest);
    const reqs = requests(reg);
    const patches = reqs.filter((r) => r.startsWith("PATCH /v2/chunked/blobs/uploads/"));
    const chunksOf = (n: number) => Math.ceil(n / (64 << 10));
    const [busybox, noise] = img.layerBlobs.map((b) => b.length);
    assertEquals(patches.length, chunksOf(busybox) + chunksOf(noise), reqs.join("\n"));
    assert(sent.includes(64 << 10) && sent.includes(128 << 10), String(sent));
    const closes = reqs.filter((r) => /^PUT \/v2\/chunked\/blobs\/uploads\/.*digest=/.test(r));
    // Each layer's chunks closed by a PUT with the digest; the config (small) in one PUT.
    assertEquals(closes.length, 3);
    const ociDir = join(t.dir, "copied");
    await sh([
      "skopeo",
      "copy",
      "--preserve-digests",
      "--dest-oci-accept-uncompressed-layers",
      "--src-tls-verify=false",
      `docker://${dest}`,
      `oci:${ociDir}`,
    ]);
    for (const [d] of img.blobs) {
      const got = Deno.readFileSync(join(ociDir, "blobs", "sha256", d.slice(7)));
      assertEquals(digestOf(got), d);
    }
  } finally {
    await reg.stop();
    await t.cleanup();
  }
});

Deno.test("push with Bearer tokens: bad credentials fail, nothing written; mount across repositories", async () => {
  const t = testRoot();
  const tokens = await startTokenServer(t.dir, "ci", "pw");
  const reg = await startRegistry(t.dir, join(t.dir, "storage"), {
    auth: { kind: "token", realm: tokens.realm, certFile: tokens.certFile },
  });
  const berth = cli(t.dir);
  try {
    const img = appImage();
    assertEquals((await berth(["load", "-i", layoutOf(t.dir, img, "localhost/app:1")])).code, 0);
    const bad = await berth([
      "push",
      "--tls-verify=false",
      "--creds",
      "ci:wrong",
      "app:1",
      `${reg.host}/a:1`,
    ]);
    assertEquals(bad.code, 125);
    const errLines = bad.stderr.split("\n").filter((l) => l.startsWith("Error:"));
    assertEquals(errLines.length, 1, bad.stderr);
    assert(errLines[0].includes("token server refused (401)"), bad.stderr);
    assertEquals(uploads(requests(reg)), []);
    const ok = await berth([
      "push",
      "-q",
      "--tls-verify=false",
      "--creds",
      "ci:pw",
      "app:1",
      `${reg.host}/a:1`,
    ]);
    assertEquals(ok.code, 0, ok.stderr);
    assert(
      // The registry's challenge names the actions in either order (berth asks with its scope).
      tokens.requests.some((r) => /^repository:a:(pull,push|push,pull)$/.test(r.scope ?? "")),
      JSON.stringify(tokens.requests),
    );
    // Credentials from the auth file `login` wrote, as for pull.
    const env = ["--authfile", join(t.dir, "auth.json")];
    const login = await berth([
      "login",
      ...env,
      "--tls-verify=false",
      "-u",
      "ci",
      "-p",
      "pw",
      reg.host,
    ]);
    assertEquals(login.code, 0, login.stderr);
    const viaFile = await berth([
      "push",
      "-q",
      ...env,
      "--tls-verify=false",
      "app:1",
      `${reg.host}/c:1`,
    ]);
    assertEquals(viaFile.code, 0, viaFile.stderr);
    // build's base image comes through the same flags: --authfile's credentials, into a fresh
    // store, and nothing without them.
    const ctx = join(t.dir, "ctx");
    Deno.mkdirSync(ctx);
    Deno.writeTextFileSync(join(ctx, "Containerfile"), `FROM ${reg.host}/c:1\nLABEL built=yes\n`);
    const fresh = cli(join(t.dir, "fresh"));
    const denied = await fresh(["build", "-q", "--tls-verify=false", "-t", "b1", ctx]);
    assert(denied.code !== 0, denied.stderr);
    assertEquals(denied.stderr.split("\n").filter((l) => l.startsWith("Error:")).length, 1);
    const built = await fresh(["build", "-q", ...env, "--tls-verify=false", "-t", "b1", ctx]);
    assertEquals(built.code, 0, built.stderr);
    const mark = reg.log().length;
    const mounted = await berth([
      "push",
      "-q",
      "--tls-verify=false",
      "--creds",
      "ci:pw",
      "app:1",
      `${reg.host}/b:1`,
    ]);
    assertEquals(mounted.code, 0, mounted.stderr);
    const reqs = requests(reg, mark);
    assertEquals(uploads(reqs), []);
    // From the repository pushed to last. (Each is logged twice: the first try gets a
    // challenge for the two-repository scope.)
    const mounts = new Set(reqs.filter((r) => r.includes("mount=") && r.includes("from=c")));
    assertEquals(mounts.size, 3, reqs.join("\n"));
    assert(
      tokens.requests.some((r) => r.scope === "repository:a:pull"),
      JSON.stringify(tokens.requests),
    );
    const raw = await skopeoRaw(`docker://${reg.host}/b:1`, [
      "--tls-verify=false",
      "--creds",
      "ci:pw",
    ]);
    assertEquals(digestOf(new TextEncoder().encode(raw)), img.manifestDigest);
  } finally {
    await reg.stop();
    await tokens.stop();
    await t.cleanup();
  }
});

Deno.test("push over TLS with a private CA: refused without it, pushed with --cert-dir", async () => {
  const t = testRoot();
  const certs = await makeCerts(t.dir);
  const reg = await startRegistry(t.dir, join(t.dir, "storage"), {
    tls: { cert: certs.cert, key: certs.key },
  });
  try {
    const img = appImage();
    await loadImages(t.ctx, layoutOf(t.dir, img, "localhost/app:1"));
    const dest = pushDestination(t.ctx, "app:1", `${reg.host}/tls:1`);
    await assertRejects(() => pushImage(t.ctx, "app:1", dest, { tlsVerify: true }), RegistryError);
    const certDir = join(t.dir, "certs");
    Deno.mkdirSync(certDir);
    Deno.copyFileSync(certs.ca, join(certDir, "ca.crt"));
    const r = await pushImage(t.ctx, "app:1", dest, { tlsVerify: true, certDir });
    assertEquals(r.digest, img.manifestDigest);
    const raw = await skopeoRaw(`docker://${reg.host}/tls:1`, ["--cert-dir", certDir]);
    assertEquals(digestOf(new TextEncoder().encode(raw)), img.manifestDigest);
  } finally {
    await reg.stop();
    await t.cleanup();
  }
});

Deno.test("push to oci:DIR:TAG and docker-archive:FILE", async () => {
  const t = testRoot();
  const berth = cli(t.dir);
  try {
    const img = appImage();
    assertEquals((await berth(["load", "-i", layoutOf(t.dir, img, "localhost/app:1")])).code, 0);
    const dir = join(t.dir, "out-layout");
    const r = await berth(["push", "app:1", `oci:${dir}:v1`]);
    assertEquals(r.code, 0, r.stderr);
    const layers = JSON.parse(new TextDecoder().decode(img.manifest)).layers;
    assertEquals(
      r.stderr,
      [
        "Getting image source signatures",
        ...layers.map((l: { digest: string }) => `Copying blob ${l.digest}`),
        `Copying config ${img.configDigest}`,
        "Writing manifest to image destination",
        "Storing signatures",
        "",
      ].join("\n"),
    );
    const raw = await sh(["skopeo", "inspect", "--raw", `oci:${dir}:v1`]);
    assertEquals(digestOf(new TextEncoder().encode(raw)), img.manifestDigest);
    const archive = join(t.dir, "app.tar");
    const a = await berth(["push", "app:1", `docker-archive:${archive}`]);
    assertEquals(a.code, 0, a.stderr);
    const fresh = cli(join(t.dir, "fresh"));
    const loaded = await fresh(["load", "-i", archive]);
    assertEquals(loaded.stdout, "Loaded image: localhost/app:1\n", loaded.stderr);
    const id = await fresh(["images", "-q", "--no-trunc", "app:1"]);
    assertEquals(id.stdout.trim(), img.configDigest);
  } finally {
    await t.cleanup();
  }
});

Deno.test("push of a corrupt stored blob: the registry refuses it, no manifest is written", async () => {
  const t = testRoot();
  const reg = await startRegistry(t.dir, join(t.dir, "storage"));
  const berth = cli(t.dir);
  try {
    const img = appImage();
    assertEquals((await berth(["load", "-i", layoutOf(t.dir, img, "localhost/app:1")])).code, 0);
    const layer = JSON.parse(new TextDecoder().decode(img.manifest)).layers[1].digest;
    const path = join(t.dir, "root", "images", "blobs", "sha256", layer.slice(7));
    const bytes = Deno.readFileSync(path);
    bytes[bytes.length - 600] ^= 0xff;
    Deno.writeFileSync(path, bytes);
    const r = await berth(["push", "--tls-verify=false", "app:1", `${reg.host}/bad:1`]);
    assertEquals(r.code, 125);
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("Error:"));
    assertEquals(errors.length, 1, r.stderr);
    assert(errors[0].includes(`uploading blob ${layer}: 400`), r.stderr);
    assert(!r.stderr.includes("Writing manifest"), r.stderr);
    assertEquals(requests(reg).filter((q) => q.startsWith("PUT /v2/bad/manifests/")), []);
  } finally {
    await reg.stop();
    await t.cleanup();
  }
});

Deno.test("push progress: bytes and outcomes per blob on a terminal only", async () => {
  const t = testRoot();
  const reg = await startRegistry(t.dir, join(t.dir, "storage"));
  const berth = cli(t.dir);
  try {
    const img = appImage();
    assertEquals((await berth(["load", "-i", layoutOf(t.dir, img, "localhost/app:1")])).code, 0);
    const main = new URL("../../main.ts", import.meta.url).pathname;
    const cmd = [Deno.execPath(), "run", "-A", main, "--root", join(t.dir, "root"), "--runroot"]
      .concat([join(t.dir, "run"), "push", "--tls-verify=false", "app:1", `${reg.host}/tty:1`])
      .join(" ");
    const onTty = async () => await sh(["script", "-qec", cmd, "/dev/null"]);
    const first = await onTty();
    const short = img.configDigest.slice(7, 19);
    assert(first.includes(`\r\x1b[K  ${short} `) && first.includes(" done\r\n"), first);
    const second = await onTty();
    assert(second.includes(`  ${short} skipped: already exists`), second);
    const off = await berth(["push", "--tls-verify=false", "app:1", `${reg.host}/tty:1`]);
    assert(!off.stderr.includes("skipped") && !off.stderr.includes("\r"), off.stderr);
  } finally {
    await reg.stop();
    await t.cleanup();
  }
});

Deno.test("push: a mount the registry cannot do becomes an upload in the session it opens", async () => {
  const t = testRoot();
  const first = await startRegistry(t.dir, join(t.dir, "storage1"));
  const port = Number(first.host.split(":")[1]);
  const berth = cli(t.dir);
  const img = appImage();
  try {
    assertEquals((await berth(["load", "-i", layoutOf(t.dir, img, "localhost/app:1")])).code, 0);
    const r = await berth(["push", "-q", "--tls-verify=false", "app:1", `${first.host}/x:1`]);
    assertEquals(r.code, 0, r.stderr);
  } finally {
    await first.stop();
  }
  // The same address, an empty registry: berth still remembers the blobs in x.
  const reg = await startRegistry(t.dir, join(t.dir, "storage2"), { port });
  try {
    const r = await berth(["push", "-q", "--tls-verify=false", "app:1", `${reg.host}/y:1`]);
    assertEquals(r.code, 0, r.stderr);
    const reqs = requests(reg);
    assertEquals(reqs.filter((q) => q.includes("mount=") && q.includes("from=x")).length, 3);
    assertEquals(reqs.filter((q) => q === "POST /v2/y/blobs/uploads/"), []); // no second POST
    assertEquals(uploads(reqs).length, 3);
    const raw = await skopeoRaw(`docker://${reg.host}/y:1`);
    assertEquals(digestOf(new TextEncoder().encode(raw)), img.manifestDigest);
  } finally {
    await reg.stop();
    await t.cleanup();
  }
});

Deno.test("push: an uncompressed layer goes as gzip once; later pushes find or mount it", async () => {
  const t = testRoot();
  const reg = await startRegistry(t.dir, join(t.dir, "storage"));
  const berth = cli(t.dir);
  try {
    const img = appImage("none");
    assertEquals((await berth(["load", "-i", layoutOf(t.dir, img, "localhost/app:1")])).code, 0);
    const dest = `${reg.host}/gz:1`;
    const digestFile = join(t.dir, "digest");
    const r = await berth([
      "push",
      "--tls-verify=false",
      "--digestfile",
      digestFile,
      "app:1",
      dest,
    ]);
    assertEquals(r.code, 0, r.stderr);
    const raw = await skopeoRaw(`docker://${dest}`);
    const pushed = JSON.parse(raw);
    const stored = JSON.parse(new TextDecoder().decode(img.manifest));
    assertEquals(pushed.config, stored.config);
    assertEquals(pushed.layers[0], stored.layers[0]); // already gzip: sent as it is
    assertEquals(pushed.layers[1].mediaType, "application/vnd.oci.image.layer.v1.tar+gzip");
    assert(pushed.layers[1].size < stored.layers[1].size + 1024);
    const digest = digestOf(new TextEncoder().encode(raw));
    assertEquals(Deno.readTextFileSync(digestFile), digest);
    // The report names the layer as stored (its uncompressed digest), as podman's does.
    assert(r.stderr.includes(`Copying blob ${stored.layers[1].digest}\n`), r.stderr);
    // Pulled back: the same image (config, diff_ids, content), under the pushed digest.
    const fresh = cli(join(t.dir, "fresh"));
    const pulled = await fresh(["pull", "-q", "--tls-verify=false", dest]);
    assertEquals(pulled.stdout.trim(), img.configDigest.slice(7), pulled.stderr);
    const info = JSON.parse((await fresh(["image", "inspect", dest])).stdout)[0];
    assertEquals(info.Digest, digest);
    const ran = await fresh(["run", "--rm", dest, "sh", "-c", "wc -c < /data/noise"]);
    assertEquals(ran.stdout.trim(), String(300 << 10), ran.stderr);
    // Again: three HEADs find everything, nothing is uploaded, the same manifest is written.
    const mark = reg.log().length;
    const again = await berth([
      "push",
      "-q",
      "--tls-verify=false",
      "--digestfile",
      digestFile,
      "app:1",
      dest,
    ]);
    assertEquals(again.code, 0, again.stderr);
    const reqs = requests(reg, mark);
    assertEquals(uploads(reqs), []);
    assertEquals(reqs.filter((q) => q.startsWith("HEAD ")).length, 3);
    assertEquals(Deno.readTextFileSync(digestFile), digest);
    // To another repository: the gzip form is mounted, not compressed and sent again.
    const mark2 = reg.log().length;
    const other = await berth(["push", "-q", "--tls-verify=false", "app:1", `${reg.host}/gz2:1`]);
    assertEquals(other.code, 0, other.stderr);
    const reqs2 = requests(reg, mark2);
    assertEquals(uploads(reqs2), []);
    assert(reqs2.some((q) => q.includes(`mount=${encodeURIComponent(pushed.layers[1].digest)}`)));
    // A stored uncompressed layer that no longer matches its digest is caught before sending.
    const path = join(t.dir, "root", "images", "blobs", "sha256", stored.layers[1].digest.slice(7));
    const bytes = Deno.readFileSync(path);
    bytes[1000] ^= 0xff;
    Deno.writeFileSync(path, bytes);
    Deno.removeSync(join(t.dir, "root", "blob-info.json"));
    const bad = await berth(["push", "-q", "--tls-verify=false", "app:1", `${reg.host}/gz3:1`]);
    assertEquals(bad.code, 125);
    assertEquals(bad.stderr.split("\n").filter((l) => l).length, 1, bad.stderr);
    assert(
      bad.stderr.includes(`blob ${stored.layers[1].digest} is corrupt in the store`),
      bad.stderr,
    );
  } finally {
    await reg.stop();
    await t.cleanup();
  }
});
