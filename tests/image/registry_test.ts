import { ImageError, RegistryError } from "../../src/errors.ts";
import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../unit/assert.ts";
import { buildImage, buildIndex, busyboxRootfs, digestOf, sh } from "./fixtures.ts";
import { testRoot } from "./helpers.ts";
import {
  makeCerts,
  push,
  startRegistry,
  startTokenServer,
  type TestRegistry,
} from "./registry_helper.ts";
import { type PullEvent, pullImage } from "../../src/image/pull.ts";
import { imageConfig } from "../../src/image/store.ts";
import { buildTar } from "../../src/archive/tar_writer.ts";
import { hostPlatform } from "../../src/image/manifest.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

/** Run the berth CLI against `root`. */
async function berth(dir: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN,
      "--root",
      join(dir, "cli-root"),
      "--runroot",
      join(dir, "cli-run"),
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
    env,
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** busybox for two platforms (amd64, arm64/v8) behind an index, plus a second layer. */
function twoPlatformImage() {
  const base = busyboxRootfs();
  const extra = (arch: string) =>
    buildTar([{ name: "etc/arch", type: "file", data: arch, mtime: 1700000000 }]);
  const amd = buildImage({
    layers: [{ tar: base, compression: "gzip" }, { tar: extra("amd64"), compression: "gzip" }],
    architecture: "amd64",
  });
  const arm = buildImage({
    layers: [{ tar: base, compression: "gzip" }, { tar: extra("arm64"), compression: "zstd" }],
    architecture: "arm64",
    variant: "v8",
  });
  const attestation = buildImage({
    layers: [{ tar: extra("attestation"), compression: "gzip" }],
    architecture: "unknown",
    os: "unknown",
  });
  const index = buildIndex([
    { img: attestation, platform: { os: "unknown", architecture: "unknown" } },
    { img: amd, platform: { os: "linux", architecture: "amd64" } },
    { img: arm, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
  ]);
  return { amd, arm, index };
}

async function seed(reg: TestRegistry) {
  const { amd, arm, index } = twoPlatformImage();
  await push(reg.host, "library/busybox", index.blobs, [
    { ref: amd.manifestDigest, bytes: amd.manifest, mediaType: OCI_MANIFEST },
    { ref: arm.manifestDigest, bytes: arm.manifest, mediaType: OCI_MANIFEST },
    { ref: "latest", bytes: index.index, mediaType: OCI_INDEX },
  ]);
  const single = buildImage({ layers: [{ tar: busyboxRootfs(), compression: "gzip" }] });
  await push(reg.host, "single", single.blobs, [
    { ref: "1", bytes: single.manifest, mediaType: OCI_MANIFEST },
  ]);
  return { amd, arm, index, single };
}

Deno.test("pull over plain HTTP: platforms, digests, no second download, CLI", async () => {
  const t = testRoot();
  const reg = await startRegistry(t.dir, join(t.dir, "storage"));
  try {
    const { amd, arm, index } = await seed(reg);
    const events: PullEvent[] = [];
    const opts = { tlsVerify: false, onEvent: (e: PullEvent) => events.push(e) };
    const row = await pullImage(t.ctx, `${reg.host}/library/busybox`, opts);
    const mine = hostPlatform().architecture === "arm64" ? arm : amd;
    assertEquals(row.id, mine.configDigest.slice(7));
    assertEquals(row.digest, mine.manifestDigest);
    assertEquals(imageConfig(row).architecture, hostPlatform().architecture);
    const downloaded = events.filter((e) => e.kind === "blob" && !e.skipped && e.done === e.size);
    assertEquals(downloaded.length, 3); // config + 2 layers
    // Again: everything is present, nothing is fetched.
    events.length = 0;
    const again = await pullImage(t.ctx, `${reg.host}/library/busybox:latest`, opts);
    assertEquals(again.id, row.id);
    assert(events.filter((e) => e.kind === "blob").every((e) => e.kind === "blob" && e.skipped));
    // Another platform shares the base layer: only its config and top layer are fetched.
    events.length = 0;
    const other = await pullImage(t.ctx, `${reg.host}/library/busybox`, {
      ...opts,
      platform: {
        os: "linux",
        architecture: hostPlatform().architecture === "arm64" ? "amd64" : "arm64",
      },
    });
    assert(other.id !== row.id);
    assertEquals(
      events.filter((e) => e.kind === "blob" && !e.skipped && e.done === e.size).length,
      2,
    );
    // By digest (the index, and a platform manifest).
    const byIndex = await pullImage(t.ctx, `${reg.host}/library/busybox@${index.digest}`, opts);
    assertEquals(byIndex.id, row.id);
    const byManifest = await pullImage(
      t.ctx,
      `${reg.host}/library/busybox@${arm.manifestDigest}`,
      opts,
    );
    assertEquals(byManifest.id, arm.configDigest.slice(7));
    // A platform that is not there.
    await assertRejects(
      () =>
        pullImage(t.ctx, `${reg.host}/library/busybox`, {
          ...opts,
          platform: { os: "linux", architecture: "s390x" },
        }),
      ImageError,
      "no image found",
    );
    // TLS verification on: a plain-HTTP registry is refused.
    await assertRejects(
      () => pullImage(t.ctx, `${reg.host}/single:1`, { tlsVerify: true }),
      RegistryError,
      "tls-verify",
    );
    // The CLI: quiet when not a terminal, prints the ID.
    const r = await berth(t.dir, ["pull", "--tls-verify=false", `${reg.host}/single:1`]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stderr, "");
    assert(/^[0-9a-f]{64}\n$/.test(r.stdout), r.stdout);
    // berth.conf's insecure list stands in for --tls-verify=false; an explicit flag still wins.
    const conf = join(t.dir, "berth.conf");
    Deno.writeTextFileSync(conf, `[registries]\ninsecure = ["${reg.host}"]\n`);
    const byConfig = await berth(t.dir, ["pull", `${reg.host}/single:1`], { BERTH_CONFIG: conf });
    assertEquals(byConfig.code, 0, byConfig.stderr);
    const verified = await berth(t.dir, ["pull", "--tls-verify", `${reg.host}/single:1`], {
      BERTH_CONFIG: conf,
    });
    assertEquals(verified.code, 125);
    assert(verified.stderr.includes("tls-verify"), verified.stderr);
    const plain = await berth(t.dir, ["pull", `${reg.host}/single:1`]);
    assertEquals(plain.code, 125);
    assert(plain.stderr.includes("tls-verify"), plain.stderr);
    const missing = await berth(t.dir, ["pull", "--tls-verify=false", `${reg.host}/nothere:1`]);
    assertEquals(missing.code, 125);
    assert(
      missing.stderr.includes("MANIFEST_UNKNOWN") || missing.stderr.includes("404"),
      missing.stderr,
    );
  } finally {
    await reg.stop();
    await t.cleanup();
  }
});

Deno.test("pull: a tampered blob is an error and nothing is kept", async () => {
  const t = testRoot();
  const reg = await startRegistry(t.dir, join(t.dir, "storage"));
  try {
    const { single } = await seed(reg);
    const layer = [...single.blobs.keys()].find((d) =>
      single.layerBlobs.some((b) => digestOf(b) === d)
    )!;
    const hex = layer.slice(7);
    const data = join(
      t.dir,
      "storage/docker/registry/v2/blobs/sha256",
      hex.slice(0, 2),
      hex,
      "data",
    );
    const bytes = Deno.readFileSync(data);
    bytes[bytes.length - 10] ^= 0xff;
    Deno.writeFileSync(data, bytes);
    await assertRejects(
      () => pullImage(t.ctx, `${reg.host}/single:1`, { tlsVerify: false }),
      ImageError,
      "digest",
    );
    assertEquals([...Deno.readDirSync(t.ctx.paths.layersDir)].length, 0);
    assertEquals([...Deno.readDirSync(t.ctx.paths.tmpDir)].length, 0);
    assert(![...Deno.readDirSync(t.ctx.paths.blobsDir)].some((e) => e.name === hex));
    assertEquals(t.ctx.store.db.prepare("SELECT count(*) AS n FROM images").get()!.n, 0);
  } finally {
    await reg.stop();
    await t.cleanup();
  }
});

Deno.test("concurrent pulls by several processes: one download per blob, one layer", async () => {
  const t = testRoot();
  const reg = await startRegistry(t.dir, join(t.dir, "storage"));
  try {
    const { single } = await seed(reg);
    const runs = await Promise.all(
      [1, 2, 3].map(() => berth(t.dir, ["pull", "--tls-verify=false", `${reg.host}/single:1`])),
    );
    for (const r of runs) assertEquals(r.code, 0, r.stderr);
    assertEquals(new Set(runs.map((r) => r.stdout)).size, 1);
    const layerDigest = digestOf(single.layerBlobs[0]);
    await reg.stop(); // flushes its log
    const gets = reg.log().split("\n").filter((l) =>
      l.includes("response completed") && l.includes("http.request.method=GET") &&
      l.includes(`/v2/single/blobs/${layerDigest}`)
    );
    assertEquals(gets.length, 1, reg.log());
    assertEquals([...Deno.readDirSync(join(t.dir, "cli-root", "layers"))].length, 1);
  } finally {
    await reg.stop();
    await t.cleanup();
  }
});

Deno.test("Bearer-token auth: challenge, token per scope, login/logout, auth file 0600", async () => {
  const t = testRoot();
  const storage = join(t.dir, "storage");
  const open = await startRegistry(t.dir, storage);
  await seed(open);
  await open.stop();
  const tokens = await startTokenServer(t.dir, "ci", "s3cret:with:colons");
  const reg = await startRegistry(t.dir, storage, {
    auth: { kind: "token", realm: tokens.realm, certFile: tokens.certFile },
  });
  try {
    await assertRejects(
      () => pullImage(t.ctx, `${reg.host}/single:1`, { tlsVerify: false }),
      RegistryError,
      "token server refused",
    );
    tokens.requests.length = 0;
    const creds = { username: "ci", password: "s3cret:with:colons" };
    const row = await pullImage(t.ctx, `${reg.host}/library/busybox`, { tlsVerify: false, creds });
    assert(row.layers.length === 2);
    assertEquals(tokens.requests.length, 1); // manifest, index and blobs: one cached token
    assertEquals(tokens.requests[0].scope, "repository:library/busybox:pull");

    const authFile = join(t.dir, "auth.json");
    const env = { REGISTRY_AUTH_FILE: authFile };
    const bad = await berth(t.dir, [
      "login",
      "--tls-verify=false",
      "-u",
      "ci",
      "-p",
      "wrong",
      reg.host,
    ], env);
    assertEquals(bad.code, 125);
    assert(
      bad.stderr.includes("invalid username/password") || bad.stderr.includes("refused"),
      bad.stderr,
    );
    const denied = await berth(t.dir, ["pull", "--tls-verify=false", `${reg.host}/single:1`], env);
    assertEquals(denied.code, 125);
    const login = await berth(t.dir, [
      "login",
      "--tls-verify=false",
      "-u",
      "ci",
      "-p",
      creds.password,
      reg.host,
    ], env);
    assertEquals(login.code, 0, login.stderr);
    assertEquals(Deno.statSync(authFile).mode! & 0o777, 0o600);
    const stored = JSON.parse(Deno.readTextFileSync(authFile));
    assertEquals(atob(stored.auths[reg.host].auth), "ci:s3cret:with:colons");
    const pulled = await berth(t.dir, ["pull", "--tls-verify=false", `${reg.host}/single:1`], env);
    assertEquals(pulled.code, 0, pulled.stderr);
    const withCreds = await berth(t.dir, [
      "pull",
      "--tls-verify=false",
      "--creds",
      "ci:s3cret:with:colons",
      `${reg.host}/library/busybox`,
    ]);
    assertEquals(withCreds.code, 0, withCreds.stderr);
    const logout = await berth(t.dir, ["logout", reg.host], env);
    assertEquals(logout.code, 0, logout.stderr);
    assertEquals(JSON.parse(Deno.readTextFileSync(authFile)).auths, {});
  } finally {
    await reg.stop();
    await tokens.stop();
    await t.cleanup();
  }
});

Deno.test("Basic auth (htpasswd)", async () => {
  const t = testRoot();
  const storage = join(t.dir, "storage");
  const open = await startRegistry(t.dir, storage);
  await seed(open);
  await open.stop();
  const hash = (await sh([
    "python3",
    "-c",
    "import crypt,sys; print(crypt.crypt('pw', crypt.mksalt(crypt.METHOD_BLOWFISH)))",
  ])).trim();
  const file = join(t.dir, "htpasswd");
  Deno.writeTextFileSync(file, `user:${hash}\n`);
  const reg = await startRegistry(t.dir, storage, { auth: { kind: "htpasswd", file } });
  try {
    await assertRejects(
      () => pullImage(t.ctx, `${reg.host}/single:1`, { tlsVerify: false }),
      RegistryError,
      "authentication required",
    );
    const row = await pullImage(t.ctx, `${reg.host}/single:1`, {
      tlsVerify: false,
      creds: { username: "user", password: "pw" },
    });
    assertEquals(row.layers.length, 1);
  } finally {
    await reg.stop();
    await t.cleanup();
  }
});

Deno.test("TLS with a private CA: refused without it, pulled with --cert-dir", async () => {
  const t = testRoot();
  const storage = join(t.dir, "storage");
  const open = await startRegistry(t.dir, storage);
  await seed(open);
  await open.stop();
  const certs = await makeCerts(t.dir);
  const reg = await startRegistry(t.dir, storage, { tls: { cert: certs.cert, key: certs.key } });
  try {
    await assertRejects(
      () => pullImage(t.ctx, `${reg.host}/single:1`, { tlsVerify: true }),
      RegistryError,
    );
    const certDir = join(t.dir, "certs");
    Deno.mkdirSync(certDir);
    Deno.copyFileSync(certs.ca, join(certDir, "ca.crt"));
    const row = await pullImage(t.ctx, `${reg.host}/single:1`, { tlsVerify: true, certDir });
    assertEquals(row.layers.length, 1);
    const r = await berth(t.dir, ["pull", "--cert-dir", certDir, `${reg.host}/library/busybox`]);
    assertEquals(r.code, 0, r.stderr);
  } finally {
    await reg.stop();
    await t.cleanup();
  }
});
