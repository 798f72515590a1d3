/**
 * `deno task soak`: the chaos soak of issue #15. Runs seeded iterations (workload × fault)
 * against berth or podman, counts every broken invariant, prints a summary table and writes
 * `bench/results/soak.json` (one entry per engine; the other engine's entry is kept).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { busyboxRootfs } from "../../tests/helpers.ts";
import { addBridge, berthEngine, podmanEngine, removeBridge, SOAK_SUBNET } from "./engine.ts";
import { Iteration, type IterationResult } from "./iteration.ts";
import { type EngineName, planIteration } from "./plan.ts";
import { renderSummary, type SoakSummary, summarize } from "./report.ts";

/** Usage text. */
export const USAGE = `Usage: deno task soak [options]

  --runs N             iterations (default 100; with --minutes, whichever ends first)
  --minutes M          stop starting iterations after M minutes
  --seed S             the run's seed (default: the time); iteration i is reproducible from (S, i)
  --from I             first iteration number (re-run one: --from I --runs 1)
  --engine E           berth (default) or podman (4.3, --runtime runc)
  --concurrency-max C  largest concurrency of an iteration (default 50)
  --timeout-ms MS      per-call timeout, then SIGKILL and a 'hang' (default 60000)
  --out PATH           JSON path (default bench/results/soak.json)
  --no-bridge          no bridge network (berth: by default a share of the iterations run
                       on one, made at the start and removed at the end)
  --subnet CIDR        the bridge network's subnet (default ${SOAK_SUBNET}; another for a
                       second soak at the same time)
  --break-invariant    self-test: expect wrong codes, so violations must be counted
  --quiet              no line per iteration
  --report PATH        run nothing: print the tables of a soak JSON, its engines side by side`;

/** Parsed options. */
export interface SoakConfig {
  runs: number;
  minutes: number;
  seed: number;
  from: number;
  engine: EngineName;
  concurrencyMax: number;
  timeoutMs: number;
  out: string;
  breakCode: boolean;
  bridge: boolean;
  subnet: string;
  quiet: boolean;
  /** Render this JSON file's tables instead of running. */
  report?: string;
  help: boolean;
}

/** Parse the command line. */
export function parseSoakArgs(args: string[]): SoakConfig {
  const { values } = parseArgs({
    args,
    options: {
      runs: { type: "string" },
      minutes: { type: "string" },
      seed: { type: "string" },
      from: { type: "string" },
      engine: { type: "string" },
      "concurrency-max": { type: "string" },
      "timeout-ms": { type: "string" },
      out: { type: "string" },
      "break-invariant": { type: "boolean" },
      "no-bridge": { type: "boolean" },
      subnet: { type: "string" },
      quiet: { type: "boolean" },
      report: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const num = (v: string | undefined, d: number, what: string) => {
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${what}: not a number: ${v}`);
    return n;
  };
  const engine = values.engine ?? "berth";
  if (engine !== "berth" && engine !== "podman") throw new Error(`--engine: ${engine}`);
  const here = dirname(fileURLToPath(import.meta.url));
  return {
    runs: num(values.runs, values.minutes ? Infinity : 100, "runs"),
    minutes: num(values.minutes, Infinity, "minutes"),
    seed: num(values.seed, Date.now() % 1e9, "seed") >>> 0,
    from: num(values.from, 0, "from"),
    engine,
    concurrencyMax: Math.max(
      1,
      Math.min(50, num(values["concurrency-max"], 50, "concurrency-max")),
    ),
    timeoutMs: num(values["timeout-ms"], 60_000, "timeout-ms"),
    out: values.out ?? join(here, "..", "results", "soak.json"),
    breakCode: values["break-invariant"] ?? false,
    bridge: !(values["no-bridge"] ?? false),
    subnet: values.subnet ?? SOAK_SUBNET,
    quiet: values.quiet ?? false,
    report: values.report,
    help: values.help ?? false,
  };
}

/** Merge `s` into the JSON file at `path` under its engine's name. */
function writeJson(path: string, s: SoakSummary): void {
  let all: Record<string, SoakSummary> = {};
  try {
    all = JSON.parse(Deno.readTextFileSync(path));
  } catch { /* new */ }
  all[s.engine] = s;
  Deno.mkdirSync(dirname(path), { recursive: true });
  Deno.writeTextFileSync(path, JSON.stringify(all, null, 2) + "\n");
}

/** Run the soak; returns the process status (0 even with violations: they are the result). */
export async function main(args: string[]): Promise<number> {
  let cfg: SoakConfig;
  try {
    cfg = parseSoakArgs(args);
  } catch (e) {
    console.error(`Error: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (cfg.help) {
    console.log(USAGE);
    return 0;
  }
  if (cfg.report) {
    const all: Record<string, SoakSummary> = JSON.parse(Deno.readTextFileSync(cfg.report));
    const order = ["berth", "podman"].filter((e) => all[e]);
    console.log(renderSummary(order.map((e) => all[e])));
    return 0;
  }
  const rootfs = await busyboxRootfs();
  const eng = cfg.engine === "berth" ? berthEngine() : podmanEngine();
  // podman's runs keep --network none (its default bridge would need its own leftover checks).
  if (cfg.bridge && cfg.engine === "berth") await addBridge(eng, cfg.subnet);
  const startedAt = new Date().toISOString();
  const t0 = Date.now();
  const results: IterationResult[] = [];
  const summary = () =>
    summarize(results, {
      engine: cfg.engine,
      seed: cfg.seed,
      wallSeconds: (Date.now() - t0) / 1000,
      concurrencyMax: cfg.concurrencyMax,
      startedAt,
    });
  let stop = false;
  const onSignal = () => stop = true;
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    for (let i = cfg.from; i < cfg.from + cfg.runs && !stop; i++) {
      if (Date.now() - t0 > cfg.minutes * 60_000) break;
      const plan = planIteration(cfg.seed, i, {
        engine: cfg.engine,
        concurrencyMax: cfg.concurrencyMax,
        bridge: eng.bridge !== undefined,
      });
      const r = await new Iteration(eng, rootfs, plan, cfg).run();
      results.push(r);
      if (!cfg.quiet) {
        const v = r.violations.map((x) => x.kind).join(",") || "-";
        console.error(
          `#${i} ${plan.workload}${
            plan.bridge ? "+bridge" : ""
          } x${plan.concurrency} ${plan.fault}${
            r.faultHit || plan.fault === "none" ? "" : "(missed)"
          }` +
            ` ${r.ms} ms violations: ${v}`,
        );
        for (const x of r.violations) console.error(`    ${x.kind}: ${x.detail.slice(0, 600)}`);
      }
      // Keep the JSON current, so a run cut short still leaves its figures.
      if (results.length % 25 === 0) writeJson(cfg.out, summary());
    }
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
    await removeBridge(eng).catch(() => {});
    await eng.sb.cleanup().catch(() => {});
  }
  const s = summary();
  writeJson(cfg.out, s);
  console.log(renderSummary([s]));
  console.log(`\nJSON: ${cfg.out}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
