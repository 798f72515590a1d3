/**
 * Command-line options of the bench.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** The scenarios that can be skipped. */
export const SCENARIOS = ["latency", "wait", "throughput", "store", "api"] as const;

/** One of {@linkcode SCENARIOS}. */
export type Scenario = typeof SCENARIOS[number];

/** Everything the bench run is configured by. */
export interface BenchConfig {
  /** Recorded runs per variant in the latency scenario. */
  runs: number;
  /** Unrecorded warm-up rounds before them. */
  warmup: number;
  /** Iterations of the exit → wait scenario per engine. */
  waitRuns: number;
  /** How long `wait` is given to start watching before the container is killed, ms. */
  settleMs: number;
  /** Concurrency levels of the throughput scenario. */
  ns: number[];
  /** Bursts per engine and N. */
  rounds: number;
  /** Per-command timeout, ms. */
  timeoutMs: number;
  /** Compare with podman if it is installed. */
  podman: boolean;
  /** Also time reference rows: podman `--network none`, `berth --help`, an empty `deno run`. */
  extras: boolean;
  skip: Scenario[];
  /** berth's main.ts; default: the repository's. */
  berthMain: string | null;
  /** `--runtime` for berth. */
  runtime: string;
  /** JSON output path; default bench/results/latest.json (quick.json with --quick). */
  out: string | null;
  /** Keep the temp dir (for debugging). */
  keep: boolean;
  quick: boolean;
  help: boolean;
}

/** Usage text. */
export const USAGE = `Usage: deno task bench [options]

  --runs N          latency runs per variant (default 20, quick 3)
  --warmup N        unrecorded warm-up rounds (default 2, quick 1)
  --wait-runs N     exit → wait iterations per engine (default 10, quick 2)
  --settle-ms MS    time given to 'wait' before the container exits (default 500)
  --n LIST          throughput concurrency levels (default 1,10,50, quick 1,5)
  --rounds N        throughput bursts per engine and N (default 3, quick 1)
  --timeout-ms MS   per-command timeout, then SIGKILL (default 60000, quick 20000)
  --skip LIST       skip scenarios: ${SCENARIOS.join(",")}
  --no-podman       do not compare with podman
  --no-extras       skip reference rows (podman --network none, berth --help, empty deno)
  --berth PATH      berth's main.ts (default: this repository's)
  --runtime NAME    berth --runtime (default runc)
  --out PATH        JSON output (default bench/results/latest.json; quick.json with --quick)
  --keep            keep the temp dir
  --quick           a fast smoke pass (small counts)
  -h, --help        this text
`;

function positiveInt(name: string, v: string | undefined, dflt: number, min = 1): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} wants an integer ≥ ${min}: ${v}`);
  return n;
}

/** Parse `argv` (without the program name); throws with a message on bad input. */
export function parseBenchArgs(argv: string[]): BenchConfig {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      runs: { type: "string" },
      warmup: { type: "string" },
      "wait-runs": { type: "string" },
      "settle-ms": { type: "string" },
      n: { type: "string" },
      rounds: { type: "string" },
      "timeout-ms": { type: "string" },
      skip: { type: "string" },
      "no-podman": { type: "boolean" },
      "no-extras": { type: "boolean" },
      berth: { type: "string" },
      runtime: { type: "string" },
      out: { type: "string" },
      keep: { type: "boolean" },
      quick: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (positionals.length > 0) throw new Error(`unexpected argument: ${positionals[0]}`);
  const quick = values.quick ?? false;
  const ns = (values.n ?? (quick ? "1,5" : "1,10,50")).split(",").map((s) =>
    positiveInt("n", s.trim(), 1)
  );
  const skip = (values.skip ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  for (const s of skip) {
    if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`--skip: unknown ${s}`);
  }
  return {
    runs: positiveInt("runs", values.runs, quick ? 3 : 20),
    warmup: positiveInt("warmup", values.warmup, quick ? 1 : 2, 0),
    waitRuns: positiveInt("wait-runs", values["wait-runs"], quick ? 2 : 10),
    settleMs: positiveInt("settle-ms", values["settle-ms"], 500, 0),
    ns,
    rounds: positiveInt("rounds", values.rounds, quick ? 1 : 3),
    timeoutMs: positiveInt("timeout-ms", values["timeout-ms"], quick ? 20_000 : 60_000),
    podman: !values["no-podman"],
    extras: !(values["no-extras"] ?? quick),
    skip: skip as Scenario[],
    berthMain: values.berth ?? null,
    runtime: values.runtime ?? "runc",
    out: values.out ?? null,
    keep: values.keep ?? false,
    quick,
    help: values.help ?? false,
  };
}
