/**
 * `cp` against a container that swaps, as fast as it can, the paths being copied for symlinks
 * to host files (issue #8, items 4 and 5): whatever the timing, no host file is read into the
 * copy, written, removed or chmod-ed. Host "bait" files of mode 0600 sit in a temp dir; the
 * container's symlinks name them by their host path (dangling inside the container).
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, eventually, type Result, type Sandbox, sandbox } from "../helpers.ts";
import { join } from "node:path";

const opts = { sanitizeOps: false, sanitizeResources: false };
const TRIES = 50;
const SECRET = "HOST-SECRET\n";
const NAMES = Array.from({ length: 20 }, (_, i) => `f${String(i).padStart(2, "0")}`);
/** The files swapped one by one, each by a loop of its own. */
const SWAPPED = NAMES.slice(0, 3);

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

/**
 * A race test: a container whose `loop` swaps paths made by `setup`, then `TRIES` runs of
 * `attempt` (a cp; status 0 or 125, a failed copy is fine, a host file touched is not), the
 * bait checked after each. At least one copy must go through.
 */
function raceTest(
  name: string,
  setup: (bait: string) => string,
  loop: (bait: string) => string | string[],
  attempt: (sb: Sandbox, i: number, work: string, bait: string) => Promise<Result>,
): void {
  Deno.test(`cp race: ${name}`, opts, async () => {
    const sb = sandbox();
    const bait = makeBait();
    const work = Deno.makeTempDirSync({ prefix: "berth-cp-race-" });
    try {
      await startSwapper(sb, setup(bait), [loop(bait)].flat());
      let copied = 0;
      for (let i = 0; i < TRIES; i++) {
        const r = await attempt(sb, i, work, bait);
        assert(r.code === 0 || r.code === 125, `try ${i}: status ${r.code}: ${r.stderr}`);
        if (r.code === 0) copied++;
        checkBait(bait, `try ${i}`);
        for (const f of filesUnder(work)) {
          // (cut to the size the container's file had, if that was what was checked)
          assert(!Deno.readTextFileSync(f).includes("HOST"), `try ${i}: host bait read into ${f}`);
        }
        assert(!r.stdout.includes("HOST"), `try ${i}: host bait in the tar stream`);
      }
      assert(copied > 0, "some copies went through");
    } finally {
      await sb.cleanup();
      Deno.removeSync(bait, { recursive: true });
      Deno.removeSync(work, { recursive: true });
    }
  });
}

const limit = { timeoutMs: 20_000 };
const inside = NAMES.map((n) => `echo inside > /src/d/${n}`).join(" && ");

raceTest(
  "copying out, a directory swapped for a link to a host directory",
  () => `mkdir -p /src/d && ${inside}`,
  (bait) =>
    `ln -s ${bait} /src/dl; mv /src/d /src/dr; mv /src/dl /src/d; mv /src/d /src/dl; mv /src/dr /src/d; rm -f /src/dl`,
  (sb, i, work) =>
    // A copy into a directory, and every other time a tar stream.
    i % 2
      ? sb.berth(["cp", "swapper:/src", "-"], limit)
      : sb.berth(["cp", "swapper:/src", join(work, `try${i}`)], limit),
);

raceTest(
  "copying out, a file swapped for a link to a host file",
  (bait) =>
    `mkdir -p /src /keep && ${
      SWAPPED.map((n) =>
        `echo inside > /src/${n} && ln /src/${n} /keep/${n} && ln -s ${bait}/${n} /keep/${n}.l`
      ).join(" && ")
    }`,
  // One loop for each of a few files, each replaced by a hard link to a symlink and back:
  // one unlink and link apart, so it is never missing for long.
  () => SWAPPED.map((n) => `ln -f /keep/${n}.l /src/${n}; ln -f /keep/${n} /src/${n}`),
  (sb, i, work) => sb.berth(["cp", "swapper:/src", join(work, `try${i}`)], limit),
);

function hostTree(work: string): void {
  if (statOrNull(join(work, "t"))) return;
  Deno.mkdirSync(join(work, "t/sub"), { recursive: true });
  Deno.chmodSync(join(work, "t/sub"), 0o755);
  for (const n of NAMES) {
    Deno.writeTextFileSync(join(work, "t/sub", n), "from-host\n");
    Deno.chmodSync(join(work, "t/sub", n), 0o644);
  }
}

function statOrNull(p: string): Deno.FileInfo | null {
  try {
    return Deno.statSync(p);
  } catch {
    return null;
  }
}

raceTest(
  "copying in, the directory being filled swapped for a link to a host directory",
  () => "mkdir -p /dst/t/sub",
  (bait) =>
    `ln -s ${bait} /dst/t/l; mv /dst/t/sub /dst/t/gone; mv /dst/t/l /dst/t/sub; rm -rf /dst/t/gone /dst/t/l`,
  (sb, _i, work) => {
    hostTree(work);
    return sb.berth(["cp", "--overwrite", join(work, "t"), "swapper:/dst/"], limit);
  },
);

raceTest(
  "copying in, a file just written swapped for a link to a host file (before its chmod)",
  () => "mkdir -p /dst/t/sub",
  (bait) =>
    NAMES.map((n) =>
      `ln -s ${bait}/${n} /dst/t/sub/${n}.l; mv -f /dst/t/sub/${n}.l /dst/t/sub/${n}`
    ).join("; "),
  (sb, _i, work) => {
    hostTree(work);
    return sb.berth(["cp", join(work, "t"), "swapper:/dst/"], limit);
  },
);
