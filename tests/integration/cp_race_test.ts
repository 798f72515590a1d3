/**
 * `cp` against a container that swaps, as fast as it can, the paths being copied for symlinks
 * to host files (issue #8, items 4 and 5): whatever the timing, no host file is read into the
 * copy, written, removed or chmod-ed. Host "bait" files of mode 0600 sit in a temp dir; the
 * container's symlinks name them by their host path (dangling inside the container).
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, eventually, type Sandbox, sandbox } from "../helpers.ts";
import { join } from "node:path";

const opts = { sanitizeOps: false, sanitizeResources: false };
const TRIES = 50;
const SECRET = "HOST-SECRET\n";
const NAMES = Array.from({ length: 20 }, (_, i) => `f${String(i).padStart(2, "0")}`);

/** A host dir of 0600 bait files (0700 itself), named as the files the container swaps. */
function makeBait(): string {
  const bait = Deno.makeTempDirSync({ prefix: "berth-cp-bait-" });
  Deno.chmodSync(bait, 0o700);
  for (const n of NAMES) {
    Deno.writeTextFileSync(join(bait, n), SECRET);
    Deno.chmodSync(join(bait, n), 0o600);
  }
  return bait;
}

/** The bait is as made: same names, contents, modes. */
function checkBait(bait: string, when: string): void {
  assertEquals(Deno.statSync(bait).mode! & 0o7777, 0o700, `${when}: bait dir mode`);
  const names = [...Deno.readDirSync(bait)].map((e) => e.name).sort();
  assertEquals(names, NAMES, `${when}: bait dir listing`);
  for (const n of NAMES) {
    const st = Deno.lstatSync(join(bait, n));
    assert(st.isFile, `${when}: bait ${n} is a file`);
    assertEquals(st.mode! & 0o7777, 0o600, `${when}: bait ${n} mode`);
    assertEquals(Deno.readTextFileSync(join(bait, n)), SECRET, `${when}: bait ${n} content`);
  }
}

/** Every regular file under `dir` (not following links). */
function* filesUnder(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* filesUnder(p);
    else if (e.isFile) yield p;
  }
}

/** Start a container running `loops` (shell loops, each in the background) after `setup`. */
async function startSwapper(sb: Sandbox, setup: string, loops: string[]): Promise<void> {
  const rootfs = await busyboxRootfs();
  const body = loops.map((l) => `(while :; do ${l}; done) 2>/dev/null &`).join(" ");
  const r = await sb.berth([
    "run",
    "-d",
    "--name",
    "swapper",
    "--rootfs",
    `${rootfs}:O`,
    "sh",
    "-c",
    `${setup} && ${body} touch /ready && wait`,
  ]);
  assertEquals(r.code, 0, r.stderr);
  await eventually(async () =>
    (await sb.berth(["exec", "swapper", "test", "-e", "/ready"])).code === 0
  );
}

Deno.test("cp race: copying out never reads a host file through a swapped path", opts, async () => {
  const sb = sandbox();
  const bait = makeBait();
  const dest = Deno.makeTempDirSync({ prefix: "berth-cp-race-out-" });
  try {
    const files = NAMES.map((n) => `echo inside > /src/d/${n}`).join(" && ");
    await startSwapper(sb, `mkdir -p /src/d && ${files} && echo inside > /src/f`, [
      // A directory of the tree swapped for a link to the bait directory, and back.
      `ln -s ${bait} /src/dl; mv /src/d /src/dr; mv /src/dl /src/d; mv /src/d /src/dl; mv /src/dr /src/d; rm -f /src/dl`,
      // A file swapped for a link to a bait file, and back.
      `ln -s ${bait}/f00 /src/fl; mv /src/f /src/fr; mv /src/fl /src/f; mv /src/f /src/fl; mv /src/fr /src/f; rm -f /src/fl`,
    ]);
    let copied = 0;
    for (let i = 0; i < TRIES; i++) {
      const out = join(dest, `try${i}`);
      const r = await sb.berth(["cp", "swapper:/src", out], { timeoutMs: 20_000 });
      assert(r.code === 0 || r.code === 125, `try ${i}: status ${r.code}: ${r.stderr}`);
      if (r.code === 0) copied++;
      for (const f of filesUnder(dest)) {
        assert(Deno.readTextFileSync(f) !== SECRET, `try ${i}: host bait read into ${f}`);
      }
      // A stream too.
      const t = await sb.berth(["cp", "swapper:/src/d", "-"], { timeoutMs: 20_000 });
      assert(
        !new TextDecoder().decode(t.stdoutBytes).includes("HOST-SECRET"),
        `try ${i}: host bait in the tar stream`,
      );
      checkBait(bait, `try ${i}`);
    }
    assert(copied > 0, "some copies went through");
  } finally {
    await sb.cleanup();
    Deno.removeSync(bait, { recursive: true });
    Deno.removeSync(dest, { recursive: true });
  }
});

Deno.test("cp race: copying in never writes or chmods a host file through a swapped path", opts, async () => {
  const sb = sandbox();
  const bait = makeBait();
  const src = Deno.makeTempDirSync({ prefix: "berth-cp-race-in-" });
  try {
    Deno.mkdirSync(join(src, "t/sub"), { recursive: true });
    Deno.chmodSync(join(src, "t/sub"), 0o755);
    for (const n of NAMES) {
      Deno.writeTextFileSync(join(src, "t/sub", n), "from-host\n");
      Deno.chmodSync(join(src, "t/sub", n), 0o644);
    }
    Deno.writeTextFileSync(join(src, "f"), "from-host\n");
    Deno.chmodSync(join(src, "f"), 0o644);
    await startSwapper(sb, "mkdir -p /dst/t/sub /dst/one", [
      // The directory being filled swapped for a link to the bait directory.
      `ln -s ${bait} /dst/t/l; mv /dst/t/sub /dst/t/gone; mv /dst/t/l /dst/t/sub; rm -rf /dst/t/gone /dst/t/l`,
      // The file just written swapped for a link to a bait file (before its chmod).
      `ln -s ${bait}/f00 /dst/one/l; mv -f /dst/one/l /dst/one/f`,
    ]);
    let copied = 0;
    for (let i = 0; i < TRIES; i++) {
      const a = await sb.berth(["cp", "--overwrite", join(src, "t"), "swapper:/dst/"], {
        timeoutMs: 20_000,
      });
      assert(a.code === 0 || a.code === 125, `try ${i}: status ${a.code}: ${a.stderr}`);
      const b = await sb.berth(["cp", join(src, "f"), "swapper:/dst/one/f"], {
        timeoutMs: 20_000,
      });
      assert(b.code === 0 || b.code === 125, `try ${i}: status ${b.code}: ${b.stderr}`);
      if (a.code === 0 && b.code === 0) copied++;
      checkBait(bait, `try ${i}`);
    }
    assert(copied > 0, "some copies went through");
  } finally {
    await sb.cleanup();
    Deno.removeSync(bait, { recursive: true });
    Deno.removeSync(src, { recursive: true });
  }
});
