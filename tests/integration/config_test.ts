/**
 * berth.conf end to end: the file's store and runtime are used, survive into the cleanup
 * process even when the file goes away, lose to flags, and a broken file stops berth with one
 * line naming it.
 */
import { assert, assertEquals, assertMatch } from "../unit/assert.ts";
import { busyboxRootfs, eventually, sandbox } from "../helpers.ts";
import { containerPaths, layout } from "../../src/engine/paths.ts";
import { join } from "node:path";
import { push, startRegistry } from "../image/registry_helper.ts";
import { buildImage, busyboxRootfs as busyboxTar } from "../image/fixtures.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

Deno.test(
  "the file's root and runroot are the store, for the cleanup process too",
  opts,
  async () => {
    const sb = sandbox();
    try {
      const rootfs = await busyboxRootfs();
      const conf = join(sb.dir, "berth.conf");
      Deno.writeTextFileSync(
        conf,
        `[engine]\nroot = "${sb.root}"\nrunroot = "${sb.runroot}"\nruntime = "runc"\n`,
      );
      const env = { BERTH_CONFIG: conf };
      const run = await sb.berth(["run", "-d", "--rootfs", rootfs, "sh", "-c", "sleep 1; exit 7"], {
        global: [],
        env,
      });
      assertEquals(run.code, 0, run.stderr);
      const id = run.stdout.trim();
      // The file is gone before the container exits: conmon's cleanup process was given the
      // settings as flags, so it still records the code in the same store.
      Deno.removeSync(conf);
      // Nobody but the cleanup process touches the store now: it must consume the exit file
      // and conmon's pidfile (which exists from the start, so a container still running
      // cannot pass for a cleaned-up one).
      const paths = containerPaths(layout(sb.root, sb.runroot), id);
      const gone = (path: string) => {
        try {
          Deno.statSync(path);
          return false;
        } catch {
          return true;
        }
      };
      assert(!gone(paths.conmonPidFile), "conmon's pidfile should exist while it runs");
      await eventually(() => gone(paths.exitFile) && gone(paths.conmonPidFile), 15_000);
      const waited = await sb.berth(["wait", id]);
      assertEquals([waited.code, waited.stdout], [0, "7\n"]);
      const ps = await sb.berth(["ps", "-a", "--format", "{{.ID}} {{.Status}}"]);
      assertMatch(ps.stdout, new RegExp(`^${id.slice(0, 12)} Exited \\(7\\)`));
      // With the file gone and no flags, berth's default store is another one.
      const other = await sb.berth([
        "ps",
        "-a",
        "-q",
        "--root",
        join(sb.dir, "r2"),
        "--runroot",
        join(sb.dir, "rr2"),
      ], {
        global: [],
      });
      assertEquals(other.stdout, "");
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("flags win over the file; info names the file it read", opts, async () => {
  const sb = sandbox();
  try {
    const rootfs = await busyboxRootfs();
    const decoy = join(sb.dir, "decoy");
    const conf = join(sb.dir, "berth.conf");
    Deno.writeTextFileSync(conf, `[engine]\nroot = "${decoy}"\nrunroot = "${decoy}-run"\n`);
    const env = { BERTH_CONFIG: conf };
    const run = await sb.berth(["run", "--rm", "--rootfs", rootfs, "true"], { env });
    assertEquals(run.code, 0, run.stderr);
    let decoyExists = true;
    try {
      Deno.statSync(decoy);
    } catch {
      decoyExists = false;
    }
    assertEquals(decoyExists, false, "the file's root was used although --root was given");
    const info = await sb.berth([
      "info",
      "--format",
      "{{json .Host.ConfigFiles}} {{.Store.GraphRoot}}",
    ], {
      env,
    });
    assertEquals(info.stdout, `["${conf}"] ${sb.root}\n`);
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "a broken file: one Error line with file and line, status 125, nothing created",
  opts,
  async () => {
    const sb = sandbox();
    try {
      const rootfs = await busyboxRootfs();
      const conf = join(sb.dir, "berth.conf");
      Deno.writeTextFileSync(conf, `[engine]\nruntime = "runc"\nruntime_path = "/x"\n`);
      const run = await sb.berth(["run", "--rm", "--rootfs", rootfs, "true"], {
        env: { BERTH_CONFIG: conf },
      });
      assertEquals(run.code, 125);
      assertEquals(
        run.stderr,
        `Error: ${conf}:3: unknown key "engine.runtime_path" (known: runtime, conmon, root, runroot, log_level)\n`,
      );
      let created = true;
      try {
        Deno.statSync(sb.root);
      } catch {
        created = false;
      }
      assert(!created, "berth created its store before refusing the file");
      const missing = await sb.berth(["ps"], { env: { BERTH_CONFIG: join(sb.dir, "none.conf") } });
      assertEquals(missing.code, 125);
      assertMatch(
        missing.stderr,
        /^Error: cannot read configuration file .*none\.conf: no such file\n$/,
      );
    } finally {
      await sb.cleanup();
    }
  },
);

/** The interfaces and two limits a container sees, for the [containers] tests. */
const SHOW = [
  "sh",
  "-c",
  "echo $(ls /sys/class/net); grep -E '^Max (open files|core file size)' /proc/self/limits",
];

/** `Max open files  SOFT  HARD` → "SOFT HARD", by limit. */
function limitsOf(out: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of out.matchAll(/^Max (open files|core file size)\s+(\S+)\s+(\S+)/gm)) {
    found[m[1]] = `${m[2]} ${m[3]}`;
  }
  return found;
}

Deno.test(
  "[containers] network and ulimits: defaults for run and create, under their flags",
  opts,
  async () => {
    const sb = sandbox();
    try {
      const rootfs = await busyboxRootfs();
      const conf = join(sb.dir, "berth.conf");
      Deno.writeTextFileSync(
        conf,
        `[containers]\nnetwork = "none"\nulimits = ["nofile=1000:1500", "core=0"]\n`,
      );
      const env = { BERTH_CONFIG: conf };
      const byFile = await sb.berth(["run", "--rm", "--rootfs", rootfs, ...SHOW], { env });
      assertEquals(byFile.code, 0, byFile.stderr);
      assertEquals(byFile.stdout.split("\n")[0], "lo", "the file's network none was not used");
      assertEquals(limitsOf(byFile.stdout), { "open files": "1000 1500", "core file size": "0 0" });
      // create too, and inspect shows what the container got.
      const created = await sb.berth(["create", "--rootfs", rootfs, "true"], { env });
      assertEquals(created.code, 0, created.stderr);
      const shown = await sb.berth([
        "inspect",
        "--format",
        "{{.HostConfig.NetworkMode}} {{range .HostConfig.Ulimits}}{{.Name}}={{.Soft}}:{{.Hard}} {{end}}",
        created.stdout.trim(),
      ]);
      assertEquals(shown.stdout, "none RLIMIT_NOFILE=1000:1500 RLIMIT_CORE=0:0 \n");
      // Flags win, each over its own limit only.
      const flags = await sb.berth([
        "run",
        "--rm",
        "--network",
        "host",
        "--ulimit",
        "nofile=900",
        "--rootfs",
        rootfs,
        ...SHOW,
      ], { env });
      assertEquals(flags.code, 0, flags.stderr);
      assert(flags.stdout.split("\n")[0] !== "lo", `--network host lost: ${flags.stdout}`);
      assertEquals(limitsOf(flags.stdout), { "open files": "900 900", "core file size": "0 0" });
      // Without the file: the host's network, the host's limits.
      const bare = await sb.berth(["run", "--rm", "--rootfs", rootfs, ...SHOW]);
      assert(bare.stdout.split("\n")[0] !== "lo", `host is the default: ${bare.stdout}`);
      assert(limitsOf(bare.stdout)["open files"] !== "1000 1500", bare.stdout);
      // A default above the host's hard limit is refused as a flag's is, creating nothing.
      Deno.writeTextFileSync(conf, `[containers]\nulimits = ["nofile=10:1099511627776"]\n`);
      const above = await sb.berth(["run", "--rm", "--rootfs", rootfs, "true"], { env });
      assertEquals(above.code, 125);
      assertMatch(
        above.stderr,
        /^Error: ulimit nofile: hard limit 1099511627776 exceeds the host's/,
      );
      const ps = await sb.berth(["ps", "-aq"]);
      assertEquals(ps.stdout.trim().split("\n").length, 1, "only the created container");
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("[containers]: a bad value is one Error line naming file and line", opts, async () => {
  const sb = sandbox();
  try {
    const conf = join(sb.dir, "berth.conf");
    const env = { BERTH_CONFIG: conf };
    Deno.writeTextFileSync(conf, `[containers]\n\nnetwork = "pasta"\n`);
    const network = await sb.berth(["ps"], { env });
    assertEquals(network.code, 125);
    assertEquals(
      network.stderr,
      `Error: ${conf}:3: "containers.network": unsupported network mode "pasta": use host, none, container:NAME or a network of berth network create\n`,
    );
    Deno.writeTextFileSync(conf, `[containers]\nulimits = ["nofile=1024:2048", "files=1"]\n`);
    const ulimit = await sb.berth(["ps"], { env });
    assertEquals(
      ulimit.stderr,
      `Error: ${conf}:2: "containers.ulimits": invalid ulimit "files=1": expected NAME=SOFT[:HARD], e.g. nofile=1024:2048\n`,
    );
    Deno.writeTextFileSync(conf, `[registries]\nsearch = ["quay.io", "not a host"]\n`);
    const search = await sb.berth(["ps"], { env });
    assertEquals(
      search.stderr,
      `Error: ${conf}:2: "registries.search": "not a host" is not a registry host\n`,
    );
  } finally {
    await sb.cleanup();
  }
});

Deno.test("[containers] network names a bridge network: containers join it", opts, async () => {
  const sb = sandbox();
  try {
    const rootfs = await busyboxRootfs();
    const made = await sb.berth(["network", "create", "--subnet", "10.199.61.0/24", "cfgnet"]);
    assertEquals(made.code, 0, made.stderr);
    const conf = join(sb.dir, "berth.conf");
    Deno.writeTextFileSync(conf, `[containers]\nnetwork = "cfgnet"\n`);
    const run = await sb.berth([
      "run",
      "--rm",
      "--rootfs",
      rootfs,
      "sh",
      "-c",
      "echo $(ls /sys/class/net); ip -4 addr show eth0 | grep -o 'inet [0-9.]*'",
    ], { env: { BERTH_CONFIG: conf } });
    assertEquals(run.code, 0, run.stderr);
    assertMatch(run.stdout, /^eth0 lo\ninet 10\.199\.61\.\d+\n$/);
  } finally {
    await sb.berth(["network", "rm", "-f", "cfgnet"]);
    await sb.cleanup();
  }
});

Deno.test(
  "[registries] search: pull, run and create take a short name from the first registry that has it",
  opts,
  async () => {
    const sb = sandbox();
    const lacking = await startRegistry(sb.dir, join(sb.dir, "storage-1"));
    const having = await startRegistry(sb.dir, join(sb.dir, "storage-2"));
    try {
      const image = buildImage({
        layers: [{ tar: busyboxTar(), compression: "gzip" }],
        config: { Cmd: ["echo", "from the second registry"] },
      });
      const manifest = {
        ref: "latest",
        bytes: image.manifest,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
      };
      for (const repo of ["forpull", "forrun", "forcreate"]) {
        await push(having.host, repo, image.blobs, [manifest]);
      }
      const conf = join(sb.dir, "berth.conf");
      Deno.writeTextFileSync(
        conf,
        `[registries]\nsearch = ["${lacking.host}", "${having.host}"]\n` +
          `insecure = ["${lacking.host}", "${having.host}"]\n`,
      );
      const env = { BERTH_CONFIG: conf };
      const info = await sb.berth(["info", "--format", "{{json .Registries.search}}"], { env });
      assertEquals(info.stdout, `["${lacking.host}","${having.host}"]\n`);
      const infoBare = await sb.berth(["info", "--format", "{{json .Registries.search}}"]);
      assertEquals(infoBare.stdout, `["docker.io"]\n`);
      const pulled = await sb.berth(["pull", "-q", "forpull"], { env });
      assertEquals(pulled.code, 0, pulled.stderr);
      assertMatch(pulled.stdout, /^[0-9a-f]{64}\n$/);
      const run = await sb.berth(["run", "--rm", "forrun"], { env });
      assertEquals([run.code, run.stdout], [0, "from the second registry\n"], run.stderr);
      const created = await sb.berth(["create", "-q", "forcreate"], { env });
      assertEquals(created.code, 0, created.stderr);
      const names = await sb.berth(["images", "--format", "{{.Repository}}:{{.Tag}}"]);
      assertEquals(
        names.stdout.split("\n").filter(Boolean).sort(),
        ["forcreate", "forpull", "forrun"].map((r) => `${having.host}/${r}:latest`),
      );
      // Nowhere: one line naming what was tried, in order, and why each failed.
      const none = await sb.berth(["pull", "-q", "nosuch:1"], { env });
      assertEquals(none.code, 125);
      assertEquals(none.stderr.split("\n").length, 2, none.stderr);
      const tried = new RegExp(
        `^Error: pulling short name "nosuch:1" failed in every search registry: ` +
          `${lacking.host}/nosuch:1: .*manifest unknown.*; ${having.host}/nosuch:1: .*manifest unknown`,
      );
      assertMatch(none.stderr, tried);
      const runNone = await sb.berth(["run", "--rm", "nosuch:1"], { env });
      assertEquals(runNone.code, 125);
      assertMatch(runNone.stderr, tried);
      // A name with a registry is pulled from it alone.
      const qualified = await sb.berth(["pull", "-q", `${lacking.host}/forpull`], { env });
      assertEquals(qualified.code, 125);
      assertMatch(
        qualified.stderr,
        new RegExp(`^Error: reading manifest latest in ${lacking.host}/forpull: 404`),
      );
      // Tried first where it is not, as NAME (library/ is docker.io's alone).
      await lacking.stop(); // flushes its log
      assertMatch(lacking.log(), /uri="?\/v2\/forrun\/manifests\/latest/);
      assert(!lacking.log().includes("/library/"), lacking.log());
    } finally {
      await lacking.stop();
      await having.stop();
      await sb.cleanup();
    }
  },
);
