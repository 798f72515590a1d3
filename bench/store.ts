/**
 * The store's scaling (issue #13): `berth ps -a` and `berth inspect ID-PREFIX` with one
 * container in the database, then with N (the first one created by berth, the others copies
 * of its row under new IDs and names, written straight into SQLite: creating 1,000 containers
 * through berth would take minutes and measure `create`, not the lookups).
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { berthArgv, type EngineSetup } from "./engines.ts";
import { execTimed } from "./exec.ts";
import { addFailure, type Failures, noFailures } from "./failures.ts";
import { ratio, summarize, type Summary } from "./stats.ts";

/** One command timed at both sizes. */
export interface StoreRow {
  command: string;
  one: Summary | null;
  many: Summary | null;
  /** median(many) ÷ median(one); the target is ≤ 2. */
  ratio: number | null;
}

/** What the scenario measured. */
export interface StoreResult {
  n: number;
  rows: StoreRow[];
  failures: Failures;
}

/** A random container ID (64 hex digits). */
function randomId(): string {
  const b = crypto.getRandomValues(new Uint8Array(32));
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

/** Copy the only container row of `dbPath` under `count` new IDs and names, in one transaction. */
export function cloneContainers(dbPath: string, count: number): void {
  const db = new DatabaseSync(dbPath, { timeout: 30_000 });
  try {
    const row = db.prepare("SELECT * FROM containers LIMIT 1").get() as Record<string, unknown>;
    const cols = Object.keys(row);
    const insert = db.prepare(
      `INSERT INTO containers (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
    );
    db.exec("BEGIN IMMEDIATE");
    for (let i = 1; i <= count; i++) {
      const copy: Record<string, unknown> = { ...row, id: randomId(), name: `store-${i}` };
      copy.created_at = Number(row.created_at) + i;
      insert.run(...cols.map((c) => copy[c] as string | number | null));
    }
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}

/**
 * Time `ps -a` and `inspect` (by a 12-digit prefix) `runs` times each, interleaved, with one
 * container and then with `n`. A store of its own (`<berthRoot>-store`).
 */
export async function runStoreScenario(
  setup: EngineSetup,
  env: Record<string, string>,
  n: number,
  runs: number,
  timeoutMs: number,
  progress: (msg: string) => void,
): Promise<StoreResult> {
  const s = {
    ...setup,
    berthRoot: `${setup.berthRoot}-store`,
    berthRunroot: `${setup.berthRunroot}-store`,
  };
  const failures = noFailures();
  const created = await execTimed(
    berthArgv(s, ["create", "--network", "none", "--rootfs", s.rootfs, "/bin/true"]),
    { env, timeoutMs },
  );
  if (created.code !== 0) {
    addFailure(failures, "create", created);
    return { n, rows: [], failures };
  }
  const id = created.stdout.trim();
  const commands = [
    { command: "ps -a", args: ["ps", "-a"] },
    { command: "inspect ID-PREFIX", args: ["inspect", id.slice(0, 12)] },
  ];
  const time = async (): Promise<number[][]> => {
    const samples = commands.map(() => [] as number[]);
    for (let r = -1; r < runs; r++) { // one warm-up round
      for (const [i, c] of commands.entries()) {
        const res = await execTimed(berthArgv(s, c.args), { env, timeoutMs });
        if (res.code !== 0) addFailure(failures, c.command, res);
        else if (r >= 0) samples[i].push(res.ms);
      }
    }
    return samples;
  };
  progress(`bench: store, ${runs} runs × ${commands.length} commands with 1 container`);
  const one = await time();
  cloneContainers(`${s.berthRoot}/berth.db`, n - 1);
  progress(`bench: store, the same with ${n} containers`);
  const many = await time();
  return {
    n,
    failures,
    rows: commands.map((c, i) => {
      const a = summarize(one[i]), b = summarize(many[i]);
      return { command: c.command, one: a, many: b, ratio: ratio(b?.median, a?.median) };
    }),
  };
}
