/**
 * `COPY` and `ADD`: the sources, read from the build context (never outside it: `..` and
 * symlinks that lead out are refused, `.containerignore` applied) or from another stage's or
 * image's root (`--from`), written into a step's mounted root by docker's rules — a
 * directory's contents into the destination, a file into a destination ending in `/` or an
 * existing directory under its own name, else as the destination itself; several sources
 * need a directory destination. Owners are root's unless `--chown`, modes the sources'
 * unless `--chmod`. `ADD` extracts local tar archives (any compression berth reads).
 *
 * @module
 */
import * as posix from "../../path.ts";
import { basename } from "../../path.ts";
import { BuildError } from "../../errors.ts";
import { globMatch, hasGlob, type IgnoreRule, isExcluded } from "../../build/ignore.ts";
import { putEntries, walkEntries } from "../copy_tree.ts";
import { resolveInView, type RootView } from "../root_path.ts";
import type { TarEntry } from "../../archive/tar_reader.ts";
import { readTar } from "../../archive/tar_reader.ts";
import { decompress, sniffCompression } from "../../archive/decompress.ts";
import { hasher } from "../../image/digest.ts";
import { lstatOrNull } from "../../fs.ts";

/** Where the sources are read from. */
export interface CopySource {
  /** The context directory, or the root of the `--from` stage or image. */
  view: RootView;
  /** The build context (ignore rules and escape checks apply). */
  isContext: boolean;
  ignore: IgnoreRule[];
}

/** One `COPY`/`ADD`, expanded. */
export interface CopyRequest {
  keyword: "COPY" | "ADD";
  line: number;
  sources: string[];
  /** Absolute destination (a final `/` kept). */
  dest: string;
  uid: number;
  gid: number;
  /** `--chmod` */
  mode?: number;
  /** `--from`: the image read from (its ID, part of the step's cache key). */
  fromImage?: string;
  /** The sources are downloads (ADD URL): never extracted, 0600 unless `--chmod`. */
  downloaded?: boolean;
}

/** A source path that was found. */
interface Found {
  /** Resolved absolute path in the source view. */
  cpath: string;
  /** As named (relative to the context), for ignore rules and messages. */
  rel: string;
  isDir: boolean;
  isArchive: boolean;
}

function fail(req: CopyRequest, msg: string): never {
  throw new BuildError(`line ${req.line}: ${req.keyword} ${msg}`);
}

/** `p` relative to the context, refusing one that climbs out of it. */
function contextRel(req: CopyRequest, p: string): string {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) fail(req, `${p}: the path is outside the build context`);
      out.pop();
    } else out.push(part);
  }
  return out.join("/");
}

/** The context paths `pattern` matches (component by component, in name order). */
function expandGlob(view: RootView, pattern: string): string[] {
  let paths = [""];
  for (const comp of pattern.split("/").filter((c) => c !== "")) {
    const next: string[] = [];
    for (const p of paths) {
      if (!hasGlob(comp)) {
        next.push(p ? `${p}/${comp}` : comp);
        continue;
      }
      let names: string[] = [];
      try {
        names = [...Deno.readDirSync(posix.join(view.root, p))].map((e) => e.name).sort();
      } catch { /* not a directory */ }
      for (const n of names) if (globMatch(comp, n)) next.push(p ? `${p}/${n}` : n);
    }
    paths = next;
  }
  return paths;
}

/**
 * Check that `rel` stays inside the context when its symlinks are followed on the host.
 *
 * @throws {BuildError} when it leads outside or does not exist
 */
function checkInside(req: CopyRequest, view: RootView, rel: string): void {
  const root = Deno.realPathSync(view.root);
  let real: string;
  try {
    real = Deno.realPathSync(posix.join(view.root, rel));
  } catch {
    fail(req, `${rel}: no such file or directory in the build context`);
  }
  if (real !== root && !real.startsWith(`${root}/`)) {
    fail(req, `${rel}: a symlink in the build context points outside it (to ${real})`);
  }
}

function isArchiveHead(head: Uint8Array): boolean {
  if (sniffCompression(head) !== "none") return true;
  return new TextDecoder().decode(head.subarray(257, 262)) === "ustar";
}

/** The sources of `req`, found and checked. */
function findSources(req: CopyRequest, src: CopySource): Found[] {
  const found: Found[] = [];
  for (const s of req.sources) {
    if (/^[a-z]+:\/\//i.test(s)) {
      fail(req, `${s}: a URL can only be given to ADD, and only with other URLs`);
    }
    const rel = src.isContext ? contextRel(req, s) : s.replace(/^\/+/, "");
    const matches = hasGlob(rel) ? expandGlob(src.view, rel) : [rel];
    const kept = src.isContext ? matches.filter((m) => !isExcluded(src.ignore, m)) : matches;
    if (kept.length === 0) fail(req, `${s}: no source files were specified`);
    for (const m of kept) {
      if (src.isContext) checkInside(req, src.view, m);
      const r = resolveInView(src.view, `/${m}`, true);
      if (!r.stat) fail(req, `${s}: no such file or directory`);
      let isArchive = false;
      if (req.keyword === "ADD" && r.stat.isFile && !req.downloaded) {
        const f = Deno.openSync(r.host);
        const head = new Uint8Array(512);
        const n = f.readSync(head) ?? 0;
        f.close();
        isArchive = isArchiveHead(head.subarray(0, n));
      }
      found.push({ cpath: r.cpath, rel: m, isDir: r.stat.isDirectory, isArchive });
    }
  }
  return found;
}

/** Entries of one source, named for the destination, owners and modes set. */
async function* sourceEntries(
  req: CopyRequest,
  src: CopySource,
  f: Found,
  target: string,
): AsyncGenerator<TarEntry> {
  const entries = f.isArchive
    ? readTar(decompress(fileChunks(posix.join(src.view.root, f.cpath))))
    : walkEntries(src.view, f.cpath, f.isDir ? "" : "@");
  for await (const e of entries) {
    const name = f.isDir || f.isArchive ? e.header.name : "";
    if (src.isContext && !f.isArchive && name && isExcluded(src.ignore, posix.join(f.rel, name))) {
      continue;
    }
    const h = { ...e.header };
    h.name = name ? posix.join(target, name.replace(/^\.\/?/, "")) : target;
    if (h.name === "" || h.name === ".") continue;
    if (!f.isArchive) {
      h.uid = req.uid;
      h.gid = req.gid;
    }
    if (h.type === "hardlink") {
      h.linkname = f.isArchive ? h.linkname : posix.join(target, h.linkname);
    }
    if (req.mode !== undefined && h.type !== "symlink") h.mode = req.mode;
    else if (req.downloaded) h.mode = 0o600;
    if (!f.isArchive) {
      // Whole seconds, rounded, as buildah's tar stream (Go's archive/tar) carries them; the
      // walk's stat has whole seconds only, so the nanoseconds come from an lstat (metadata
      // only, of a path the walk just found without following symlinks).
      const ms = lstatOrNull(posix.join(src.view.root, f.cpath, name))?.mtime?.getTime();
      if (ms !== undefined) h.mtime = Math.round(ms / 1000);
    }
    yield { header: h, body: e.body };
  }
}

async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const f = await Deno.open(path);
  try {
    for await (const c of f.readable) yield c;
  } catch { /* closed by the stream */ }
}

/** Where in the step's root (relative to `/`) source `f` goes. */
function targetOf(req: CopyRequest, merged: RootView | undefined, f: Found, many: boolean) {
  const dest = posix.normalize(req.dest).replace(/^\/+/, "").replace(/\/+$/, "");
  if (f.isDir || f.isArchive) return dest;
  const destIsDir = req.dest.endsWith("/") || many ||
    (merged ? resolveInView(merged, `/${dest}`, true).stat?.isDirectory === true : false);
  return destIsDir ? posix.join(dest, basename(f.cpath)) : dest;
}

/**
 * The content digest of what `req` reads (names, types, modes, link targets, contents), for
 * the build cache.
 *
 * @throws {BuildError} for a missing source or one outside the context
 */
export async function copyDigest(req: CopyRequest, src: CopySource): Promise<string> {
  const found = findSources(req, src);
  checkMany(req, found);
  const h = hasher();
  for (const f of found) {
    h.hash.update(`${f.rel}\0${f.isDir}\0${f.isArchive}\0`);
    for await (
      const e of sourceEntries(req, src, f, targetOf(req, undefined, f, found.length > 1))
    ) {
      const x = e.header;
      h.hash.update(`${x.name}\0${x.type}\0${x.mode}\0${x.linkname}\0${x.size}\0`);
      if (x.type === "file") { for await (const c of e.body()) h.hash.update(c); }
    }
  }
  return h.digest();
}

function checkMany(req: CopyRequest, found: Found[]): void {
  if (found.length > 1 && !req.dest.endsWith("/")) {
    fail(
      req,
      `${
        req.sources.join(" ")
      } ${req.dest}: when using ${req.keyword} with more than one source file, the destination must be a directory and end with a /`,
    );
  }
}

/**
 * Copy `req`'s sources into the step root mounted at `merged`.
 *
 * @throws {BuildError} for a missing source, one outside the context, or a failed write
 */
export async function copyInto(req: CopyRequest, src: CopySource, merged: string): Promise<void> {
  const view: RootView = { root: merged, rootReadOnly: false, mounts: [] };
  const found = findSources(req, src);
  checkMany(req, found);
  for (const f of found) {
    const target = targetOf(req, view, f, found.length > 1);
    const entries = (f.isDir || f.isArchive) && target !== "" &&
        resolveInView(view, `/${target}`, true).stat === null
      ? withTop(target, sourceEntries(req, src, f, target), req)
      : sourceEntries(req, src, f, target);
    try {
      await putEntries(view, "/", entries, {
        overwrite: true,
        keepOwners: true,
        ignoreDevices: false,
        describe: (p) => `"${p}"`,
      });
    } catch (err) {
      if (err instanceof BuildError) throw err;
      fail(req, `${f.rel}: ${(err as Error).message}`);
    }
  }
}

/** A directory destination that does not exist yet: made first, 0755 and owned as the copy. */
async function* withTop(target: string, rest: AsyncIterable<TarEntry>, req: CopyRequest) {
  yield {
    header: {
      name: target,
      type: "dir" as const,
      typeflag: "5",
      mode: 0o755,
      uid: req.uid,
      gid: req.gid,
      size: 0,
      mtime: Math.floor(Date.now() / 1000),
      linkname: "",
      uname: "",
      gname: "",
      devmajor: 0,
      devminor: 0,
      xattrs: new Map(),
    },
    body: async function* () {},
  };
  yield* rest;
}

/** Whether an ADD source is a URL to download. */
export function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/** The file name a download is stored under: the URL path's last component (docker's rule). */
export function downloadName(url: string): string {
  const path = new URL(url).pathname.replace(/\/+$/, "");
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name === "" ? "index.html" : decodeURIComponent(name);
}
