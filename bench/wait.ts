/**
 * Exit → `wait` latency. A detached container runs `sleep`; `wait ID` is started and given
 * time to settle; then the bench SIGKILLs the container's process — the known moment of exit —
 * and times, on one clock (a worker polling `/proc`), when conmon exits (it exits only after
 * the engine's exit command, i.e. the cleanup, has finished) and when `wait` returns.
 *
 * @module
 */
import { type ExecResult, execTimed, sleep, spawnTimed } from "./exec.ts";
import { addFailure, type Failures, noFailures } from "./failures.ts";
import type { Progress } from "./latency.ts";
import { basename, childrenOf, findProcess, readCmdline } from "./procfs.ts";
import { summarize, type Summary } from "./stats.ts";
import { collectPhases, type PhaseMark } from "./trace.ts";
import type { WatchReply, WatchRequest } from "./watch_worker.ts";

/** How to drive one engine through the scenario. */
export interface WaitEngine {
  name: string;
  /** `run -d --rootfs R /bin/sleep 600` */
  runDetached: string[];
  waitArgv: (id: string) => string[];
  rmArgv: (id: string) => string[];
  env?: Record<string, string>;
}

/** One iteration, all in ms after the SIGKILL unless noted. */
export interface WaitSample {
  /** Until `wait` returned. */
  exitToWaitMs: number;
  /** Until conmon exited, i.e. the cleanup (exit command) had finished. */
  exitToCleanupMs: number;
  /** `wait` return minus cleanup end: how long after the cleanup `wait` returned. */
  cleanupToWaitMs: number;
  /** From the `cleanup-done` line of `wait --log-level debug` to its exit; berth only. */
  traceCleanupToExitMs: number | null;
  /** The phase lines `wait` printed. */
  waitPhases: Record<string, PhaseMark>;
}

/** What one engine measured. */
export interface WaitResult {
  name: string;
  samples: WaitSample[];
  stats: {
    exitToWait: Summary | null;
    exitToCleanup: Summary | null;
    cleanupToWait: Summary | null;
    traceCleanupToExit: Summary | null;
  };
  failures: Failures;
}

/** Sends one request to the watch worker. */
export type Watcher = (req: WatchRequest) => Promise<WatchReply>;

/** Poll `probe` every 10 ms until it returns non-null or `ms` pass. */
async function pollFor<T>(probe: () => T | null, ms: number): Promise<T | null> {
  const end = performance.now() + ms;
  while (true) {
    const v = probe();
    if (v !== null || performance.now() > end) return v;
    await sleep(10);
  }
}

/** The container ID printed by `run -d`: the last non-empty line of stdout. */
export function parseId(stdout: string): string | null {
  const last = stdout.trim().split("\n").pop()?.trim() ?? "";
  return /^[0-9a-f]{12,64}$/.test(last) ? last : null;
}

/** conmon of container `id`, and the container's process (conmon's child running sleep). */
async function findPids(id: string): Promise<{ conmon: number; ctr: number } | string> {
  const conmon = await pollFor(
    () => findProcess((a) => basename(a[0]) === "conmon" && a.some((x) => x.includes(id))),
    5000,
  );
  if (conmon === null) return "no conmon process found for the container";
  const ctr = await pollFor(() => {
    const kids = childrenOf(conmon).filter((p) => basename(readCmdline(p)?.[0] ?? "") === "sleep");
    return kids[0] ?? null;
  }, 5000);
  if (ctr === null) return `conmon ${conmon} has no sleep child`;
  return { conmon, ctr };
}

/** One iteration for `e`; a sample, or records a failure and returns null. */
async function once(
  e: WaitEngine,
  i: number,
  settleMs: number,
  timeoutMs: number,
  watch: Watcher,
  failures: Failures,
): Promise<WaitSample | null> {
  const run = await execTimed(e.runDetached, { timeoutMs, env: e.env });
  const id = run.code === 0 ? parseId(run.stdout) : null;
  if (id === null) {
    addFailure(failures, `run -d ${i}`, run, run.code === 0 ? `no ID in "${run.stdout}"` : "");
    return null;
  }
  try {
    const pids = await findPids(id);
    if (typeof pids === "string") {
      addFailure(failures, `find ${i}`, null, pids);
      return null;
    }
    const w = spawnTimed(e.waitArgv(id), { timeoutMs, env: e.env });
    let early: ExecResult | null = null;
    w.done.then((r) => early = r);
    await sleep(settleMs);
    if (early) {
      addFailure(failures, `wait ${i}`, early, "wait returned before the container exited");
      return null;
    }
    const reply = await watch({
      killPid: pids.ctr,
      signal: "SIGKILL",
      watch: { conmon: pids.conmon, wait: w.pid },
      timeoutMs,
    });
    const r = await w.done;
    const out = r.stdout.trim();
    if (r.code !== 0 || out !== "137") {
      addFailure(failures, `wait ${i}`, r, `expected "137", got "${out}"`);
      return null;
    }
    const { conmon, wait } = reply.exitMs;
    if (conmon == null || wait == null) {
      addFailure(failures, `watch ${i}`, null, `not seen exiting: ${JSON.stringify(reply)}`);
      return null;
    }
    const marks = collectPhases(r.lines);
    const cd = marks["cleanup-done"];
    return {
      exitToWaitMs: wait,
      exitToCleanupMs: conmon,
      cleanupToWaitMs: wait - conmon,
      traceCleanupToExitMs: cd ? r.ms - cd.at : null,
      waitPhases: marks,
    };
  } finally {
    const rm = await execTimed(e.rmArgv(id), { timeoutMs, env: e.env });
    if (rm.code !== 0) addFailure(failures, `rm ${i}`, rm, "rm -f failed");
  }
}

/** Run the scenario `runs` times per engine, engines interleaved. */
export async function runWaitScenario(
  engines: readonly WaitEngine[],
  runs: number,
  settleMs: number,
  timeoutMs: number,
  watch: Watcher,
  progress: Progress,
): Promise<WaitResult[]> {
  const res = engines.map((e) => ({ name: e.name, samples: [] as WaitSample[], f: noFailures() }));
  for (let i = 0; i < runs; i++) {
    for (const [k, e] of engines.entries()) {
      const s = await once(e, i, settleMs, timeoutMs, watch, res[k].f);
      if (s) res[k].samples.push(s);
    }
    progress(`  wait: ${i + 1}/${runs}`);
  }
  return res.map(({ name, samples, f }) => ({
    name,
    samples,
    stats: {
      exitToWait: summarize(samples.map((s) => s.exitToWaitMs)),
      exitToCleanup: summarize(samples.map((s) => s.exitToCleanupMs)),
      cleanupToWait: summarize(samples.map((s) => s.cleanupToWaitMs)),
      traceCleanupToExit: summarize(
        samples.map((s) => s.traceCleanupToExitMs).filter((x): x is number => x !== null),
      ),
    },
    failures: f,
  }));
}
