/**
 * `cp` copies files out of and into real containers, running and exited, with an overlay
 * (`--rootfs DIR:O`) or a plain root, through volumes and tar streams; symlinks in the
 * container never lead to the host's files; an exited container's overlay is not left mounted.
 */
import { assert, assertEquals } from "../unit/assert.ts";
import {
  buildBusyboxRootfs,
  busyboxRootfs,
  eventually,
  type Sandbox,
  sandbox,
} from "../helpers.ts";
import { join } from "node:path";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** What the container makes before it signals readiness (or exits). */
const SETUP = [
  "mkdir -p /out/tree/sub",
  "printf 'hello\\n' > /out/tree/a.txt",
  "chmod 640 /out/tree/a.txt",
  "head -c 70000 /bin/busybox > /out/tree/sub/blob",
  "chmod 4755 /out/tree/sub/blob",
  "ln -sfn a.txt /out/tree/rel-link",
  "ln -sfn /etc/passwd /out/tree/abs-link",
  "ln -sfn /etc/passwd /leak",
  "ln -sfn /etc /etcdir",
  "echo from-ws-setup > /ws/made-inside",
].join(" && ");

function mounts(): string {
  return Deno.readTextFileSync("/proc/self/mountinfo");
}

function run(cmd: string, args: string[], stdin?: Uint8Array) {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin) {
    const w = child.stdin.getWriter();
    w.write(stdin).then(() => w.close());
  }
  return child.output();
}

async function checkCopyOut(sb: Sandbox, ctr: string, rootfsDir: string, host: string) {
  const dest = Deno.makeTempDirSync({ prefix: "berth-cp-out-" });
  try {
    // A directory to a new path: created with that name; modes, links, bytes kept.
    let r = await sb.berth(["cp", `${ctr}:/out/tree`, join(dest, "tree")]);
    assertEquals([r.code, r.stderr], [0, ""]);
    assertEquals(Deno.readTextFileSync(join(dest, "tree/a.txt")), "hello\n");
    assertEquals(Deno.statSync(join(dest, "tree/a.txt")).mode! & 0o7777, 0o640);
    assertEquals(Deno.statSync(join(dest, "tree/sub/blob")).mode! & 0o7777, 0o4755);
    const blob = Deno.readFileSync(join(dest, "tree/sub/blob"));
    assertEquals(blob.length, 70000);
    assertEquals(blob.join(), Deno.readFileSync("/bin/busybox").subarray(0, 70000).join());
    assertEquals(Deno.readLinkSync(join(dest, "tree/rel-link")), "a.txt");
    assertEquals(Deno.readLinkSync(join(dest, "tree/abs-link")), "/etc/passwd");
    // Into an existing directory: under its own name; with /. its contents.
    r = await sb.berth(["cp", `${ctr}:/out/tree`, dest]);
    assertEquals(r.code, 0, r.stderr);
    Deno.mkdirSync(join(dest, "contents"));
    r = await sb.berth(["cp", `${ctr}:/out/tree/.`, join(dest, "contents")]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(
      [...Deno.readDirSync(join(dest, "contents"))].map((e) => e.name).sort(),
      ["a.txt", "abs-link", "rel-link", "sub"],
    );
    // A file to a new name, over an existing file, and into a directory.
    r = await sb.berth(["cp", `${ctr}:/out/tree/a.txt`, join(dest, "renamed")]);
    assertEquals(r.code, 0, r.stderr);
    Deno.writeTextFileSync(join(dest, "over"), "old contents, longer than the new");
    r = await sb.berth(["cp", `${ctr}:out/tree/a.txt`, join(dest, "over")]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(Deno.readTextFileSync(join(dest, "over")), "hello\n");
    // A path inside a -v volume comes from the host directory.
    r = await sb.berth(["cp", `${ctr}:/ws/made-inside`, join(dest, "ws-file")]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(Deno.readTextFileSync(join(dest, "ws-file")), "from-ws-setup\n");
    assertEquals(Deno.readTextFileSync(join(host, "made-inside")), "from-ws-setup\n");

    // Links to /etc resolve in the container: its passwd, never the host's.
    const containerPasswd = Deno.readTextFileSync(join(rootfsDir, "etc/passwd"));
    assert(containerPasswd !== Deno.readTextFileSync("/etc/passwd"), "the fixtures differ");
    r = await sb.berth(["cp", `${ctr}:/leak`, join(dest, "leak")]);
    assertEquals(r.code, 0, r.stderr);
    const leak = join(dest, "leak");
    assert(
      Deno.lstatSync(leak).isSymlink || Deno.readTextFileSync(leak) === containerPasswd,
      "cp ctr:/leak copies the container's passwd or the link",
    );
    r = await sb.berth(["cp", `${ctr}:/etcdir/passwd`, join(dest, "via-dir-link")]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(Deno.readTextFileSync(join(dest, "via-dir-link")), containerPasswd);
    r = await sb.berth(["cp", `${ctr}:/leak/..`, join(dest, "leakdir")]);
    if (r.code === 0) {
      assertEquals(Deno.readTextFileSync(join(dest, "leakdir/passwd")), containerPasswd);
      assert(!Deno.statSync(join(dest, "leakdir")).isSymlink);
    } else assertEquals(r.code, 125);

    // `-`: a tar of the source on stdout.
    r = await sb.berth(["cp", `${ctr}:/out/tree`, "-"]);
    assertEquals(r.code, 0, r.stderr);
    const listing = await run("tar", ["-tvf", "-"], r.stdoutBytes);
    assertEquals(listing.code, 0, new TextDecoder().decode(listing.stderr));
    const lines = new TextDecoder().decode(listing.stdout).trim().split("\n");
    const names = lines.map((l) => l.split(/\s+/).slice(5).join(" ")).sort();
    assertEquals(names, [
      "tree/",
      "tree/a.txt",
      "tree/abs-link -> /etc/passwd",
      "tree/rel-link -> a.txt",
      "tree/sub/",
      "tree/sub/blob",
    ]);
  } finally {
    Deno.removeSync(dest, { recursive: true });
  }
}

async function checkCopyIn(sb: Sandbox, ctr: string, running: boolean) {
  const src = Deno.makeTempDirSync({ prefix: "berth-cp-in-" });
  try {
    Deno.mkdirSync(join(src, "indir/deep"), { recursive: true });
    Deno.writeTextFileSync(join(src, "indir/deep/f"), "deep file\n");
    Deno.chmodSync(join(src, "indir/deep/f"), 0o600);
    Deno.symlinkSync("deep/f", join(src, "indir/link"));
    Deno.writeTextFileSync(join(src, "single"), "single file\n");
    let r = await sb.berth(["cp", join(src, "single"), `${ctr}:/tmp/`]);
    assertEquals([r.code, r.stderr], [0, ""]);
    r = await sb.berth(["cp", join(src, "indir"), `${ctr}:/copied`]);
    assertEquals([r.code, r.stderr], [0, ""]);
    r = await sb.berth(["cp", join(src, "single"), `${ctr}:/ws/into-volume`]);
    assertEquals([r.code, r.stderr], [0, ""]);
    // A tar on stdin, extracted into a directory.
    const tar = await run("tar", ["-C", src, "-cf", "-", "indir"]);
    const s = await sb.berth(["cp", "-", `${ctr}:/tmp`], { input: tar.stdout });
    assertEquals([s.code, s.stderr], [0, ""]);
    // Through a link in the container: lands in the container's /etc, not the host's.
    r = await sb.berth(["cp", join(src, "single"), `${ctr}:/etcdir/berth-cp-probe`]);
    assertEquals(r.code, 0, r.stderr);
    let hostProbe = true;
    try {
      Deno.statSync("/etc/berth-cp-probe");
    } catch {
      hostProbe = false;
    }
    assert(!hostProbe, "the host's /etc is untouched");

    const script = "cat /tmp/single /copied/deep/f /tmp/indir/deep/f /ws/into-volume " +
      "/etc/berth-cp-probe; readlink /copied/link; stat -c %a /copied/deep/f";
    let check;
    if (running) check = await sb.berth(["exec", ctr, "sh", "-c", script]);
    else {
      // Run it: the container's command runs /check.sh when there is one.
      Deno.writeTextFileSync(join(src, "check.sh"), script + "\n");
      r = await sb.berth(["cp", join(src, "check.sh"), `${ctr}:/`]);
      assertEquals(r.code, 0, r.stderr);
      check = await sb.berth(["start", "-a", ctr]);
    }
    assertEquals(check.code, 0, check.stderr);
    assertEquals(
      check.stdout,
      "single file\ndeep file\ndeep file\nsingle file\nsingle file\ndeep/f\n600\n",
    );
  } finally {
    Deno.removeSync(src, { recursive: true });
  }
}

for (const overlay of [true, false]) {
  const kind = overlay ? "overlay (DIR:O)" : "plain --rootfs DIR";
  Deno.test(`cp: out of and into running and exited containers, ${kind}`, opts, async () => {
    const sb = sandbox();
    const made: string[] = [];
    const fresh = async () => {
      if (overlay) return await busyboxRootfs();
      made.push(Deno.makeTempDirSync({ prefix: "berth-cp-rootfs-" }));
      return await buildBusyboxRootfs(join(made.at(-1)!, "rootfs"));
    };
    let rootfs = await fresh();
    const wsRun = Deno.makeTempDirSync({ prefix: "berth-cp-ws-" });
    const wsExited = Deno.makeTempDirSync({ prefix: "berth-cp-ws-" });
    try {
      // Running.
      let r = await sb.berth([
        "run",
        "-d",
        "--name",
        "live",
        "-v",
        `${wsRun}:/ws`,
        "--rootfs",
        overlay ? `${rootfs}:O` : rootfs,
        "sh",
        "-c",
        `${SETUP} && touch /ready && sleep 300`,
      ]);
      assertEquals(r.code, 0, r.stderr);
      await eventually(async () =>
        (await sb.berth(["exec", "live", "test", "-e", "/ready"])).code === 0
      );
      await checkCopyOut(sb, "live", rootfs, wsRun);
      await checkCopyIn(sb, "live", true);
      await sb.berth(["rm", "-f", "-t", "0", "live"]);

      // Exited.
      rootfs = await fresh();
      r = await sb.berth([
        "run",
        "--name",
        "done",
        "-v",
        `${wsExited}:/ws`,
        "--rootfs",
        overlay ? `${rootfs}:O` : rootfs,
        "sh",
        "-c",
        `${SETUP} && if [ -e /check.sh ]; then sh /check.sh; fi`,
      ]);
      assertEquals(r.code, 0, r.stderr);
      const id = (await sb.berth(["inspect", "--format", "{{.Id}}", "done"])).stdout.trim();
      const merged = join(sb.root, "containers", id, "merged");
      assert(!mounts().includes(merged), "not mounted before the copy");
      await checkCopyOut(sb, "done", rootfs, wsExited);
      assert(!mounts().includes(merged), "nothing left mounted after copying out");
      assertEquals(
        (await sb.berth(["inspect", "--format", "{{.State.Status}}", "done"])).stdout.trim(),
        "exited",
      );
      await checkCopyIn(sb, "done", false);
      await sb.berth(["rm", "-f", "-t", "0", "done"]);
      assert(!mounts().includes(merged), "nothing left mounted");
    } finally {
      await sb.cleanup();
      for (const d of [wsRun, wsExited]) Deno.removeSync(d, { recursive: true });
      for (const d of made) Deno.removeSync(d, { recursive: true });
      try {
        Deno.removeSync("/etc/berth-cp-probe");
      } catch { /* never made, as it should be */ }
    }
  });
}

Deno.test("cp: errors are one line and status 125", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  const tmp = Deno.makeTempDirSync({ prefix: "berth-cp-err-" });
  try {
    const c = await sb.berth(["create", "--name", "idle", "--rootfs", `${rootfs}:O`, "true"]);
    assertEquals(c.code, 0, c.stderr);
    Deno.writeTextFileSync(join(tmp, "file"), "x");
    const cases: [string[], RegExp][] = [
      [
        ["idle:/nope", tmp],
        /^Error: "\/nope" could not be found on container idle: no such file or directory\n$/,
      ],
      [
        ["nosuch:/etc", tmp],
        /^Error: no container with name or ID "nosuch" found: no such container\n$/,
      ],
      [
        [join(tmp, "missing"), "idle:/tmp"],
        /^Error: ".*\/missing" could not be found on the host: no such file or directory\n$/,
      ],
      [
        [join(tmp, "file"), "idle:/nodir/"],
        /^Error: "\/nodir\/" could not be found on container idle: no such file or directory\n$/,
      ],
      [
        ["idle:/etc/passwd", join(tmp, "nodir/")],
        /^Error: ".*nodir\/" could not be found on the host: no such file or directory\n$/,
      ],
      [
        ["idle:/etc", join(tmp, "file")],
        /^Error: destination must be a directory when copying a directory\n$/,
      ],
      [
        ["idle:/etc/passwd/", tmp],
        /^Error: .*could not be found on container idle: not a directory\n$/,
      ],
      [["idle:/etc", "idle:/tmp"], /^Error: copying between containers is not supported\n$/],
      [[tmp, join(tmp, "x")], /^Error: invalid arguments .*must name a container.*\n$/],
      [["idle:/etc"], /^Error: cp requires exactly 2 arguments.*\n$/],
      [["--bogus", "idle:/etc", tmp], /^Error: unknown flag: --bogus\n$/],
    ];
    for (const [args, re] of cases) {
      const r = await sb.berth(["cp", ...args]);
      assertEquals(r.code, 125, `${args.join(" ")}: ${r.stderr}`);
      assert(re.test(r.stderr), `${args.join(" ")}: ${r.stderr}`);
    }
    // stdin needs a directory; a file there is refused without --overwrite being asked.
    const s = await sb.berth(["cp", "-", "idle:/etc/passwd"], { input: new Uint8Array(1024) });
    assertEquals(s.code, 125, s.stderr);
    assert(s.stderr.includes("destination must be a directory when copying from stdin"));
    // A directory over a file needs --overwrite.
    Deno.mkdirSync(join(tmp, "d/passwd"), { recursive: true });
    let r = await sb.berth(["cp", join(tmp, "d/passwd"), "idle:/etc"]);
    assertEquals(r.code, 125, r.stderr);
    assert(r.stderr.includes("--overwrite"), r.stderr);
    r = await sb.berth(["cp", "--overwrite", join(tmp, "d/passwd"), "idle:/etc"]);
    assertEquals(r.code, 0, r.stderr);
    // Nothing left mounted by any of it.
    const id = (await sb.berth(["inspect", "--format", "{{.Id}}", "idle"])).stdout.trim();
    assert(!mounts().includes(join(sb.root, "containers", id, "merged")));
  } finally {
    await sb.cleanup();
    Deno.removeSync(tmp, { recursive: true });
  }
});
