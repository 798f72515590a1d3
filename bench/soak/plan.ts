/**
 * What one soak iteration does, decided from its seed alone (pure): the workload, how many
 * containers run it at once, each container's exit code and timing, and which fault strikes
 * when.
 *
 * @module
 */
import { iterationSeed, rng } from "./prng.ts";

/** The workloads of issue #15. */
export const WORKLOADS = [
  "run-rm",
  "run-d-rm-wait",
  "run-d-stop",
  "run-d-kill",
  "run-d-rmf",
  "exec",
  "stdin",
  "big-output",
] as const;

/** One of {@linkcode WORKLOADS}. */
export type Workload = typeof WORKLOADS[number];

/** The faults of issue #15 (`none` included). */
export const FAULTS = [
  "none",
  "kill-foreground",
  "kill-cleanup",
  "kill-conmon",
  "kill-waiter",
  "concurrent-rm",
  "concurrent-stop",
  "concurrent-kill",
  "reboot",
  "root-unwritable",
] as const;

/** One of {@linkcode FAULTS}. */
export type Fault = typeof FAULTS[number];

/** The engines the soak drives. */
export type EngineName = "berth" | "podman";

/** Signals a container is killed with; all but KILL reach a `trap` that exits 128+N. */
export const SIGNALS: Record<string, number> = {
  KILL: 9,
  TERM: 15,
  INT: 2,
  HUP: 1,
  USR1: 10,
  USR2: 12,
};

/** One container of an iteration. */
export interface UnitPlan {
  /** The code its command exits with (0–255). */
  code: number;
  /** How long it runs before exiting, ms. */
  sleepMs: number;
  /** For run-d-kill: the signal sent; for run-d-stop: KILL (no trap) or TERM (trapped). */
  signal: string;
  /** A word it prints (output checks). */
  token: string;
  /** Bytes of stdin for the stdin workload. */
  stdinBytes: number;
}

/** One iteration. */
export interface Plan {
  iteration: number;
  /** The iteration's own seed (from the run's seed and the iteration number). */
  seed: number;
  workload: Workload;
  fault: Fault;
  concurrency: number;
  /** When the fault strikes, ms after the containers were launched. */
  faultAtMs: number;
  /** Which unit a per-container fault targets. */
  target: number;
  /** How long the root stays unwritable, ms. */
  freezeMs: number;
  /** Delay between a cleanup process appearing and its SIGKILL, ms. */
  cleanupDelayMs: number;
  /** The containers join the soak's bridge network (else the engine's default). */
  bridge: boolean;
  units: UnitPlan[];
}

/** Options that shape plans. */
export interface PlanOptions {
  engine: EngineName;
  concurrencyMax: number;
  /** The soak has a bridge network for some iterations to join. */
  bridge?: boolean;
}

/** The share of iterations on the bridge network, when there is one. */
const BRIDGE_SHARE = 0.2;

/** True if `fault` makes sense for `workload` on `engine`. */
export function faultApplies(engine: EngineName, fault: Fault, workload: Workload): boolean {
  switch (fault) {
    case "kill-foreground":
      return ["run-rm", "stdin", "big-output", "exec"].includes(workload);
    case "kill-waiter":
      return ["run-d-rm-wait", "run-d-stop", "run-d-kill", "run-d-rmf", "big-output"].includes(
        workload,
      );
    // Both fake berth's own state (its database's boot id, its root's immutability).
    case "reboot":
    case "root-unwritable":
      return engine === "berth";
    default:
      return true;
  }
}

/** Concurrency 1–max, mostly small: the machine is shared, the big bursts are rarer. */
function concurrency(r: ReturnType<typeof rng>, max: number): number {
  const x = r.next();
  if (x < 0.6 || max === 1) return 1;
  if (x < 0.9) return r.int(2, Math.min(5, max));
  return r.int(1, max);
}

/** The plan of iteration `i` of a run seeded with `seed`. */
export function planIteration(seed: number, i: number, o: PlanOptions): Plan {
  const s = iterationSeed(seed, i);
  const r = rng(s);
  const workload = r.pick(WORKLOADS);
  const applicable = FAULTS.filter((f) => f !== "none" && faultApplies(o.engine, f, workload));
  const fault: Fault = r.chance(0.25) ? "none" : r.pick(applicable);
  const c = concurrency(r, o.concurrencyMax);
  const units: UnitPlan[] = [];
  for (let u = 0; u < c; u++) {
    const signal = workload === "run-d-stop"
      ? r.pick(["KILL", "TERM"])
      : r.pick(Object.keys(SIGNALS));
    units.push({
      code: r.chance(0.15) ? 0 : r.int(0, 255),
      sleepMs: r.int(400, 1000),
      signal,
      token: `t${r.int(0, 1e9).toString(36)}`,
      stdinBytes: r.int(1, 256 * 1024),
    });
  }
  const faultAtMs = r.int(0, 2000);
  const target = r.int(0, c - 1);
  const freezeMs = r.int(200, 1500);
  const cleanupDelayMs = r.pick([0, 0, 50, 150, 300, 600]);
  // Drawn last, so the rest of the plan is the same with and without a bridge network. A
  // simulated reboot kills processes but keeps the kernel's namespaces and interfaces, which
  // a real one would not: no bridge for it.
  const bridge = o.bridge === true && fault !== "reboot" && r.chance(BRIDGE_SHARE);
  return {
    iteration: i,
    seed: s,
    workload,
    fault,
    concurrency: c,
    faultAtMs,
    target,
    freezeMs,
    cleanupDelayMs,
    bridge,
    units,
  };
}
