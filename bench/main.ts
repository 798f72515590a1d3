/**
 * berth's benchmark suite (issue #5): `deno task bench`.
 *
 * Measures, in one run on one busybox rootfs, interleaved so machine drift cancels out:
 * `run --rm /bin/true` wall time for berth, podman and raw runc; exit → `wait` latency;
 * throughput of N concurrent `run --rm`; the phases of a berth run from its debug trace; and
 * `docker run --rm` through berth's and podman's API sockets (`system service`).
 * Prints tables and writes JSON to `bench/results/latest.json`. See `bench/README.md`.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { type BenchConfig, parseBenchArgs, USAGE } from "./args.ts";
import { type ApiEngine, type ApiResult, DOCKER_CLI, PROBE_CODE, runApiScenario } from "./api.ts";
import {
  berthArgv,
  type EngineSetup,
  isBerthProcess,
  isPodmanProcess,
  podmanArgv,
  runArgv,
  runcRunArgv,
} from "./engines.ts";
import { type CpuGroup, createCpuGroup } from "./cpuacct.ts";
import { execTimed, tail } from "./exec.ts";
import { firstReason } from "./failures.ts";
import { runInterleaved, type Variant, type VariantResult } from "./latency.ts";
import { evaluateTargets, fmt, renderTable, type Target, verdict } from "./report.ts";
import { environHas } from "./rss.ts";
import { runcSpecTemplate } from "./runc_bundle.ts";
import {
  buildRootfs,
  loadavg,
  type MachineInfo,
  machineInfo,
  makeBundle,
  makeDirs,
  removeBase,
  version,
  which,
} from "./setup.ts";
import { ratio, round } from "./stats.ts";
import {
  expectedCode,
  runThroughput,
  type ThroughputEngine,
  type ThroughputResult,
} from "./throughput.ts";
import { type PhaseRow, phaseTable } from "./trace.ts";
import { runWaitScenario, type WaitResult } from "./wait.ts";
import { runStoreScenario, type StoreResult } from "./store.ts";
import type { WatchReply, WatchRequest } from "./watch_worker.ts";

/** Whether an engine could be measured, and why not. */
export interface EngineStatus {
  available: boolean;
  note: string;
}

/** The JSON written to `bench/results/latest.json`. */
export interface BenchResults {
  schema: 1;
  /** ISO 8601, UTC, when the run started. */
  date: string;
  durationS: number;
  machine: MachineInfo;
  /** `/proc/loadavg` (1, 5, 15 min) when the run started and ended: other work on the machine. */
  load: { start: number[]; end: number[] };
  versions: Record<string, string | null>;
  config: Omit<BenchConfig, "help">;
  engines: Record<"berth" | "podman" | "runc", EngineStatus>;
  latency: VariantResult[];
  phases: PhaseRow[];
  wait: WaitResult[];
  throughput: ThroughputResult[];
  /** `ps -a` and `inspect` with 1 and {@linkcode STORE_N} containers; `null` if skipped. */
  store?: StoreResult | null;
  /** `docker run` through berth's and podman's API sockets; `null` if skipped. */
  api?: ApiResult | null;
  targets: Target[];
  notes: string[];
}

const log = (msg: string) => console.error(msg);

/** Containers in the database for the store scenario (issue #13: ≤ 2 × the time with 1). */
const STORE_N = 1000;

/** Medians by variant name. */
function latencyMedian(lat: VariantResult[], name: string): number | null {
  return lat.find((v) => v.name === name)?.stats?.median ?? null;
}

async function probe(argv: string[], env: Record<string, string>, timeoutMs: number) {
  const r = await execTimed(argv, { timeoutMs, env });
  if (r.code === 0) return { available: true, note: `probe ok in ${fmt(r.ms, 0)} ms` };
  const how = r.timedOut
    ? "timed out"
    : r.code === null
    ? `not started (${r.error})`
    : `exit ${r.code}`;
  return { available: false, note: `probe ${how}: ${tail(r.stderr || r.stdout, 300)}` };
}

function startWatcher(): { watch: (req: WatchRequest) => Promise<WatchReply>; stop: () => void } {
  const worker = new Worker(new URL("./watch_worker.ts", import.meta.url).href, { type: "module" });
  let queue = Promise.resolve() as Promise<unknown>;
  const watch = (req: WatchRequest) => {
    const p = queue.then(() =>
      new Promise<WatchReply>((resolve) => {
        worker.onmessage = (e: MessageEvent<WatchReply>) => resolve(e.data);
        worker.postMessage(req);
      })
    );
    queue = p;
    return p;
  };
  return { watch, stop: () => worker.terminate() };
}

/** Remove whatever containers are left in the private stores. Returns problems. */
async function cleanupEngines(s: EngineSetup, env: Record<string, string>): Promise<string[]> {
  const problems: string[] = [];
  const t = { timeoutMs: 60_000, env };
  try {
    await Deno.stat(s.berthMain);
    const ps = await execTimed(berthArgv(s, ["ps", "-a", "-q"]), t);
    const ids = ps.code === 0 ? ps.stdout.split("\n").map((x) => x.trim()).filter(Boolean) : [];
    for (const id of ids) {
      const r = await execTimed(berthArgv(s, ["rm", "-f", "-t", "0", id]), t);
      if (r.code !== 0) problems.push(`berth rm -f ${id}: ${tail(r.stderr, 200)}`);
    }
  } catch { /* no berth */ }
  if (s.podman) {
    const r = await execTimed(podmanArgv(s, ["rm", "-a", "-f", "-t", "0"]), t);
    if (r.code !== 0) problems.push(`podman rm -af: ${tail(r.stderr, 200)}`);
  }
  const list = await execTimed([s.runc, "--root", s.runcRoot, "list", "-q"], t);
  for (const id of list.stdout.split("\n").map((x) => x.trim()).filter(Boolean)) {
    await execTimed([s.runc, "--root", s.runcRoot, "delete", "-f", id], t);
  }
  return problems;
}

async function main(): Promise<number> {
  let cfg: BenchConfig;
  try {
    cfg = parseBenchArgs(Deno.args);
  } catch (e) {
    console.error(`bench: ${e instanceof Error ? e.message : e}\n\n${USAGE}`);
    return 2;
  }
  if (cfg.help) {
    console.log(USAGE);
    return 0;
  }
  const started = new Date();
  const loadStart = loadavg();
  const t0 = performance.now();
  const notes: string[] = [];
  const here = fileURLToPath(new URL(".", import.meta.url));
  const out = cfg.out ?? `${here}results/${cfg.quick ? "quick" : "latest"}.json`;
  const berthMain = cfg.berthMain ?? fileURLToPath(new URL("../main.ts", import.meta.url));
  const runc = which("runc");
  const busybox = which("busybox");
  if (!runc || !busybox) {
    console.error(`bench: needs ${!runc ? "runc" : "busybox"} on PATH`);
    return 1;
  }
  const podman = cfg.podman ? which("podman") : null;
  if (!cfg.skip.includes("api")) {
    try {
      await Deno.stat(DOCKER_CLI);
    } catch {
      console.error(
        `bench: the api scenario needs the docker CLI at ${DOCKER_CLI} (or --skip api)`,
      );
      return 1;
    }
  }
  const base = await Deno.makeTempDir({ prefix: "berth-bench-" });
  const s = await makeDirs(base, {
    deno: Deno.execPath(),
    berthMain,
    runtime: cfg.runtime,
    podman,
    runc,
  });
  const token = `BERTH_BENCH_TOKEN=${crypto.randomUUID()}`;
  const env = { BERTH_BENCH_TOKEN: token.split("=")[1] };
  const watcher = startWatcher();
  const groups: CpuGroup[] = [];
  let interrupted = false;
  const onInt = () => {
    interrupted = true;
    log("bench: interrupted; cleaning up (Ctrl-C again to abandon)");
    Deno.removeSignalListener("SIGINT", onInt);
  };
  Deno.addSignalListener("SIGINT", onInt);
  try {
    log(`bench: temp dir ${base}`);
    const applets = await buildRootfs(s.rootfs, busybox);
    s.rootfs = await Deno.realPath(s.rootfs);
    log(`bench: busybox rootfs with ${applets} applets`);
    const template = await runcSpecTemplate(runc, `${base}/spec-template`);
    const bundleTrue = await makeBundle(template, `${base}/bundles/true`, s.rootfs, ["/bin/true"]);
    const codes = [
      ...new Set(Array.from({ length: Math.max(...cfg.ns) }, (_, k) => expectedCode(k))),
    ];
    const bundleExit = new Map<number, string>();
    for (const c of codes) {
      const args = ["/bin/sh", "-c", `exit ${c}`];
      bundleExit.set(c, await makeBundle(template, `${base}/bundles/exit-${c}`, s.rootfs, args));
    }
    await Deno.writeTextFile(`${base}/empty.ts`, "");

    const versions: Record<string, string | null> = {
      berth: await gitDescribe(berthMain),
      deno: Deno.version.deno,
      runc: await version([runc, "--version"]),
      conmon: await version(["conmon", "--version"]),
      crun: await version(["crun", "--version"]),
      podman: podman ? await version([podman, "--version"]) : null,
      busybox: (await version([busybox])) ?? null,
      docker: cfg.skip.includes("api") ? null : await version([DOCKER_CLI, "--version"]),
    };

    log("bench: probing engines");
    const engines: BenchResults["engines"] = {
      berth: await probe(runArgv(s, "berth", { rm: true }, ["/bin/true"]), env, 60_000),
      podman: !cfg.podman
        ? { available: false, note: "skipped (--no-podman)" }
        : !podman
        ? { available: false, note: "podman is not installed (apt-get install -y podman)" }
        : await probe(runArgv(s, "podman", { rm: true }, ["/bin/true"]), env, 120_000),
      runc: await probe(runcRunArgv(s, bundleTrue, "bench-probe"), env, 60_000),
    };
    for (const [name, st] of Object.entries(engines)) {
      log(`  ${name}: ${st.available ? "ok" : "UNAVAILABLE"} — ${st.note}`);
      if (!st.available) notes.push(`${name} not measured: ${st.note}`);
    }
    const B = engines.berth.available, P = engines.podman.available, R = engines.runc.available;

    let latency: VariantResult[] = [];
    if (!cfg.skip.includes("latency")) {
      const variants: Variant[] = [];
      const cmd = ["/bin/true"];
      if (B) {
        variants.push({
          name: "berth",
          label: "berth run --rm --network none",
          argv: () => runArgv(s, "berth", { rm: true }, cmd),
          expectCode: 0,
          env,
        }, {
          name: "berth-debug",
          label: "berth --log-level debug run --rm --network none",
          argv: () => runArgv(s, "berth", { rm: true, debug: true }, cmd),
          expectCode: 0,
          traced: true,
          env,
        });
      }
      if (P) {
        variants.push({
          name: "podman",
          label: "podman run --rm --network none",
          argv: () => runArgv(s, "podman", { rm: true }, cmd),
          expectCode: 0,
        });
        if (cfg.extras) {
          variants.push({
            name: "podman-nonet",
            label: "podman run --rm (bridge, its default)",
            argv: () => runArgv(s, "podman", { rm: true, network: "default" }, cmd),
            expectCode: 0,
          }, {
            name: "podman-host",
            label: "podman run --rm --network host",
            argv: () => runArgv(s, "podman", { rm: true, network: "host" }, cmd),
            expectCode: 0,
          });
        }
      }
      if (R) {
        variants.push({
          name: "runc",
          label: "runc run (prepared bundle)",
          argv: (i) => runcRunArgv(s, bundleTrue, `bench-lat-${i + cfg.warmup}`),
          expectCode: 0,
        });
      }
      if (cfg.extras && B) {
        // The networks issue's rows: berth's own bridge (netavark, its default network "berth")
        // and the host network, beside podman's bridge and host rows above.
        variants.push({
          name: "berth-bridge",
          label: "berth run --rm --network bridge",
          argv: () => runArgv(s, "berth", { rm: true, network: "bridge" }, cmd),
          expectCode: 0,
          env,
        }, {
          name: "berth-host",
          label: "berth run --rm --network host (its default)",
          argv: () => runArgv(s, "berth", { rm: true, network: "host" }, cmd),
          expectCode: 0,
          env,
        });
      }
      if (cfg.extras && B) {
        variants.push({
          name: "berth-boot",
          label: "berth --help (startup only)",
          argv: () => berthArgv(s, ["--help"]),
          expectCode: 0,
          env,
        });
      }
      if (cfg.extras) {
        variants.push({
          name: "deno-empty",
          label: "deno run (empty file)",
          argv: () => [s.deno, "run", "-A", `${base}/empty.ts`],
          expectCode: 0,
        });
      }
      log(`bench: latency, ${cfg.runs} runs × ${variants.map((v) => v.name).join(" ")}`);
      latency = await runInterleaved(variants, cfg.runs, cfg.warmup, cfg.timeoutMs, log);
    }
    const traces = latency.find((v) => v.name === "berth-debug")?.traces ?? [];
    const phases = traces.length ? phaseTable(traces) : [];

    let wait: WaitResult[] = [];
    if (!cfg.skip.includes("wait") && !interrupted && (B || P)) {
      const sleepCmd = ["/bin/sleep", "600"];
      const engs = [];
      if (B) {
        engs.push({
          name: "berth",
          runDetached: runArgv(s, "berth", { detach: true }, sleepCmd),
          waitArgv: (id: string) => berthArgv(s, ["wait", id], true),
          rmArgv: (id: string) => berthArgv(s, ["rm", "-f", "-t", "0", id]),
          env,
        });
      }
      if (P) {
        engs.push({
          name: "podman",
          runDetached: runArgv(s, "podman", { detach: true }, sleepCmd),
          waitArgv: (id: string) => podmanArgv(s, ["wait", id]),
          rmArgv: (id: string) => podmanArgv(s, ["rm", "-f", "-t", "0", id]),
        });
      }
      log(`bench: exit → wait, ${cfg.waitRuns} runs × ${engs.map((e) => e.name).join(" ")}`);
      wait = await runWaitScenario(
        engs,
        cfg.waitRuns,
        cfg.settleMs,
        cfg.timeoutMs,
        watcher.watch,
        log,
      );
    }

    let throughput: ThroughputResult[] = [];
    if (!cfg.skip.includes("throughput") && !interrupted) {
      const engs = [];
      const exitCmd = (k: number) => ["/bin/sh", "-c", `exit ${expectedCode(k)}`];
      if (B) {
        engs.push({
          name: "berth",
          argv: (k: number) => runArgv(s, "berth", { rm: true }, exitCmd(k)),
          match: (a: string[], pid: number) =>
            isBerthProcess(a, berthMain) && environHas(pid, token),
          env,
        });
      }
      if (P) {
        engs.push({
          name: "podman",
          argv: (k: number) => runArgv(s, "podman", { rm: true }, exitCmd(k)),
          match: (a: string[]) => isPodmanProcess(a),
        });
      }
      if (R) {
        engs.push({
          name: "runc",
          argv: (k: number, r: number, n: number) =>
            runcRunArgv(s, bundleExit.get(expectedCode(k))!, `bench-tp-${n}-${r}-${k}`),
          match: (a: string[]) => a[0] === runc && a.includes(s.runcRoot),
        });
      }
      const tag = token.slice(-12);
      for (const e of engs as ThroughputEngine[]) {
        e.group = createCpuGroup(`berth-bench-${tag}-${e.name}`);
        if (e.group) groups.push(e.group);
      }
      if (groups.length === 0) {
        notes.push("no cgroup CPU accounting here: CPU per run is machine-wide only");
      }
      log(`bench: throughput, N=${cfg.ns.join(",")} × ${cfg.rounds} rounds`);
      throughput = await runThroughput(engs, cfg.ns, cfg.rounds, cfg.timeoutMs, log);
    }

    let store: StoreResult | null = null;
    if (!cfg.skip.includes("store") && !interrupted && B) {
      store = await runStoreScenario(s, env, STORE_N, cfg.quick ? 3 : 10, cfg.timeoutMs, log);
    }

    let api: ApiResult | null = null;
    if (!cfg.skip.includes("api") && !interrupted && (B || P)) {
      const engs: ApiEngine[] = [
        ...(B ? ["berth" as const] : []),
        ...(P ? ["podman" as const] : []),
      ];
      const o = {
        docker: DOCKER_CLI,
        runs: cfg.runs,
        warmup: cfg.warmup,
        timeoutMs: cfg.timeoutMs,
      };
      api = await runApiScenario(s, base, engs, env, o, log);
      for (const x of api.services) {
        if (x.problem) notes.push(`api: ${x.engine}: ${x.problem}`);
        else if (x.rmExitCode !== PROBE_CODE) {
          notes.push(
            `api: ${x.engine}: docker run --rm … exit ${PROBE_CODE} gave exit ${x.rmExitCode} (exit code lost)`,
          );
        }
      }
    }

    const topN = Math.max(...cfg.ns);
    const rps = (name: string) =>
      throughput.find((t) => t.name === name && t.n === topN)?.medianRunsPerSec ?? null;
    const targets = evaluateTargets({
      berthRunMs: latencyMedian(latency, "berth"),
      podmanRunMs: latencyMedian(latency, "podman"),
      runcRunMs: latencyMedian(latency, "runc"),
      berthCleanupToWaitMs: wait.find((w) => w.name === "berth")?.stats.cleanupToWait?.median ??
        null,
      berthRps: rps("berth"),
      podmanRps: rps("podman"),
      n: throughput.length ? topN : null,
    });
    if (topN !== 50 && throughput.length) {
      notes.push(`throughput target judged at N=${topN}, not 50`);
    }
    if (interrupted) notes.push("interrupted: some scenarios were not run");

    const { help: _help, ...config } = cfg;
    const results: BenchResults = {
      schema: 1,
      date: started.toISOString(),
      durationS: 0,
      machine: machineInfo(),
      load: { start: loadStart, end: [] },
      versions,
      config,
      engines,
      latency,
      phases,
      wait,
      throughput,
      store,
      api,
      targets,
      notes,
    };
    log("bench: cleaning up");
    notes.push(...await cleanupEngines(s, env));
    results.durationS = round((performance.now() - t0) / 1000, 1) ?? 0;
    results.load.end = loadavg();
    console.log(renderReport(results));
    await Deno.mkdir(out.slice(0, out.lastIndexOf("/")) || ".", { recursive: true });
    await Deno.writeTextFile(`${out}.tmp`, JSON.stringify(results, roundReplacer, 2) + "\n");
    await Deno.rename(`${out}.tmp`, out);
    log(`bench: wrote ${out}`);
    return 0;
  } finally {
    watcher.stop();
    if (!interrupted) Deno.removeSignalListener("SIGINT", onInt);
    await cleanupEngines(s, env).catch(() => []);
    for (const g of groups) if (!g.remove()) log(`bench: cleanup: cannot remove cgroup ${g.path}`);
    if (cfg.keep) log(`bench: kept ${base}`);
    else for (const p of await removeBase(base)) log(`bench: cleanup: ${p}`);
  }
}

/** The commit of berth's checkout (`+dirty` if it has changes), or `null` outside git. */
async function gitDescribe(berthMain: string): Promise<string | null> {
  const dir = berthMain.slice(0, berthMain.lastIndexOf("/")) || "/";
  return await version(["git", "-C", dir, "describe", "--always", "--dirty=+dirty"]);
}

/** JSON replacer: numbers to 3 decimals, which is plenty for ms. */
function roundReplacer(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isInteger(value) ? round(value, 3) : value;
}

/** All tables of a finished run. */
export function renderReport(r: BenchResults): string {
  const parts: string[] = [];
  parts.push(
    `berth bench — ${r.date} — ${r.machine.os}, kernel ${r.machine.kernel}, ${r.machine.cpus} CPUs`,
  );
  const pod = latencyMedian(r.latency, "podman");
  const runc = latencyMedian(r.latency, "runc");
  if (r.latency.length) {
    parts.push(`\n## run /bin/true: wall time, ms (${r.config.runs} runs, interleaved)`);
    parts.push(renderTable(
      ["variant", "n", "median", "p90", "min", "max", "÷ podman", "÷ runc", "failures"],
      r.latency.map((v) => [
        v.label,
        String(v.stats?.n ?? 0),
        fmt(v.stats?.median),
        fmt(v.stats?.p90),
        fmt(v.stats?.min),
        fmt(v.stats?.max),
        fmt(ratio(v.stats?.median, pod), 2),
        fmt(ratio(v.stats?.median, runc), 2),
        v.failures.count ? `${v.failures.count}: ${firstReason(v.failures)}` : "0",
      ]),
    ));
  }
  if (r.phases.length) {
    parts.push(`\n## berth run phases (--log-level debug), medians, ms`);
    parts.push(renderTable(
      ["phase", "seen", "since spawn", "berth clock", "Δ previous"],
      r.phases.map((p) => [
        p.phase === "boot"
          ? "boot (spawn → berth clock 0)"
          : p.phase === "exit"
          ? "process exit"
          : p.phase,
        String(p.seen),
        fmt(p.atMs),
        fmt(p.berthMs),
        fmt(p.deltaMs),
      ]),
    ));
  }
  if (r.wait.length) {
    parts.push(`\n## exit → wait, ms after SIGKILL of the container (median / p90)`);
    const mp = (x: { median: number; p90: number } | null) =>
      x ? `${fmt(x.median)} / ${fmt(x.p90)}` : "—";
    parts.push(renderTable(
      [
        "engine",
        "n",
        "wait returned",
        "cleanup done",
        "wait − cleanup",
        "trace: cleanup→exit",
        "failures",
      ],
      r.wait.map((w) => [
        w.name,
        String(w.samples.length),
        mp(w.stats.exitToWait),
        mp(w.stats.exitToCleanup),
        mp(w.stats.cleanupToWait),
        mp(w.stats.traceCleanupToExit),
        w.failures.count ? `${w.failures.count}: ${firstReason(w.failures)}` : "0",
      ]),
    ));
    parts.push(
      "cleanup done = conmon exited (it waits for the engine's exit command); " +
        "wait − cleanup < 0: wait returned before that",
    );
  }
  if (r.throughput.length) {
    parts.push(`\n## throughput: N concurrent run --rm (median of ${r.config.rounds} rounds)`);
    const podRps = (n: number) =>
      r.throughput.find((t) => t.name === "podman" && t.n === n)?.medianRunsPerSec;
    const mib = (kb: number | null) => (kb === null ? "—" : fmt(kb / 1024, 0));
    parts.push(renderTable(
      [
        ...["N", "engine", "runs/s", "÷ podman", "ok-runs/s", "CPU ms/run", "machine CPU"],
        ...["drain ms", "peak RSS sum MiB", "peak single MiB", "failures"],
      ],
      r.throughput.map((t) => [
        String(t.n),
        t.name,
        fmt(t.medianRunsPerSec, 2),
        fmt(ratio(t.medianRunsPerSec, podRps(t.n)), 2),
        fmt(t.medianOkRunsPerSec, 2),
        fmt(t.medianGroupCpuMsPerRun, 0),
        fmt(t.medianCpuMsPerRun, 0),
        fmt(t.medianDrainMs, 0),
        mib(t.peakRssSumKb),
        mib(t.peakRssSingleKb),
        t.failures.count ? `${t.failures.count}: ${firstReason(t.failures)}` : "0",
      ]),
    ));
    parts.push(
      [
        "ok-runs/s: until the last successful run ended (a hung run does not count)",
        "CPU ms/run: CPU of the engine's private cgroup ÷ successful runs (podman moves its conmon",
        "  and cleanup out of it: a lower bound); machine CPU: all busy CPU during burst + drain ÷ runs",
        "drain ms: how long the engine's processes (exit commands) outlived the last command",
      ].join("\n"),
    );
  }
  if (r.store?.rows.length) {
    parts.push(
      `\n## store: berth commands with 1 and ${r.store.n} containers, wall ms (median / p90)`,
    );
    const mp = (x: { median: number; p90: number } | null) =>
      x ? `${fmt(x.median)} / ${fmt(x.p90)}` : "—";
    parts.push(renderTable(
      ["command", "1 container", `${r.store.n} containers`, "ratio", "≤ 2 ×", "failures"],
      r.store.rows.map((row) => [
        row.command,
        mp(row.one),
        mp(row.many),
        fmt(row.ratio, 2),
        row.ratio === null ? "n/a" : verdict(row.ratio <= 2),
        String(r.store!.failures.count),
      ]),
    ));
  }
  if (r.api?.latency.length) {
    parts.push(
      `\n## docker run --rm IMAGE true through the API socket: wall ms (${r.config.runs} runs, interleaved)`,
    );
    const podApi = latencyMedian(r.api.latency, "podman-api");
    const ready = (name: string) =>
      r.api!.services.find((x) => `${x.engine}-api` === name)?.readyMs ?? null;
    parts.push(renderTable(
      ["service", "n", "median", "p90", "min", "max", "÷ podman", "ready ms", "failures"],
      r.api.latency.map((v) => [
        v.label,
        String(v.stats?.n ?? 0),
        fmt(v.stats?.median),
        fmt(v.stats?.p90),
        fmt(v.stats?.min),
        fmt(v.stats?.max),
        fmt(ratio(v.stats?.median, podApi), 2),
        fmt(ready(v.name), 0),
        v.failures.count ? `${v.failures.count}: ${firstReason(v.failures)}` : "0",
      ]),
    ));
    parts.push("ready ms: from spawning the service until `docker version` answered on its socket");
  }
  parts.push(`\n## targets`);
  parts.push(renderTable(
    ["target", "measured", "verdict"],
    r.targets.map((t) => [t.goal, t.measured, verdict(t.met)]),
  ));
  parts.push(
    `\nload average (1/5/15 min): ${r.load.start.join(" ")} at start, ${
      r.load.end.join(" ")
    } at end`,
  );
  if (r.notes.length) parts.push(`\nnotes:\n${r.notes.map((n) => `- ${n}`).join("\n")}`);
  parts.push(`\n(${r.durationS} s)`);
  return parts.join("\n");
}

if (import.meta.main) Deno.exit(await main());
