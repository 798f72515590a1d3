/**
 * Images through the API with the real docker CLI: `images`, `tag`, `image inspect` (the
 * fields clients read, never null lists), `save`/`rmi`/`load`, `rmi` of an image in use, a
 * zstd `images/load?quiet=1` and a `fromSrc=-` import with `changes` (GitLab Runner's two
 * prebuilt-helper paths), references by `sha256:<id>` and `name@digest`, and `docker pull`
 * from a local registry, with a pull error inside the progress stream.
 *
 * @module
 */
import { join } from "node:path";
import { assert, assertEquals } from "../unit/assert.ts";
import { importBusybox, parseAnswer, readToEnd, startService } from "./service.ts";
import { push, startRegistry } from "../image/registry_helper.ts";
import { buildImage, busyboxRootfs } from "../image/fixtures.ts";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

Deno.test("api images: images, tag, inspect, save, rmi, load, import, prune", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const tag = await svc.docker(["tag", "bb", "my/img:1"]);
    assertEquals(tag.code, 0, tag.stderr);
    const list = await svc.docker(["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assertEquals(list.stdout.trim().split("\n").sort(), ["localhost/bb:latest", "my/img:1"]);

    const inspect = await svc.docker(["image", "inspect", "my/img:1"]);
    assertEquals(inspect.code, 0, inspect.stderr);
    const [img] = JSON.parse(inspect.stdout);
    assert(/^sha256:[0-9a-f]{64}$/.test(img.Id), img.Id);
    assertEquals(img.Os, "linux");
    assertEquals(typeof img.Architecture, "string");
    assertEquals(img.Config.User, "");
    assertEquals(img.Config.Cmd, ["sh"]);
    assert(Array.isArray(img.RepoDigests) && Array.isArray(img.RepoTags), inspect.stdout);
    assert(Array.isArray(img.RootFS.Layers) && img.RootFS.Layers.length === 1);
    // By bare sha256:<id> and by name@digest.
    for (const ref of [img.Id, img.RepoDigests[0]]) {
      const r = await svc.request("GET", `/v1.44/images/${ref}/json`);
      assertEquals([r.status, JSON.parse(r.text).Id], [200, img.Id], ref);
    }
    assertEquals((await svc.request("GET", "/images/nosuch:1/json")).status, 404);
    // GitLab creates its containers from RepoDigests[0], or the ID when there is none.
    for (const ref of [img.Id, img.RepoDigests[0]]) {
      const created = await svc.request("POST", "/v1.44/containers/create", {
        Image: ref,
        Cmd: ["true"],
      });
      assertEquals(created.status, 201, `${ref}: ${created.text}`);
      const id = JSON.parse(created.text).Id;
      assertEquals((await svc.request("DELETE", `/containers/${id}`)).status, 204);
    }

    const archive = join(svc.sb.dir, "img.tar");
    const save = await svc.docker(["save", "-o", archive, "my/img:1"]);
    assertEquals(save.code, 0, save.stderr);
    const rmi = await svc.docker(["rmi", "my/img:1"]);
    assertEquals([rmi.code, rmi.stdout], [0, "Untagged: my/img:1\n"]);
    const load = await svc.docker(["load", "-i", archive]);
    assertEquals([load.code, load.stdout], [0, "Loaded image: my/img:1\n"], load.stderr);

    // GitLab's helper-image paths: a zstd docker-archive, and an import with changes.
    const zst = archive + ".zst";
    const z = await new Deno.Command("zstd", { args: ["-q", archive, "-o", zst] }).output();
    assertEquals(z.code, 0);
    assertEquals((await svc.docker(["rmi", "my/img:1"])).code, 0);
    const loaded = await rawPost(svc.socket, "/v1.44/images/load?quiet=1", Deno.readFileSync(zst));
    assert(loaded.includes('{"stream":"Loaded image: my/img:1\\n"}'), loaded);

    const rootfs = join(svc.sb.dir, "rootfs.tar");
    const changes = encodeURIComponent('ENTRYPOINT ["/bin/echo", "from-entrypoint"]');
    const imported = await rawPost(
      svc.socket,
      `/v1.44/images/create?fromSrc=-&repo=imp&tag=2&changes=${changes}`,
      Deno.readFileSync(rootfs),
    );
    assert(/"status":"sha256:[0-9a-f]{64}"/.test(imported), imported);
    const imp = JSON.parse((await svc.request("GET", "/images/imp:2/json")).text);
    assertEquals(imp.Config.Entrypoint, ["/bin/echo", "from-entrypoint"]);
    // Ryuk lists images by label.
    const labelled = await rawPost(
      svc.socket,
      `/images/create?fromSrc=-&repo=lab&tag=1&changes=${encodeURIComponent("LABEL sess=42")}`,
      Deno.readFileSync(rootfs),
    );
    assert(labelled.includes('"status":"sha256:'), labelled);
    const byLabel = await svc.request(
      "GET",
      `/images/json?filters=${encodeURIComponent(JSON.stringify({ label: { "sess=42": true } }))}`,
    );
    assertEquals(JSON.parse(byLabel.text).map((i: { RepoTags: string[] }) => i.RepoTags), [[
      "localhost/lab:1",
    ]]);
    // GitLab's helper tarballs are xz-compressed; so may a loaded archive be.
    const xz = await new Deno.Command("xz", { args: ["-kq", rootfs, archive] }).output();
    assertEquals(xz.code, 0);
    const xzImport = await rawPost(
      svc.socket,
      `/v1.44/images/create?fromSrc=-&repo=impxz&tag=1&changes=${changes}`,
      Deno.readFileSync(rootfs + ".xz"),
    );
    assert(/"status":"sha256:[0-9a-f]{64}"/.test(xzImport), xzImport);
    const xzRun = await svc.sb.berth(["run", "--rm", "impxz:1"]);
    assertEquals([xzRun.code, xzRun.stdout], [0, "from-entrypoint\n"], xzRun.stderr);
    assertEquals((await svc.docker(["rmi", "my/img:1"])).code, 0);
    const xzLoad = await rawPost(svc.socket, "/images/load", Deno.readFileSync(archive + ".xz"));
    assert(xzLoad.includes("Loaded image: my/img:1"), xzLoad);

    // In use: a 409 without force.
    assertEquals((await svc.sb.berth(["create", "--name", "user", "imp:2"])).code, 0);
    const inUse = await svc.docker(["rmi", "imp:2"]);
    assertEquals(inUse.code, 1);
    assertEquals((await svc.request("DELETE", "/images/imp:2")).status, 409);
    assertEquals((await svc.sb.berth(["rm", "user"])).code, 0);
    const gone = await svc.docker(["rmi", "imp:2"]);
    assertEquals(gone.code, 0, gone.stderr);
    assert(gone.stdout.includes("Deleted: sha256:"), gone.stdout);

    const prune = await svc.request("POST", "/images/prune");
    assertEquals(prune.status, 200);
    assert(Array.isArray(JSON.parse(prune.text).ImagesDeleted));
  } finally {
    await svc.stop();
  }
});

Deno.test("api images: docker pull from a local registry; errors in the stream", async () => {
  const svc = await startService();
  const reg = await startRegistry(svc.sb.dir, join(svc.sb.dir, "storage"));
  try {
    const img = buildImage({ layers: [{ tar: busyboxRootfs(), compression: "gzip" }] });
    await push(reg.host, "tools/bb", img.blobs, [
      { ref: "1", bytes: img.manifest, mediaType: OCI_MANIFEST },
    ]);
    const pull = await svc.docker(["pull", `${reg.host}/tools/bb:1`]);
    assertEquals(pull.code, 0, pull.stderr);
    assert(pull.stdout.includes(`${reg.host}/tools/bb:1`), pull.stdout);
    const inspect = JSON.parse(
      (await svc.docker(["image", "inspect", `${reg.host}/tools/bb:1`])).stdout,
    );
    assertEquals(inspect[0].RepoDigests, [`${reg.host}/tools/bb@${img.manifestDigest}`]);
    // By digest, as `docker pull name@sha256:…` sends it (tag=sha256:…).
    const byDigest = await svc.docker(["pull", `${reg.host}/tools/bb@${img.manifestDigest}`]);
    assertEquals(byDigest.code, 0, byDigest.stderr);

    // docker run of an absent image: 404 from create, a pull, the create again.
    const other = buildImage({
      layers: [{ tar: busyboxRootfs(), compression: "zstd" }],
      config: { Cmd: ["echo", "pulled-and-ran"] },
    });
    await push(reg.host, "tools/other", other.blobs, [
      { ref: "2", bytes: other.manifest, mediaType: OCI_MANIFEST },
    ]);
    const run = await svc.docker(["run", "--rm", `${reg.host}/tools/other:2`]);
    assertEquals([run.code, run.stdout], [0, "pulled-and-ran\n"], run.stderr);
    assert(run.stderr.includes("Unable to find image"), run.stderr);
    const runMissing = await svc.docker(["run", "--rm", `${reg.host}/tools/nosuch:1`]);
    assertEquals(runMissing.code, 125, runMissing.stderr);

    const missing = await svc.docker(["pull", `${reg.host}/tools/nosuch:1`]);
    assertEquals(missing.code, 1);
    const raw = await svc.request(
      "POST",
      `/images/create?fromImage=${reg.host}/tools/nosuch&tag=1`,
    );
    assertEquals(raw.status, 200);
    const last = JSON.parse(raw.text.trim().split("\n").at(-1)!);
    assertEquals(typeof last.errorDetail.message, "string");
    assertEquals(last.error, last.errorDetail.message);
  } finally {
    await reg.stop();
    await svc.stop();
  }
});

/** POST raw bytes (chunked, as the docker CLI uploads) and return the body text. */
async function rawPost(socket: string, path: string, data: Uint8Array): Promise<string> {
  const conn = await Deno.connect({ transport: "unix", path: socket });
  try {
    const enc = new TextEncoder();
    await conn.write(enc.encode(
      `POST ${path} HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n` +
        "Content-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n",
    ));
    for (let off = 0; off < data.length; off += 65536) {
      const part = data.subarray(off, off + 65536);
      await conn.write(enc.encode(part.length.toString(16) + "\r\n"));
      for (let o = 0; o < part.length;) o += await conn.write(part.subarray(o));
      await conn.write(enc.encode("\r\n"));
    }
    await conn.write(enc.encode("0\r\n\r\n"));
    return parseAnswer(await readToEnd(conn)).text;
  } finally {
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

Deno.test("api images: a pull sends the X-Registry-Auth credentials", async () => {
  const svc = await startService();
  const storage = join(svc.sb.dir, "storage");
  const open = await startRegistry(svc.sb.dir, storage);
  const img = buildImage({ layers: [{ tar: busyboxRootfs(), compression: "gzip" }] });
  await push(open.host, "private/bb", img.blobs, [
    { ref: "1", bytes: img.manifest, mediaType: OCI_MANIFEST },
  ]);
  await open.stop();
  const hash = new TextDecoder().decode(
    (await new Deno.Command("python3", {
      args: ["-c", "import crypt; print(crypt.crypt('pw', crypt.mksalt(crypt.METHOD_BLOWFISH)))"],
      stdout: "piped",
    }).output()).stdout,
  ).trim();
  const file = join(svc.sb.dir, "htpasswd");
  Deno.writeTextFileSync(file, `user:${hash}\n`);
  const reg = await startRegistry(svc.sb.dir, storage, { auth: { kind: "htpasswd", file } });
  try {
    const path = `/v1.44/images/create?fromImage=${reg.host}/private/bb&tag=1`;
    const anonymous = await svc.request("POST", path);
    assert(anonymous.text.includes('"errorDetail"'), anonymous.text);
    const auth = btoa(JSON.stringify({ username: "user", password: "pw", serveraddress: reg.host }))
      .replace(/\+/g, "-").replace(/\//g, "_");
    const authed = await svc.request("POST", path, undefined, { "X-Registry-Auth": auth });
    assert(!authed.text.includes('"errorDetail"'), authed.text);
    assertEquals((await svc.request("GET", `/images/${reg.host}/private/bb:1/json`)).status, 200);
  } finally {
    await reg.stop();
    await svc.stop();
  }
});
