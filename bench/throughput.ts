/**
 * Throughput: N containers `run --rm` at once; runs per second and the peak memory of the
 * engine's processes. Container `k` exits with code `k % 100`, and every code is checked, so a
 * mix-up between concurrent containers shows as a failure.
 *
 * @module
 */
import type { CpuGroup } from "./cpuacct.ts";
import { execTimed, sleep } from "./exec.ts";
import { addFailure, type Failures, noFailures } from "./failures.ts";
import type { Progress } from "./latency.ts";
import { type ProcessMatcher, type RssPeak, RssSampler } from "./rss.ts";
import { CLK_TCK, findProcess, readCpuJiffies } from "./procfs.ts";
import { median } from "./stats.ts";

/** How to drive one engine. */
export interface ThroughputEngine {
  name: string;
  /** The command of container `k` in round `round`, which must exit with `k % 100`. */
  argv: (k: number, round: number, n: number) => string[];
  /** Which processes are this engine's (for memory); none sampled if absent. */
  match?: ProcessMatcher;
  /** A private cgroup to start the commands in, for exact CPU accounting. */
  group?: CpuGroup | null;
  env?: Record<string, string>;
}

/** After a burst, how long to wait for the engine's leftover processes (exit commands). */
export const DRAIN_LIMIT_MS = 15_000;

/** One burst of N. */
export interface Burst {
  wallMs: number;
  ok: number;
  /** Successful runs per second of the whole burst (until the last command ended). */
  runsPerSec: number;
  /** Successful runs per second until the last successful one ended (ignores hung ones). */
  okRunsPerSec: number;
  /** Machine-wide busy CPU time during the burst, ms (all processes, so also noise). */
  cpuBusyMs: number;
  /** `cpuBusyMs` per successful run. */
  cpuMsPerRun: number | null;
  /** CPU of the engine's own cgroup during burst and drain, per successful run (exact). */
  groupCpuMsPerRun: number | null;
  /** How long the engine's processes outlived the last command (cleanup still running), ms. */
  drainMs: number;
  rss: RssPeak | null;
}

/** An engine at one N, over all rounds. */
export interface ThroughputResult {
  name: string;
  n: number;
  bursts: Burst[];
  /** Median over rounds of successful runs per second. */
  medianRunsPerSec: number | null;
  /** Median over rounds of runs per second until the last successful run. */
  medianOkRunsPerSec: number | null;
  /** Median over rounds of machine-wide busy CPU ms per successful run. */
  medianCpuMsPerRun: number | null;
  /** Median over rounds of the engine's cgroup CPU ms per successful run. */
  medianGroupCpuMsPerRun: number | null;
  /** Median over rounds of how long cleanup processes outlived the burst, ms. */
  medianDrainMs: number | null;
  /** Highest over rounds. */
  peakRssSumKb: number | null;
  peakRssSingleKb: number | null;
  failures: Failures;
}

/** The exit code container `k` is asked to exit with. */
export function expectedCode(k: number): number {
  return k % 100;
}

/** Per-command timeout in a burst of `n`: at least 2 s per concurrent run (they queue). */
export function burstTimeoutMs(timeoutMs: number, n: number): number {
  return Math.max(timeoutMs, n * 2000);
}

/** Successful runs per second of a burst (failed runs count as no work done). */
export function runsPerSecond(ok: number, wallMs: number): number {
  return wallMs > 0 ? ok / (wallMs / 1000) : 0;
}

async function burst(
  e: ThroughputEngine,
  n: number,
  round: number,
  timeoutMs: number,
  failures: Failures,
): Promise<Burst> {
  const sampler = e.match ? new RssSampler(e.match) : null;
  const wrap = (argv: string[]) => (e.group ? e.group.wrap(argv) : argv);
  const cpu0 = readCpuJiffies();
  const g0 = e.group?.usageMs() ?? 0;
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from(
      { length: n },
      (_, k) => execTimed(wrap(e.argv(k, round, n)), { timeoutMs, env: e.env }),
    ),
  );
  const wallMs = performance.now() - t0;
  const drainMs = await drain(e);
  const cpu1 = readCpuJiffies();
  const groupMs = e.group ? e.group.usageMs() - g0 : null;
  const rss = sampler?.stop() ?? null;
  let ok = 0;
  let lastOkMs = 0;
  results.forEach((r, k) => {
    if (r.code === expectedCode(k) && !r.timedOut) {
      ok++;
      lastOkMs = Math.max(lastOkMs, r.ms);
    } else {
      addFailure(failures, `N=${n} round ${round} #${k}`, r, `expected exit ${expectedCode(k)}`);
    }
  });
  const cpuBusyMs = ((cpu1.busy - cpu0.busy) / CLK_TCK) * 1000;
  return {
    wallMs,
    ok,
    runsPerSec: runsPerSecond(ok, wallMs),
    okRunsPerSec: runsPerSecond(ok, lastOkMs),
    cpuBusyMs,
    cpuMsPerRun: ok > 0 ? cpuBusyMs / ok : null,
    groupCpuMsPerRun: groupMs !== null && ok > 0 ? groupMs / ok : null,
    drainMs,
    rss,
  };
}

/** Wait until none of `e`'s processes is left (in its group or matched), up to the limit. */
async function drain(e: ThroughputEngine): Promise<number> {
  const t0 = performance.now();
  const busy = () =>
    (e.group !== undefined && e.group !== null && e.group.procs().length > 0) ||
    (e.match !== undefined && findProcess(e.match) !== null);
  while (busy() && performance.now() - t0 < DRAIN_LIMIT_MS) await sleep(10);
  return performance.now() - t0;
}

/** For each N, `rounds` bursts per engine, engines interleaved. */
export async function runThroughput(
  engines: readonly ThroughputEngine[],
  ns: readonly number[],
  rounds: number,
  timeoutMs: number,
  progress: Progress,
): Promise<ThroughputResult[]> {
  const out: ThroughputResult[] = [];
  for (const n of ns) {
    const acc = engines.map(() => ({ bursts: [] as Burst[], failures: noFailures() }));
    for (let round = 0; round < rounds; round++) {
      for (const [i, e] of engines.entries()) {
        const t = burstTimeoutMs(timeoutMs, n);
        acc[i].bursts.push(await burst(e, n, round, t, acc[i].failures));
      }
      progress(`  throughput N=${n}: round ${round + 1}/${rounds}`);
    }
    engines.forEach((e, i) => {
      const b = acc[i].bursts;
      const rss = b.map((x) => x.rss).filter((x): x is RssPeak => x !== null);
      const cpu = b.map((x) => x.cpuMsPerRun).filter((x): x is number => x !== null);
      const gcpu = b.map((x) => x.groupCpuMsPerRun).filter((x): x is number => x !== null);
      out.push({
        name: e.name,
        n,
        bursts: b,
        medianRunsPerSec: b.length ? median(b.map((x) => x.runsPerSec)) : null,
        medianOkRunsPerSec: b.length ? median(b.map((x) => x.okRunsPerSec)) : null,
        medianCpuMsPerRun: cpu.length ? median(cpu) : null,
        medianGroupCpuMsPerRun: gcpu.length ? median(gcpu) : null,
        medianDrainMs: b.length ? median(b.map((x) => x.drainMs)) : null,
        peakRssSumKb: rss.length ? Math.max(...rss.map((x) => x.peakSumKb)) : null,
        peakRssSingleKb: rss.length ? Math.max(...rss.map((x) => x.peakSingleKb)) : null,
        failures: acc[i].failures,
      });
    });
  }
  return out;
}
