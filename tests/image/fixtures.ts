/**
 * Test fixtures built offline: rootfs tars (busybox, and a tricky multi-layer image), OCI
 * layouts, oci-archives and docker-archives, written by hand (independently of the code
 * under test, except the tar writer whose output the reader tests check).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { gzipSync, zstdCompressSync } from "node:zlib";
import { join } from "node:path";
import { buildTar, type TarWriteHeader } from "../../src/archive/tar_writer.ts";

/** sha256 digest of bytes. */
export function digestOf(b: Uint8Array): string {
  return "sha256:" + createHash("sha256").update(b).digest("hex");
}

const enc = new TextEncoder();
type Entry = TarWriteHeader & { data?: Uint8Array | string };

/** A layer: its tar and how to compress it. */
export interface FixtureLayer {
  tar: Uint8Array;
  compression: "gzip" | "zstd" | "none";
}

/** An image to build. */
export interface FixtureImage {
  layers: FixtureLayer[];
  config?: Record<string, unknown>;
  architecture?: string;
  os?: string;
  variant?: string;
  /** Corrupt the first layer blob after hashing (for negative tests). */
  corruptLayer?: boolean;
}

/** Built blobs of one image. */
export interface BuiltImage {
  blobs: Map<string, Uint8Array>;
  manifest: Uint8Array;
  manifestDigest: string;
  configDigest: string;
  config: Uint8Array;
  diffIds: string[];
  layerBlobs: Uint8Array[];
}

/** Build an image's blobs (OCI manifest). */
export function buildImage(img: FixtureImage): BuiltImage {
  const blobs = new Map<string, Uint8Array>();
  const diffIds: string[] = [];
  const layerDescs = [];
  const layerBlobs: Uint8Array[] = [];
  for (const l of img.layers) {
    diffIds.push(digestOf(l.tar));
    const blob = l.compression === "gzip"
      ? new Uint8Array(gzipSync(l.tar))
      : l.compression === "zstd"
      ? new Uint8Array(zstdCompressSync(l.tar))
      : l.tar;
    const mediaType = "application/vnd.oci.image.layer.v1.tar" +
      (l.compression === "none" ? "" : `+${l.compression}`);
    const digest = digestOf(blob);
    layerDescs.push({ mediaType, digest, size: blob.length });
    blobs.set(digest, blob);
    layerBlobs.push(blob);
  }
  const config = enc.encode(JSON.stringify({
    created: "2024-01-01T00:00:00Z",
    architecture: img.architecture ?? "amd64",
    os: img.os ?? "linux",
    ...(img.variant ? { variant: img.variant } : {}),
    config: img.config ?? { Cmd: ["sh"], Env: ["PATH=/bin:/usr/bin"] },
    rootfs: { type: "layers", diff_ids: diffIds },
  }));
  const configDigest = digestOf(config);
  blobs.set(configDigest, config);
  const manifest = enc.encode(JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {
      mediaType: "application/vnd.oci.image.config.v1+json",
      digest: configDigest,
      size: config.length,
    },
    layers: layerDescs,
  }));
  const manifestDigest = digestOf(manifest);
  blobs.set(manifestDigest, manifest);
  if (img.corruptLayer) {
    const first = layerDescs[0].digest;
    const bad = blobs.get(first)!.slice();
    bad[bad.length - 5] ^= 0x55;
    blobs.set(first, bad);
  }
  return { blobs, manifest, manifestDigest, configDigest, config, diffIds, layerBlobs };
}

/** An index over several built images, each with its platform. */
export function buildIndex(images: { img: BuiltImage; platform: Record<string, string> }[]) {
  const blobs = new Map<string, Uint8Array>();
  const manifests = [];
  for (const { img, platform } of images) {
    for (const [d, b] of img.blobs) blobs.set(d, b);
    manifests.push({
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: img.manifestDigest,
      size: img.manifest.length,
      platform,
    });
  }
  const index = enc.encode(JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests,
  }));
  const digest = digestOf(index);
  blobs.set(digest, index);
  return { blobs, index, digest };
}

/** Write an OCI layout: blobs and an index.json naming `refs` (ref name → manifest). */
export function writeOciLayout(
  dir: string,
  blobs: Map<string, Uint8Array>,
  refs: { name: string; digest: string; mediaType?: string }[],
): void {
  Deno.mkdirSync(join(dir, "blobs", "sha256"), { recursive: true });
  for (const [d, b] of blobs) Deno.writeFileSync(join(dir, "blobs", "sha256", d.slice(7)), b);
  Deno.writeTextFileSync(join(dir, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
  Deno.writeTextFileSync(
    join(dir, "index.json"),
    JSON.stringify({
      schemaVersion: 2,
      manifests: refs.map((r) => ({
        mediaType: r.mediaType ?? "application/vnd.oci.image.manifest.v1+json",
        digest: r.digest,
        size: blobs.get(r.digest)!.length,
        annotations: { "org.opencontainers.image.ref.name": r.name },
      })),
    }),
  );
}

/** A tar of a directory's regular files and dirs (for oci-archives). */
export function tarOfDir(dir: string): Uint8Array {
  const entries: Entry[] = [];
  const walk = (rel: string) => {
    for (
      const e of [...Deno.readDirSync(join(dir, rel))].sort((a, b) => a.name < b.name ? -1 : 1)
    ) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) {
        entries.push({ name: r + "/", type: "dir", mode: 0o755 });
        walk(r);
      } else entries.push({ name: r, type: "file", data: Deno.readFileSync(join(dir, r)) });
    }
  };
  walk("");
  return buildTar(entries);
}

/**
 * A docker-archive (`podman save` style): uncompressed layers named `<diffid>.tar`,
 * `manifest.json`, and legacy `<id>/layer.tar` symlinks.
 */
export function dockerArchive(
  img: BuiltImage,
  layers: Uint8Array[],
  repoTags: string[],
): Uint8Array {
  const entries: Entry[] = [];
  const names: string[] = [];
  layers.forEach((tar, i) => {
    const hex = img.diffIds[i].slice(7);
    names.push(`${hex}.tar`);
    entries.push({ name: `${hex}.tar`, type: "file", data: tar });
    entries.push({ name: `legacy${i}/`, type: "dir", mode: 0o755 });
    entries.push({ name: `legacy${i}/layer.tar`, type: "symlink", linkname: `../${hex}.tar` });
  });
  const cfgName = `${img.configDigest.slice(7)}.json`;
  entries.push({ name: cfgName, type: "file", data: img.config });
  entries.push({
    name: "manifest.json",
    type: "file",
    data: JSON.stringify([{
      Config: cfgName,
      RepoTags: repoTags,
      Layers: layers.map((_, i) => `legacy${i}/layer.tar`),
    }]),
  });
  return buildTar(entries);
}

/** A busybox root filesystem from the host's static busybox. */
export function busyboxRootfs(): Uint8Array {
  const bb = Deno.readFileSync("/bin/busybox");
  const t = 1700000000;
  const entries: Entry[] = [
    { name: "bin/", type: "dir", mode: 0o755, mtime: t },
    { name: "bin/busybox", type: "file", mode: 0o755, mtime: t, data: bb },
    { name: "etc/", type: "dir", mode: 0o755, mtime: t },
    {
      name: "etc/passwd",
      type: "file",
      mtime: t,
      data: "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001:app:/home/app:/bin/sh\n",
    },
    { name: "etc/group", type: "file", mtime: t, data: "root:x:0:\napp:x:1001:\nstaff:x:50:\n" },
    { name: "tmp/", type: "dir", mode: 0o1777, mtime: t },
    { name: "root/", type: "dir", mode: 0o700, mtime: t },
  ];
  for (const app of ["sh", "ls", "cat", "echo", "id", "env", "pwd", "stat", "true", "sleep"]) {
    entries.push({ name: `bin/${app}`, type: "symlink", linkname: "busybox", mtime: t });
  }
  return buildTar(entries);
}

/** A valid v2 `security.capability` value with a byte ≥ 0x80 (CAP_SETUID, CAP_NET_BIND). */
export const CAPABILITY = new Uint8Array([
  0x01,
  0x00,
  0x00,
  0x02,
  0x80,
  0x04,
  0x00,
  0x00,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
]);

/** Two layers exercising whiteouts, opaque dirs, links, devices, modes, ids and xattrs. */
export function trickyLayers(): Uint8Array[] {
  const t = 1600000000;
  const long = "long/" + "x".repeat(120) + "/file-" + "y".repeat(40);
  const l1 = buildTar([
    { name: "./", type: "dir", mode: 0o755, mtime: t },
    { name: "a/", type: "dir", mode: 0o755, mtime: t, xattrs: { "user.note": enc.encode("dir") } },
    { name: "a/setuid", type: "file", mode: 0o4755, mtime: t, data: "#!/bin/sh\n" },
    { name: "a/setgid", type: "file", mode: 0o2711, mtime: t, data: "g" },
    { name: "a/hard", type: "hardlink", linkname: "a/setuid" },
    { name: "a/keep/", type: "dir", mode: 0o750, uid: 5, gid: 6, mtime: t },
    { name: "a/keep/old", type: "file", mode: 0o640, mtime: t + 1, data: "old" },
    { name: "sticky/", type: "dir", mode: 0o1777, mtime: t },
    { name: "bigid", type: "file", uid: 3000000, gid: 3000001, mtime: t, data: "big" },
    {
      name: "cap",
      type: "file",
      mode: 0o755,
      mtime: t,
      data: "cap",
      xattrs: { "security.capability": CAPABILITY },
    },
    { name: "fifo", type: "fifo", mode: 0o620, mtime: t },
    { name: "dev/", type: "dir", mode: 0o755, mtime: t },
    { name: "dev/null2", type: "char", mode: 0o666, devmajor: 1, devminor: 3, mtime: t },
    { name: "dev/sda9", type: "block", mode: 0o660, devmajor: 8, devminor: 9, mtime: t },
    { name: "abs", type: "symlink", linkname: "/etc/passwd", mtime: t },
    { name: "rel", type: "symlink", linkname: "a/keep/old", mtime: t },
    { name: "del/", type: "dir", mode: 0o755, mtime: t },
    { name: "del/file", type: "file", mtime: t, data: "gone" },
    { name: "opq/", type: "dir", mode: 0o755, mtime: t },
    { name: "opq/old1", type: "file", mtime: t, data: "1" },
    { name: "opq/sub/", type: "dir", mode: 0o755, mtime: t },
    { name: "opq/sub/old2", type: "file", mtime: t, data: "2" },
    { name: long, type: "file", mtime: t, data: "pax long" },
    { name: "g" + "z".repeat(150), type: "file", mtime: t, data: "gnu long", longNames: "gnu" },
    { name: "frac", type: "file", mtime: 1600000000.25, data: "f" },
  ]);
  const l2 = buildTar([
    { name: ".wh.del", type: "file", mtime: t },
    { name: "a/", type: "dir", mode: 0o755, mtime: t + 5 },
    { name: "a/.wh.setgid", type: "file", mtime: t },
    { name: "a/keep/newfile", type: "file", mtime: t + 6, data: "new" },
    { name: "opq/new", type: "file", mtime: t + 7, data: "kept: written before the marker" },
    { name: "opq/.wh..wh..opq", type: "file", mtime: t },
    { name: "opq/after", type: "file", mtime: t + 8, data: "after" },
    { name: "rel", type: "file", mode: 0o600, mtime: t + 9, data: "now a file" },
    { name: "a/hard2", type: "hardlink", linkname: "rel" },
  ]);
  return [l1, l2];
}

/** Run a command; throws with its output on failure. */
export async function sh(cmd: string[], opts: { cwd?: string } = {}): Promise<string> {
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd: opts.cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${cmd.join(" ")} failed: ${text}${new TextDecoder().decode(out.stderr)}`);
  }
  return text;
}
