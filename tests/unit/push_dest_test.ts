import { assertEquals, assertThrows } from "./assert.ts";
import { parseDestination } from "../../src/image/push_dest.ts";
import { convertManifest } from "../../src/image/manifest_convert.ts";
import { parseManifest } from "../../src/image/manifest.ts";
import { registryUrl, type Session } from "../../src/image/registry.ts";
import { RegistryError, UnsupportedError, UsageError } from "../../src/errors.ts";

Deno.test("parseDestination: registry references, oci:DIR[:TAG], archives", () => {
  assertEquals(parseDestination("docker://127.0.0.1:5000/a/b:1"), {
    kind: "registry",
    ref: { registry: "127.0.0.1:5000", repository: "a/b", tag: "1", digest: undefined },
  });
  assertEquals(parseDestination("localhost:5000/app").kind, "registry");
  assertEquals(parseDestination("busybox"), {
    kind: "registry",
    ref: { registry: "docker.io", repository: "library/busybox", tag: "latest", digest: undefined },
  });
  assertEquals(parseDestination("oci:/tmp/lay:v1"), { kind: "oci", dir: "/tmp/lay", tag: "v1" });
  assertEquals(parseDestination("oci:/tmp/lay"), { kind: "oci", dir: "/tmp/lay", tag: undefined });
  assertEquals(parseDestination("oci:rel/dir"), { kind: "oci", dir: "rel/dir", tag: undefined });
  assertEquals(parseDestination("docker-archive:/tmp/a.tar"), {
    kind: "docker-archive",
    file: "/tmp/a.tar",
  });
  assertEquals(parseDestination("oci-archive:x.tar"), { kind: "oci-archive", file: "x.tar" });
  assertThrows(() => parseDestination("oci:"), UsageError);
  assertThrows(() => parseDestination("docker:busybox"), UsageError);
  assertThrows(() => parseDestination("docker-archive:"), UsageError);
});

const d = (n: string) => `sha256:${n.repeat(64)}`;
const oci = new TextEncoder().encode(JSON.stringify({
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: d("c"), size: 3 },
  layers: [
    { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: d("1"), size: 10 },
    { mediaType: "application/vnd.oci.image.layer.v1.tar", digest: d("2"), size: 20 },
  ],
  annotations: { a: "b" },
}));

function manifestOf(bytes: Uint8Array) {
  const p = parseManifest(bytes);
  if (p.kind !== "manifest") throw new Error("not a manifest");
  return p.manifest;
}

Deno.test("convertManifest: OCI ⇄ Docker v2s2 media types, same blobs; same format keeps bytes", () => {
  const same = convertManifest(oci, manifestOf(oci), "oci");
  assertEquals(same.bytes, oci);
  const docker = convertManifest(oci, manifestOf(oci), "docker");
  assertEquals(docker.mediaType, "application/vnd.docker.distribution.manifest.v2+json");
  assertEquals(JSON.parse(new TextDecoder().decode(docker.bytes)), {
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: {
      mediaType: "application/vnd.docker.container.image.v1+json",
      size: 3,
      digest: d("c"),
    },
    layers: [
      { mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 10, digest: d("1") },
      { mediaType: "application/vnd.docker.image.rootfs.diff.tar", size: 20, digest: d("2") },
    ],
  });
  const back = convertManifest(docker.bytes, manifestOf(docker.bytes), "oci");
  const doc = JSON.parse(new TextDecoder().decode(back.bytes));
  assertEquals(doc.layers.map((l: { mediaType: string }) => l.mediaType), [
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.oci.image.layer.v1.tar",
  ]);
  const zstd = new TextEncoder().encode(
    new TextDecoder().decode(oci).replace("tar+gzip", "tar+zstd"),
  );
  assertThrows(() => convertManifest(zstd, manifestOf(zstd), "docker"), UnsupportedError);
});

Deno.test("registryUrl: upload locations stay on the registry's origin", () => {
  const s = {
    registry: "r:5000",
    base: "http://r:5000",
    basic: false,
    tlsVerify: false,
  } as Session;
  assertEquals(
    registryUrl(s, "/v2/a/blobs/uploads/x?y=1"),
    "http://r:5000/v2/a/blobs/uploads/x?y=1",
  );
  assertEquals(registryUrl(s, "http://r:5000/v2/a/b"), "http://r:5000/v2/a/b");
  assertThrows(() => registryUrl(s, "http://evil:5000/v2/a/b"), RegistryError);
  assertThrows(() => registryUrl(s, "https://r:5000/v2/a/b"), RegistryError);
});
