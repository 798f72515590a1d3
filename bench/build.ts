/**
 * `deno run -A bench/build.ts [RUNS]`: the wall time of building a 5-step Containerfile
 * (ENV, RUN, COPY, RUN, CMD) on a local busybox image, cold (`--no-cache`) and cached, with
 * berth and with `podman build` (runc, private overlay storage), interleaved so machine drift
 * cancels out. Prints the medians and p90s; needs root, podman and /bin/busybox.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { berthArgv, type EngineSetup, podmanArgv } from "./engines.ts";
import { execTimed, tail } from "./exec.ts";
import { runInterleaved, type Variant } from "./latency.ts";
import { buildRootfs, which } from "./setup.ts";
import { fmt, renderTable } from "./report.ts";

const FILE = `FROM localhost/bb
ENV A=1
RUN echo one > /one
COPY f /f
RUN cat /f > /g
CMD ["sh"]
`;

async function must(argv: string[]): Promise<void> {
  const r = await execTimed(argv);
  if (r.code !== 0) throw new Error(`${argv.join(" ")}: ${tail(r.stderr)}`);
}

if (import.meta.main) {
  const runs = Number(Deno.args[0] ?? 10);
  const dir = Deno.makeTempDirSync({ prefix: "berth-bench-build-" });
  const podman = which("podman");
  if (!podman) throw new Error("podman is not installed");
  const s: EngineSetup = {
    deno: Deno.execPath(),
    berthMain: fileURLToPath(new URL("../main.ts", import.meta.url)),
    berthRoot: `${dir}/berth`,
    berthRunroot: `${dir}/berth-run`,
    runtime: "runc",
    podman,
    podmanRoot: `${dir}/podman`,
    podmanRunroot: `${dir}/podman-run`,
    podmanTmpdir: `${dir}/podman-tmp`,
    runc: "runc",
    runcRoot: `${dir}/runc`,
    rootfs: `${dir}/rootfs`,
  };
  try {
    await buildRootfs(s.rootfs, "/bin/busybox");
    await must(["tar", "-C", s.rootfs, "-cf", `${dir}/bb.tar`, "."]);
    await must(berthArgv(s, ["import", "-q", `${dir}/bb.tar`, "bb"]));
    await must(podmanArgv(s, ["import", "-q", `${dir}/bb.tar`, "localhost/bb"]));
    const ctx = `${dir}/ctx`;
    Deno.mkdirSync(ctx);
    Deno.writeTextFileSync(`${ctx}/Containerfile`, FILE);
    Deno.writeTextFileSync(`${ctx}/f`, "data\n");
    const build = (engine: "berth" | "podman", extra: string[]) => {
      const args = ["build", "-q", ...extra, "-t", "bench", ctx];
      return engine === "berth" ? berthArgv(s, args) : podmanArgv(s, args);
    };
    const variants: Variant[] = [
      {
        name: "berth-cold",
        label: "berth build --no-cache",
        argv: () => build("berth", ["--no-cache"]),
        expectCode: 0,
      },
      {
        name: "podman-cold",
        label: "podman build --no-cache",
        argv: () => build("podman", ["--no-cache"]),
        expectCode: 0,
      },
      {
        name: "berth-cached",
        label: "berth build (cached)",
        argv: () => build("berth", []),
        expectCode: 0,
      },
      {
        name: "podman-cached",
        label: "podman build (cached)",
        argv: () => build("podman", []),
        expectCode: 0,
      },
    ];
    const results = await runInterleaved(variants, runs, 1, 120_000, (m) => console.error(m));
    console.log(renderTable(
      ["variant", "median ms", "p90 ms", "failures"],
      results.map((r) => [
        r.label,
        fmt(r.stats?.median),
        fmt(r.stats?.p90),
        String(r.failures.count),
      ]),
    ));
  } finally {
    await execTimed(podmanArgv(s, ["rmi", "-a", "-f"]));
    await execTimed(["umount", "-R", `${s.berthRoot}/containers`]);
    Deno.removeSync(dir, { recursive: true });
  }
}
