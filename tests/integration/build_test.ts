/**
 * `berth build` against the real thing: the same Containerfiles and contexts built by
 * `podman build` (buildah) in a private store give the same image config, field by field, and
 * the same files (type, mode, owner, content, link target; COPY'd files' times too). Plus the
 * step cache, multi-stage builds and bad input.
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, type Sandbox, sandbox } from "../helpers.ts";
import { describeTree, diffTrees } from "../image/tree.ts";
import { lgetxattr, lsetxattr } from "../../src/archive/libc.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** A sandbox with the busybox image imported as `localhost/bb` into berth (and podman). */
interface Env {
  sb: Sandbox;
  podman: (args: string[], input?: string) => Promise<{ code: number; out: string; err: string }>;
  ctx: string;
}

async function setUp(withPodman: boolean): Promise<Env> {
  const sb = sandbox("berth-build-");
  const rootfs = await busyboxRootfs();
  const tar = `${sb.dir}/bb.tar`;
  const t = await new Deno.Command("tar", { args: ["-C", rootfs, "-cf", tar, "."] }).output();
  assertEquals(t.code, 0);
  const r = await sb.berth(["import", "-q", tar, "bb"]);
  assertEquals(r.code, 0, r.stderr);
  const p = `${sb.dir}/podman`;
  const podman = async (args: string[]) => {
    const o = await new Deno.Command("podman", {
      args: [
        "--runtime",
        "runc",
        "--root",
        `${p}/root`,
        "--runroot",
        `${p}/run`,
        "--storage-driver",
        "vfs",
        ...args,
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { code: o.code, out: dec.decode(o.stdout), err: dec.decode(o.stderr) };
  };
  if (withPodman) {
    const i = await podman(["import", "-q", tar, "localhost/bb"]);
    assertEquals(i.code, 0, i.err);
  }
  const ctx = `${sb.dir}/ctx`;
  Deno.mkdirSync(ctx);
  return { sb, podman, ctx };
}

async function tearDown(env: Env): Promise<void> {
  await env.podman(["image", "unmount", "-a"]);
  await env.sb.cleanup();
}

/** A context exercising COPY/ADD rules: dirs, globs, ignore exceptions, links, an archive. */
async function fillContext(ctx: string): Promise<void> {
  for (const d of ["src/sub", "src/skip", "tdir/inner"]) {
    Deno.mkdirSync(`${ctx}/${d}`, { recursive: true });
  }
  Deno.writeTextFileSync(`${ctx}/src/one.txt`, "one\n");
  Deno.chmodSync(`${ctx}/src/one.txt`, 0o640);
  Deno.writeTextFileSync(`${ctx}/src/sub/two.txt`, "two\n");
  Deno.writeTextFileSync(`${ctx}/src/skip/s.txt`, "s\n");
  Deno.writeTextFileSync(`${ctx}/src/skip/keep.txt`, "keep\n");
  Deno.writeTextFileSync(`${ctx}/src/x.log`, "log\n");
  Deno.symlinkSync("one.txt", `${ctx}/src/link`);
  Deno.writeTextFileSync(`${ctx}/.containerignore`, "src/skip\n!src/skip/keep.txt\n*.log\n");
  Deno.writeTextFileSync(`${ctx}/tdir/inner/t.txt`, "t\n");
  const t = await new Deno.Command("tar", {
    args: ["-C", `${ctx}/tdir`, "-czf", `${ctx}/arch.tar.gz`, "."],
  }).output();
  assertEquals(t.code, 0);
}

const BIG = `# syntax=docker/dockerfile:1
ARG BASE=localhost/bb
FROM \${BASE}
ARG VER=1.0
ARG EMPTY
ENV APP_VER=\${VER} \\
    OTHER=\${EMPTY:-dflt} PLUS=\${VER:+set}
# a comment inside nothing
LABEL version="$APP_VER" desc='a b'
RUN rm /etc/group && rm -rf /root && mkdir /root && echo x > /root/y && echo "$APP_VER" > /ver
COPY src/ /app/
COPY --chown=65534:65534 --chmod=0600 src/one.txt /app/owned
COPY src/*.txt /globbed/
ADD arch.tar.gz /unpacked/
WORKDIR app
RUN ls > /listing && ln -s /ver /verlink
USER nobody
EXPOSE 8080/tcp 53/udp
VOLUME ["/data", "/cache"]
STOPSIGNAL SIGINT
ENTRYPOINT ["/bin/sh", "-c"]
CMD echo $APP_VER
`;

const FIELDS = [
  "Entrypoint",
  "Cmd",
  "Env",
  "WorkingDir",
  "User",
  "Labels",
  "ExposedPorts",
  "Volumes",
  "StopSignal",
];

/** The compared part of an image's config, and its history length. */
function summary(inspectJson: string): Record<string, unknown> {
  const img = JSON.parse(inspectJson)[0];
  const c = img.Config ?? {};
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    let v = c[f] ?? null;
    if (f === "Labels" && v) {
      v = { ...v };
      delete (v as Record<string, string>)["io.buildah.version"]; // buildah's own mark
    }
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const entries = Object.entries(v).sort(([a], [b]) => a.localeCompare(b));
      v = entries.length ? Object.fromEntries(entries) : null;
    }
    out[f] = v;
  }
  out.history = (img.History ?? []).length;
  return out;
}

/** A tree's description without times, except for files COPY/ADD took from the context. */
function treeOf(dir: string, keepTimes: (path: string) => boolean): Map<string, string> {
  return new Map(
    [...describeTree(dir)].map((
      [k, v],
    ) => [k, keepTimes(k) ? v : v.replace(/ mtime=\d+/, "")]),
  );
}

async function berthTree(sb: Sandbox, image: string, keep: (p: string) => boolean) {
  const m = await sb.berth(["image", "mount", image]);
  assertEquals(m.code, 0, m.stderr);
  try {
    return treeOf(m.stdout.trim(), keep);
  } finally {
    await sb.berth(["image", "unmount", image]);
  }
}

async function podmanTree(env: Env, image: string, keep: (p: string) => boolean) {
  const m = await env.podman(["image", "mount", image]);
  assertEquals(m.code, 0, m.err);
  try {
    return treeOf(m.out.trim(), keep);
  } finally {
    await env.podman(["image", "unmount", image]);
  }
}

async function compareWithPodman(env: Env, file: string, extra: string[] = []): Promise<void> {
  Deno.writeTextFileSync(`${env.ctx}/Containerfile`, file);
  const b = await env.sb.berth(["build", "-q", ...extra, "-t", "img", env.ctx]);
  assertEquals(b.code, 0, b.stderr);
  const p = await env.podman(["build", "-q", ...extra, "-t", "img", env.ctx]);
  assertEquals(p.code, 0, p.err);
  const bi = await env.sb.berth(["image", "inspect", "img"]);
  const pi = await env.podman(["image", "inspect", "img"]);
  assertEquals(summary(bi.stdout), summary(pi.out));
  const keep = (k: string) => /^(app|globbed|unpacked|d)\/|^named$/.test(k);
  const diff = diffTrees(await podmanTree(env, "img", keep), await berthTree(env.sb, "img", keep));
  assertEquals(diff, []);
}

Deno.test("build: config and files as podman build makes them", opts, async () => {
  const env = await setUp(true);
  try {
    await fillContext(env.ctx);
    // --label: one more LABEL step each, as podman appends them.
    await compareWithPodman(env, BIG, ["--build-arg", "VER=2.5", "--label", "extra=1"]);
    // The image runs as its config says.
    const r = await env.sb.berth(["run", "--rm", "img", "echo $APP_VER"]);
    assertEquals([r.code, r.stdout], [0, "2.5\n"], r.stderr);
    // From scratch: the first layer is the COPY's.
    await compareWithPodman(env, 'FROM scratch\nCOPY src/one.txt /\nCMD ["/one.txt"]\n');
    // A FROM alone names the base image itself, as podman does.
    Deno.writeTextFileSync(`${env.ctx}/Only`, "FROM localhost/bb\n");
    const only = await env.sb.berth([
      "build",
      "-q",
      "-f",
      `${env.ctx}/Only`,
      "-t",
      "only",
      env.ctx,
    ]);
    const bb = await env.sb.berth(["image", "inspect", "--format", "{{.Id}}", "bb"]);
    assertEquals(only.stdout, bb.stdout);
    // A second, smaller file: exec-form RUN.
    await compareWithPodman(
      env,
      'FROM localhost/bb\nRUN ["/bin/sh", "-c", "mkdir -p /a/b && echo hi > /a/b/c"]\nCMD ["sh"]\n',
    );
  } finally {
    await tearDown(env);
  }
});

Deno.test(
  "build: --format docker keeps SHELL, HEALTHCHECK, ONBUILD (triggered in a child)",
  opts,
  async () => {
    const env = await setUp(true);
    try {
      const parent = [
        "FROM localhost/bb",
        'SHELL ["/bin/sh", "-ec"]',
        "HEALTHCHECK --interval=30s --timeout=5s --retries=2 CMD wget -q localhost || exit 1",
        "ONBUILD RUN echo triggered > /onbuild",
        "MAINTAINER me@example.com",
        "RUN echo $0 > /shell",
        "",
      ].join("\n");
      await compareWithPodman(env, parent, ["--format", "docker"]);
      const f = "{{json .HealthCheck}} {{.Author}}";
      const b = await env.sb.berth(["image", "inspect", "--format", f, "img"]);
      const p = await env.podman(["image", "inspect", "--format", f, "img"]);
      assertEquals(b.stdout, p.out);
      assert(b.stdout.includes('"CMD-SHELL"'), b.stdout);
      Deno.writeTextFileSync(`${env.ctx}/Child`, "FROM img\nRUN cat /onbuild\n");
      const child = [
        "build",
        "--format",
        "docker",
        "-f",
        `${env.ctx}/Child`,
        "-t",
        "child",
        env.ctx,
      ];
      const bc = await env.sb.berth(child);
      assertEquals(bc.code, 0, bc.stderr);
      assert(bc.stdout.includes("STEP 3/3: RUN cat /onbuild\ntriggered\n"), bc.stdout);
      const pc = await env.podman(child);
      assertEquals(pc.code, 0, pc.err);
      const keep = () => false;
      assertEquals(
        diffTrees(await podmanTree(env, "child", keep), await berthTree(env.sb, "child", keep)),
        [],
      );
    } finally {
      await tearDown(env);
    }
  },
);

Deno.test(
  "build: an unchanged rebuild reuses every step; a changed input rebuilds from there",
  opts,
  async () => {
    const env = await setUp(false);
    const { sb, ctx } = env;
    try {
      Deno.writeTextFileSync(`${ctx}/f`, "1\n");
      Deno.writeTextFileSync(
        `${ctx}/Containerfile`,
        "FROM localhost/bb\nRUN echo ran > /r\nCOPY f /f\nRUN cat /f > /g\nENV X=1\n",
      );
      const first = await sb.berth(["build", "-t", "c", ctx]);
      assertEquals(first.code, 0, first.stderr);
      assert(!first.stdout.includes("Using cache"), first.stdout);
      assert(first.stdout.includes("STEP 1/5: FROM localhost/bb\n"), first.stdout);
      assert(first.stdout.includes("COMMIT c\n"), first.stdout);
      assert(first.stdout.includes("Successfully tagged localhost/c:latest\n"), first.stdout);
      const id = first.stdout.trim().split("\n").pop()!;
      assert(/^[0-9a-f]{64}$/.test(id), first.stdout);

      // The steps' images are the cache: `images` hides them as podman does, `-a` shows them.
      const shown = await sb.berth(["images", "--format", "{{.Repository}}"]);
      assertEquals(shown.stdout, "localhost/c\nlocalhost/bb\n");
      const all = await sb.berth(["images", "-a", "-q"]);
      assertEquals(all.stdout.trim().split("\n").length, 5, all.stdout); // bb and 4 steps

      const again = await sb.berth(["build", "-t", "c", ctx]);
      assertEquals(again.code, 0, again.stderr);
      assertEquals(again.stdout.match(/--> Using cache [0-9a-f]{64}\n/g)?.length, 4, again.stdout);
      assert(!again.stdout.includes("\nran\n"), again.stdout);
      assertEquals(again.stdout.trim().split("\n").pop(), id);

      Deno.writeTextFileSync(`${ctx}/f`, "2\n"); // the COPY and everything after it rebuild
      const changed = await sb.berth(["build", "-t", "c", ctx]);
      assertEquals(changed.code, 0, changed.stderr);
      assertEquals(changed.stdout.match(/Using cache/g)?.length, 1, changed.stdout);
      const g = await sb.berth(["run", "--rm", "c", "cat", "/g"]);
      assertEquals(g.stdout, "2\n");

      const fresh = await sb.berth(["build", "--no-cache", "-q", "-t", "c", ctx]);
      assertEquals(fresh.code, 0, fresh.stderr);
      // -q: only the ID (a RUN's output would still show; these print nothing).
      assert(/^[0-9a-f]{64}\n$/.test(fresh.stdout), fresh.stdout);
    } finally {
      await tearDown(env);
    }
  },
);

Deno.test(
  "build: multi-stage COPY --from builds only the stages the target needs",
  opts,
  async () => {
    const env = await setUp(true);
    const { sb, ctx } = env;
    try {
      const file = [
        "FROM localhost/bb AS builder",
        "RUN mkdir /out && echo built > /out/artifact && chmod 0751 /out/artifact",
        "FROM localhost/bb AS unused",
        "RUN exit 7",
        "FROM builder AS tester",
        "RUN test -f /out/artifact",
        "FROM localhost/bb",
        "COPY --from=builder /out/artifact /usr/bin/",
        "COPY --from=0 /out /copied",
        'CMD ["cat", "/usr/bin/artifact"]',
        "",
      ].join("\n");
      const b = await sb.berth(["build", "-t", "m", "-f", "-", ctx], { input: file });
      assertEquals(b.code, 0, b.stderr);
      assert(b.stdout.includes("[1/2] STEP 1/2: FROM localhost/bb AS builder\n"), b.stdout);
      assert(b.stdout.includes("[2/2] STEP 1/4: FROM localhost/bb\n"), b.stdout);
      assert(!b.stdout.includes("exit 7"), b.stdout); // the unused stage was never built
      const r = await sb.berth(["run", "--rm", "m"]);
      assertEquals([r.code, r.stdout], [0, "built\n"], r.stderr);
      Deno.writeTextFileSync(`${ctx}/Containerfile`, file);
      const p = await env.podman(["build", "-q", "-t", "m", ctx]);
      assertEquals(p.code, 0, p.err);
      const keep = () => false;
      assertEquals(diffTrees(await podmanTree(env, "m", keep), await berthTree(sb, "m", keep)), []);
      const t = await sb.berth(["build", "-q", "--target", "tester", "-t", "t", ctx]);
      assertEquals(t.code, 0, t.stderr);
      const out = await sb.berth(["run", "--rm", "t", "cat", "/out/artifact"]);
      assertEquals(out.stdout, "built\n");
    } finally {
      await tearDown(env);
    }
  },
);

Deno.test(
  "build: bad input is one Error line with its line number, and nothing half-built",
  opts,
  async () => {
    const env = await setUp(false);
    const { sb, ctx } = env;
    try {
      Deno.symlinkSync("/etc/passwd", `${ctx}/outlink`);
      const images = async () => (await sb.berth(["images", "-q"])).stdout;
      const before = await images();
      const cases: [string, number, RegExp][] = [
        ["FROM localhost/bb\nBOGUS x\n", 125, /^Error: line 2: unknown instruction: BOGUS\n$/],
        [
          "FROM localhost/bb\n\nCOPY ../x /\n",
          125,
          /^Error: line 3: COPY \.\.\/x: .*outside the build context\n$/,
        ],
        [
          "FROM localhost/bb\nCOPY outlink /x\n",
          125,
          /^Error: line 2: COPY outlink: a symlink .*points outside it/,
        ],
        [
          "FROM localhost/bb\nCOPY --from=nope /x /\n",
          125,
          /^Error: line 2: COPY --from=nope: no stage or image found/,
        ],
        ["FROM localhost/bb AS a\nRUN true\n", 125, /^Error: The target "zzz" was not found/],
      ];
      for (const [file, code, re] of cases) {
        Deno.writeTextFileSync(`${ctx}/Containerfile`, file);
        const args = file.includes("AS a") ? ["--target", "zzz"] : [];
        const r = await sb.berth(["build", "--pull=never", ...args, "-t", "bad", ctx]);
        assertEquals(r.code, code, `${file}: ${r.stderr}`);
        assert(re.test(r.stderr), `${file}: ${r.stderr}`);
      }
      assertEquals(await images(), before);
      Deno.writeTextFileSync(
        `${ctx}/Containerfile`,
        "FROM localhost/bb\nRUN echo to-out; echo to-err >&2; exit 3\n",
      );
      const run = await sb.berth(["build", "-t", "bad", ctx]);
      assertEquals(run.code, 3, run.stderr);
      assert(run.stdout.includes("to-out\n"), run.stdout);
      assert(run.stderr.includes("to-err\n"), run.stderr);
      assert(
        /Error: building at STEP "RUN .*": line 2: exit status 3\n$/.test(run.stderr),
        run.stderr,
      );
      assertEquals(await images(), before);
      assertEquals((await sb.berth(["ps", "-a", "-q"])).stdout, "");
      assertEquals((await sb.berth(["image", "exists", "bad"])).code, 1);
    } finally {
      await tearDown(env);
    }
  },
);

Deno.test("build: a TERM stops the running step and leaves no build container", opts, async () => {
  const env = await setUp(false);
  const { sb } = env;
  try {
    // `build -` reads the Containerfile from stdin, with an empty context (podman's form).
    const child = sb.spawn(["build", "-t", "never", "-"], { input: "" });
    const stderr = new Response(child.stderr).text();
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode("FROM localhost/bb\nRUN touch /x\nRUN sleep 30\n"));
    await w.close();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!seen.includes("STEP 3/3")) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    await new Promise((r) => setTimeout(r, 1000)); // the sleep is running
    const t0 = Date.now();
    child.kill("SIGTERM");
    const rest = (async () => {
      while (!(await reader.read()).done) { /* drain */ }
    })();
    const st = await child.status;
    await rest;
    assert(Date.now() - t0 < 10_000, "the build did not stop soon");
    assertEquals(st.code, 125);
    const err = await stderr;
    assert(err.includes('RUN sleep 30": interrupted'), err);
    assertEquals((await sb.berth(["ps", "-a", "-q"])).stdout, "");
    assertEquals((await sb.berth(["image", "exists", "never"])).code, 1);
  } finally {
    await tearDown(env);
  }
});

Deno.test(
  "build: a RUN layer keeps extended attributes of the files it changed",
  opts,
  async () => {
    const env = await setUp(false);
    const { sb, ctx } = env;
    try {
      // A base image whose /xf carries user.test (GNU tar writes it as a PAX xattr record).
      const tree = `${sb.dir}/xtree`;
      const cp = await new Deno.Command("cp", { args: ["-a", await busyboxRootfs(), tree] })
        .output();
      assertEquals(cp.code, 0);
      Deno.writeTextFileSync(`${tree}/xf`, "x\n");
      lsetxattr(`${tree}/xf`, "user.test", new TextEncoder().encode("yes"));
      const tar = `${sb.dir}/x.tar`;
      const t = await new Deno.Command("tar", {
        args: ["--xattrs", "--xattrs-include=*", "-C", tree, "-cf", tar, "."],
      }).output();
      assertEquals(t.code, 0);
      assertEquals((await sb.berth(["import", "-q", tar, "xbase"])).code, 0);
      Deno.writeTextFileSync(`${ctx}/Containerfile`, "FROM localhost/xbase\nRUN chmod 600 /xf\n");
      const b = await sb.berth(["build", "-q", "-t", "ximg", ctx]);
      assertEquals(b.code, 0, b.stderr);
      const m = await sb.berth(["image", "mount", "ximg"]);
      assertEquals(m.code, 0, m.stderr);
      try {
        const root = m.stdout.trim();
        assertEquals((Deno.lstatSync(`${root}/xf`).mode! & 0o777).toString(8), "600");
        const v = lgetxattr(`${root}/xf`, "user.test");
        assertEquals(v ? new TextDecoder().decode(v) : null, "yes");
      } finally {
        await sb.berth(["image", "unmount", "ximg"]);
      }
    } finally {
      await tearDown(env);
    }
  },
);

Deno.test(
  "build: ADD URL downloads the file as podman does (0600, Last-Modified time)",
  opts,
  async () => {
    const env = await setUp(true);
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
      const path = new URL(req.url).pathname;
      if (path !== "/files/data.txt") return new Response("no", { status: 404 });
      return new Response("downloaded\n", {
        headers: { "last-modified": "Wed, 21 Oct 2026 07:28:00 GMT" },
      });
    });
    try {
      const base = `http://127.0.0.1:${server.addr.port}`;
      await compareWithPodman(
        env,
        `FROM localhost/bb\nADD ${base}/files/data.txt /d/\nADD ${base}/files/data.txt /named\n`,
      );
      const tree = await berthTree(env.sb, "img", () => true);
      assertEquals(
        tree.get("d/data.txt")?.replace(/ sha=.*/, ""),
        "file mode=600 uid=0 gid=0 mtime=1792567680000",
      );
      Deno.writeTextFileSync(
        `${env.ctx}/Containerfile`,
        `FROM localhost/bb\nADD ${base}/missing /x\n`,
      );
      const bad = await env.sb.berth(["build", "-t", "bad", env.ctx]);
      assertEquals(bad.code, 125);
      assert(/Error: line 2: ADD .*\/missing: HTTP 404/.test(bad.stderr), bad.stderr);
    } finally {
      await server.shutdown();
      await tearDown(env);
    }
  },
);

Deno.test("build: --timestamp makes the same image from the same inputs", opts, async () => {
  const env = await setUp(false);
  const { sb, ctx } = env;
  try {
    Deno.writeTextFileSync(`${ctx}/f`, "f\n");
    Deno.writeTextFileSync(
      `${ctx}/Containerfile`,
      "FROM localhost/bb\nCOPY f /f\nRUN echo hi > /r; mkdir /d\nENV A=1\n",
    );
    const build = async (extra: string[], env?: Record<string, string>) => {
      const r = await sb.berth(["build", "-q", "--no-cache", ...extra, ctx], { env });
      assertEquals(r.code, 0, r.stderr);
      return r.stdout.trim();
    };
    const a = await build(["--timestamp", "1700000000"]);
    Deno.utimeSync(`${ctx}/f`, 1, 1); // a different time of the source changes nothing either
    const b = await build(["--timestamp", "1700000000"]);
    const c = await build([], { SOURCE_DATE_EPOCH: "1700000000" });
    assertEquals([b, c], [a, a]);
    assert(a !== await build([]), "without --timestamp the creation time differs");
    const inspect = await sb.berth(["image", "inspect", "--format", "{{.Created}}", a]);
    assertEquals(inspect.stdout, "2023-11-14T22:13:20.000Z\n");
    const m = await sb.berth(["image", "mount", a]);
    try {
      assertEquals(Deno.lstatSync(`${m.stdout.trim()}/f`).mtime?.getTime(), 1700000000_000);
      assertEquals(Deno.lstatSync(`${m.stdout.trim()}/d`).mtime?.getTime(), 1700000000_000);
    } finally {
      await sb.berth(["image", "unmount", a]);
    }
  } finally {
    await tearDown(env);
  }
});
