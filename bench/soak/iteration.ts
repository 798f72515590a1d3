/**
 * One soak iteration against a real engine: its units (containers) run the plan's workload
 * while the plan's fault strikes, every call is recorded with how it is to be judged, and
 * afterwards what is left behind is counted. Nothing here throws on a broken invariant: it
 * is counted.
 *
 * @module
 */
import { join } from "node:path";
import { withDb } from "../../tests/helpers.ts";
import {
  alive,
  chattr,
  cleanupKiller,
  cmdline,
  conmonPids,
  fakeBootId,
  frozenPaths,
  killPid,
  leftoverCgroups,
  pidsMatching,
  readCid,
  runtimeIds,
  sandboxMounts,
  sleep,
} from "../../tests/stress/_util.ts";
import { type CallRecord, checkCall, type Expect, type Violation } from "./check.ts";
import type { SoakEngine } from "./engine.ts";
import { type Plan, SIGNALS, type UnitPlan } from "./plan.ts";
import { bytes, rng } from "./prng.ts";

/** Options of the run that shape every iteration. */
export interface IterationOptions {
  /** Per-call timeout (then SIGKILL and a `hang`), ms. */
  timeoutMs: number;
  /** Self-test: expect the wrong code everywhere, so `wrong-code` must be counted. */
  breakCode: boolean;
}

/** What one iteration found. */
export interface IterationResult {
  plan: Plan;
  /** The fault really struck (its target was there to strike). */
  faultHit: boolean;
  violations: Violation[];
  calls: number;
  /** Return − exit of each timed call, ms. */
  latencies: number[];
  ms: number;
}

/** A call to judge, with what judging needs once the fault's outcome is known. */
interface Judged {
  rec: CallRecord;
  unit: number;
  /** Builds the expectation (after the iteration: it depends on whether the fault hit). */
  expect: () => Expect;
}

/** The live state of one unit. */
interface UnitState {
  plan: UnitPlan;
  id?: string;
  idWaiters: ((id: string) => void)[];
  fg?: Deno.ChildProcess;
  waiter?: Deno.ChildProcess;
  killed: Set<Deno.ChildProcess>;
  exitAt?: number;
  /** The fault struck this unit. */
  hit: boolean;
  /** Its `run` failed with an `Error:` line: the container never ran. */
  neverRan?: boolean;
  /** Its foreground `run` was killed before the container's process started. */
  killedBeforeStart?: boolean;
  /** The status its foreground `run` exited with. */
  fgCode?: number;
  /** Its process was seen started (past `runc init`), or the watch gave up. */
  started?: boolean;
  /** Its process was seen started (past `runc init`): the container really ran. */
  ran?: boolean;
}

const enc = new TextEncoder();

/** Judge as "the container's own code", with the defaults. */
function own(codes: number[], more: Partial<Expect> = {}): Expect {
  return { codes, printed: false, monitorLostOk: false, errorOk: [], timed: false, ...more };
}

/** The 1 MiB the big-output workload prints: `yes TOKEN | head -c 1048576`. */
export function bigOutput(token: string): Uint8Array {
  const line = enc.encode(`${token}\n`);
  const out = new Uint8Array(1 << 20);
  for (let i = 0; i < out.length; i++) out[i] = line[i % line.length];
  return out;
}

/** The stdin payload of a unit (from the iteration's seed, so it is reproducible). */
function stdinPayload(plan: Plan, u: number): Uint8Array {
  return bytes(rng(plan.seed + u + 1), plan.units[u].stdinBytes);
}

/** The ID in a `--cidfile`, if it was written. */
function readCidNow(path: string): string | undefined {
  try {
    const id = Deno.readTextFileSync(path).trim();
    return /^[0-9a-f]{64}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** A script that loops until signal `sig` arrives, then exits 128+N (PID 1 has no default). */
function trapLoop(sig: string, code: number): string {
  return `trap 'exit ${code}' ${sig}; while :; do sleep 0.1; done`;
}

/** One iteration. */
export class Iteration {
  readonly calls: Judged[] = [];
  readonly units: UnitState[];
  readonly violations: Violation[] = [];
  faultHit = false;
  t0 = 0;
  #done = false;
  #faultOver!: Promise<void>;

  constructor(
    readonly eng: SoakEngine,
    readonly rootfs: string,
    readonly plan: Plan,
    readonly o: IterationOptions,
  ) {
    this.units = plan.units.map((p) => ({ plan: p, idWaiters: [], killed: new Set(), hit: false }));
  }

  /** Run the iteration and count what it found. */
  async run(): Promise<IterationResult> {
    const start = Date.now();
    this.t0 = start;
    const cid = (u: number) => join(this.eng.sb.dir, `cid-${this.plan.iteration}-${u}`);
    const units = this.units.map((_, u) => this.#unit(u, cid(u)).catch((e) => this.#harness(e)));
    const fault = this.#fault().catch((e) => this.#harness(e));
    this.#faultOver = fault;
    await Promise.all(units);
    this.#done = true;
    await fault;
    const hit = (u: number) => this.units[u].hit;
    const latencies: number[] = [];
    for (const j of this.calls) {
      const e = j.expect();
      if (this.o.breakCode) e.codes = e.codes.map((c) => c + 1);
      const exitAt = this.units[j.unit]?.exitAt;
      this.violations.push(...checkCall(j.rec, e, exitAt));
      if (
        e.timed && exitAt !== undefined && j.rec.start <= exitAt && !j.rec.killed && !hit(j.unit)
      ) {
        latencies.push(j.rec.end - exitAt);
      }
    }
    await this.#leftovers();
    if (this.eng.sqlite) await this.#integrity();
    return {
      plan: this.plan,
      faultHit: this.faultHit,
      violations: this.violations,
      calls: this.calls.length,
      latencies,
      ms: Date.now() - start,
    };
  }

  #harness(e: unknown): void {
    this.violations.push({ kind: "harness", detail: String((e as Error)?.stack ?? e) });
  }

  /** Spawn one engine call, record it, and return the record. */
  async #call(
    u: number,
    what: string,
    args: string[],
    expect: () => Expect,
    opts: { input?: Uint8Array; role?: "fg" | "waiter" } = {},
  ): Promise<CallRecord> {
    const st = this.units[u];
    const start = Date.now();
    const child = this.eng.sb.spawn(args, { input: opts.input });
    if (opts.role === "fg") st.fg = child;
    if (opts.role === "waiter") st.waiter = child;
    if (opts.input) {
      const w = child.stdin.getWriter();
      w.write(opts.input).then(() => w.close()).catch(() => {});
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    }, this.o.timeoutMs);
    const out = await child.output();
    clearTimeout(timer);
    const rec: CallRecord = {
      what: `${what} [unit ${u}]`,
      code: out.code,
      stdout: out.stdout,
      stderr: new TextDecoder().decode(out.stderr),
      start,
      end: Date.now(),
      timedOut,
      killed: st.killed.has(child),
    };
    if (opts.role === "fg") st.fgCode = rec.code;
    if (/^run/.test(what) && rec.code >= 125 && /^Error: /m.test(rec.stderr)) st.neverRan = true;
    this.calls.push({ rec, unit: u, expect });
    return rec;
  }

  #setId(u: number, id: string): void {
    const st = this.units[u];
    if (!/^[0-9a-f]{64}$/.test(id) || st.id) return;
    st.id = id;
    for (const f of st.idWaiters) f(id);
    this.#watchExit(u, id);
  }

  /** Resolve with unit `u`'s ID once known (undefined if the iteration ends first). */
  #idOf(u: number): Promise<string | undefined> {
    const st = this.units[u];
    if (st.id) return Promise.resolve(st.id);
    return new Promise((resolve) => {
      st.idWaiters.push(resolve);
      const poll = setInterval(() => {
        if (this.#done) {
          clearInterval(poll);
          resolve(undefined);
        } else if (st.id) clearInterval(poll);
      }, 50);
    });
  }

  /** The container's init PID, from the runtime's state (undefined if not there). */
  #initPid(id: string): number | undefined {
    try {
      const s = JSON.parse(Deno.readTextFileSync(join(this.eng.stateRoot, id, "state.json")));
      const pid = Number(s.init_process_pid);
      if (!(pid > 0)) return undefined;
      // Only ever a process of this container (its cgroup names the ID).
      return Deno.readTextFileSync(`/proc/${pid}/cgroup`).includes(id) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /** Note when unit `u`'s container process is gone (the moment waiters are timed from). */
  async #watchExit(u: number, id: string): Promise<void> {
    let pid: number | undefined;
    const deadline = Date.now() + this.o.timeoutMs;
    while (!pid && !this.#done && Date.now() < deadline) {
      pid = this.#initPid(id);
      if (!pid) await sleep(10);
    }
    if (!pid) return void (this.units[u].started = true);
    // Until `runtime start`, the init process is still `runc init`.
    while (alive(pid) && /(^|\/)runc$/.test(cmdline(pid)[0] ?? "") && Date.now() < deadline) {
      await sleep(10);
    }
    this.units[u].started = true;
    if (alive(pid)) this.units[u].ran = true;
    while (alive(pid) && Date.now() < deadline) await sleep(10);
    if (!alive(pid)) this.units[u].exitAt = Date.now();
  }

  /** The expectation for the unit's main result: its own codes, relaxed by a fault that hit. */
  #main(u: number, codes: number[], e: Partial<Expect> = {}): () => Expect {
    return () => {
      const st = this.units[u];
      const base = own(codes, e);
      const f = this.plan.fault;
      const all = f === "reboot" || f === "root-unwritable";
      if (!st.hit && !all) return base;
      switch (f) {
        case "kill-foreground":
          // Killed between create and start: the container never ran (0 for wait, as podman);
          // berth undoes such a start, and an --rm container is then gone without a code
          // (`wait`: "no such exit code", 125).
          return st.killedBeforeStart
            ? { ...base, codes: [...codes, 0], errorOk: [125], stdout: undefined }
            : base;
        case "reboot":
          return { ...base, loose: true };
        case "root-unwritable": {
          // A start the database refused (an Error line, 125) never ran the container, and a
          // wait on it gives 0, as podman's wait on a never-started container does.
          const never = st.neverRan && !st.ran ? [0] : [];
          return { ...base, codes: [...codes, ...never], errorOk: [125], timed: false };
        }
        case "kill-conmon": {
          // Killed before `runtime start`: the run fails (126, "the OCI runtime failed"), the
          // container goes back to `created`, and a wait on it gives 0, as podman's does.
          const never = st.neverRan ? [0] : [];
          return {
            ...base,
            codes: [...codes, ...never],
            monitorLostOk: true,
            errorOk: [125, 126],
            stdout: undefined,
          };
        }
        case "concurrent-rm":
        case "concurrent-stop":
        case "concurrent-kill": {
          const killedToo = [...codes, 137];
          // An exec that comes after the container was stopped fails with an Error line: 126
          // from berth ("cannot exec in a stopped container"), 255 from podman 4.3.
          const rm = f === "concurrent-rm" ? [1, 125, 126, 127, 255] : [125, 126, 255];
          // The output is complete only if the container exited by itself.
          return { ...base, codes: killedToo, errorOk: rm, outputIf: codes, timed: false };
        }
        default:
          return base;
      }
    };
  }

  /** A housekeeping call (stop, kill, rm): status 0, or a fault's error on a hit unit. */
  #chore(u: number): () => Expect {
    return () => {
      const st = this.units[u];
      const f = this.plan.fault;
      if (f === "reboot") return { ...own([0]), loose: true };
      const fine = st.hit || f === "root-unwritable";
      return own([0], { errorOk: fine ? [1, 125] : [] });
    };
  }

  /**
   * A housekeeping call; one that failed under the fault is tried again once the fault is over
   * (a root made unwritable refuses `rm`, and the container would otherwise run on).
   */
  async #housekeep(u: number, what: string, args: string[]): Promise<void> {
    const r = await this.#call(u, what, args, this.#chore(u));
    if (r.code === 0 || r.timedOut) return;
    await this.#faultOver;
    await this.#call(u, `${what} (again, after the fault)`, args, this.#chore(u));
  }

  /** `wait` after a killed waiter or foreground: the code is still there. */
  async #rewait(u: number, id: string, code: number[], rm: boolean): Promise<void> {
    const podmanRm = this.eng.name === "podman" && rm;
    await this.#call(u, "wait (again)", ["wait", id], () => ({
      ...this.#main(u, code, { printed: true })(),
      // podman forgets a removed container's code.
      ...(podmanRm ? { errorOk: [125] } : {}),
    }));
  }

  /** After `wait` on a --rm container: it must be gone already. */
  async #gone(u: number, id: string): Promise<void> {
    if (this.plan.fault === "reboot" || this.plan.fault === "root-unwritable") return;
    let present: boolean;
    if (this.eng.sqlite) {
      present = await withDb(
        this.eng.sb,
        (db) => db.prepare("SELECT 1 AS x FROM containers WHERE id = ?").get(id) !== undefined,
      );
    } else {
      present = (await this.eng.sb.berth(["container", "exists", id])).code === 0;
    }
    if (present) {
      this.violations.push({
        kind: "not-removed",
        detail: `unit ${u}: --rm container ${id} still there after wait returned`,
      });
    }
  }

  /** Unit `u`: the workload for one container. */
  async #unit(u: number, cidfile: string): Promise<void> {
    const p = this.plan.units[u];
    const W = this.plan.workload;
    const rootfs = ["--rootfs", `${this.rootfs}:O`];
    const bridge = this.plan.bridge && this.eng.bridge;
    const run = ["run", ...this.eng.runFlags, ...(bridge ? ["--network", bridge.name] : [])];
    const K = p.code;
    const sleepS = (p.sleepMs / 1000).toFixed(2);
    const podman = this.eng.name === "podman";
    const detached = async (flags: string[], cmd: string[]): Promise<string | undefined> => {
      const r = await this.#call(
        u,
        "run -d",
        [...run, "-d", "--cidfile", cidfile, ...flags, ...rootfs, ...cmd],
        this.#chore(u),
      );
      const id = new TextDecoder().decode(r.stdout).trim();
      this.#setId(u, id);
      if (!this.units[u].id && !flags.includes("--rm")) {
        // A failed start keeps the container (as podman does): it is the workload's to remove.
        // One with --rm must be gone, which the leftover count checks.
        const created = readCidNow(cidfile);
        if (created) {
          await this.#housekeep(u, "rm (run -d failed)", ["rm", "-f", "-t", "0", created]);
        }
      }
      return this.units[u].id;
    };
    const foreground = (
      flags: string[],
      cmd: string[],
      expect: () => Expect,
      input?: Uint8Array,
    ) => {
      const c = this.#call(
        u,
        `run ${flags.join(" ")}`,
        [
          ...run,
          "--cidfile",
          cidfile,
          ...flags,
          ...rootfs,
          ...cmd,
        ],
        expect,
        { role: "fg", input },
      );
      readCid(cidfile, this.o.timeoutMs).then((id) => this.#setId(u, id)).catch(() => {});
      return c;
    };
    const waiter = (id: string, code: number[], rm: boolean) =>
      this.#call(u, "wait", ["wait", id], () => {
        const e = this.#main(u, code, { printed: true, timed: true })();
        // podman forgets the code of a container removed under its waiter.
        return podman && (rm || W === "run-d-rmf") ? { ...e, errorOk: [...e.errorOk, 125] } : e;
      }, { role: "waiter" }).then(async (r) => {
        if (r.killed) await this.#rewait(u, id, code, rm);
        return r;
      });

    switch (W) {
      case "run-rm": {
        const token = enc.encode(p.token);
        const r = await foreground(
          ["--rm"],
          ["sh", "-c", `sleep ${sleepS}; printf %s ${p.token}; exit ${K}`],
          this.#main(u, [K], { stdout: token, timed: true }),
        );
        const id = this.units[u].id;
        if (r.killed && id) await this.#rewait(u, id, [K], true);
        return;
      }
      case "stdin": {
        const input = stdinPayload(this.plan, u);
        const r = await foreground(
          ["--rm", "-i"],
          ["sh", "-c", `cat; exit ${K}`],
          this.#main(u, [K], { stdout: input, timed: true }),
          input,
        );
        const id = this.units[u].id;
        if (r.killed && id) await this.#rewait(u, id, [K], true);
        return;
      }
      case "big-output": {
        const expected = bigOutput(p.token);
        const fg = foreground(
          [],
          ["sh", "-c", `sleep ${sleepS}; yes ${p.token} | head -c 1048576; exit ${K}`],
          this.#main(u, [K], { stdout: expected, timed: true }),
        );
        // A foreground killed before it wrote the cidfile leaves no ID to wait for.
        const id = await Promise.race([this.#idOf(u), fg.then(() => this.units[u].id)]);
        if (!id) return void await fg;
        // A `wait` on a container not started yet gives 0 at once (podman 4.3 does the same).
        let fgDone = false;
        fg.finally(() => fgDone = true);
        while (!this.units[u].started && !fgDone) await sleep(10);
        const w = waiter(id, [K], false);
        await fg;
        await w;
        await this.#call(u, "logs", ["logs", id], () => {
          const e = this.#main(u, [0], { stdout: expected })();
          // All of the output is there only if the container ended by itself.
          const st = this.units[u];
          const whole = !st.hit || st.fgCode === K ||
            (this.plan.fault === "kill-foreground" && !st.killedBeforeStart);
          return whole ? e : { ...e, stdout: undefined };
        });
        await this.#housekeep(u, "rm", ["rm", "-f", "-t", "0", id]);
        return;
      }
      case "run-d-rm-wait": {
        const id = await detached(["--rm"], ["sh", "-c", `sleep ${sleepS}; exit ${K}`]);
        if (!id) return;
        const w = await waiter(id, [K], true);
        if (!w.killed && !w.timedOut) await this.#gone(u, id);
        return;
      }
      case "run-d-stop": {
        const trapped = p.signal === "TERM";
        const code = trapped ? K : 137;
        const cmd = trapped ? ["sh", "-c", trapLoop("TERM", K)] : ["sleep", "600"];
        const id = await detached([], cmd);
        if (!id) return;
        const w = waiter(id, [code], false);
        await sleep(p.sleepMs);
        await this.#housekeep(u, "stop", ["stop", "-t", trapped ? "10" : "0", id]);
        await w;
        await this.#housekeep(u, "rm", ["rm", "-f", "-t", "0", id]);
        return;
      }
      case "run-d-kill": {
        const n = SIGNALS[p.signal];
        const code = 128 + n;
        const cmd = p.signal === "KILL" ? ["sleep", "600"] : ["sh", "-c", trapLoop(p.signal, code)];
        const id = await detached([], cmd);
        if (!id) return;
        const w = waiter(id, [code], false);
        await sleep(p.sleepMs);
        await this.#housekeep(u, "kill", ["kill", "-s", p.signal, id]);
        await w;
        await this.#housekeep(u, "rm", ["rm", "-f", "-t", "0", id]);
        return;
      }
      case "run-d-rmf": {
        const id = await detached([], ["sleep", "600"]);
        if (!id) return;
        const w = waiter(id, [137], false);
        await sleep(p.sleepMs);
        await this.#housekeep(u, "rm -f", ["rm", "-f", "-t", "0", id]);
        await w;
        return;
      }
      case "exec": {
        const id = await detached([], ["sleep", "600"]);
        if (!id) return;
        await this.#call(
          u,
          "exec",
          ["exec", id, "sh", "-c", `sleep ${sleepS}; printf %s ${p.token}; exit ${K}`],
          this.#main(u, [K], { stdout: enc.encode(p.token) }),
          { role: "fg" },
        );
        await this.#housekeep(u, "rm", ["rm", "-f", "-t", "0", id]);
        return;
      }
    }
  }

  /** Strike the plan's fault at its moment. */
  async #fault(): Promise<void> {
    const f = this.plan.fault;
    if (f === "none") return;
    if (f === "kill-cleanup") {
      const killer = cleanupKiller(this.eng.sb, this.plan.cleanupDelayMs, 5);
      while (!this.#done) await sleep(20);
      const n = await killer.stop();
      if (n > 0) {
        this.faultHit = true;
        for (const st of this.units) st.hit = true;
      }
      return;
    }
    await sleep(Math.max(0, this.t0 + this.plan.faultAtMs - Date.now()));
    const u = this.plan.target;
    const st = this.units[u];
    const strike = (child: Deno.ChildProcess | undefined): boolean => {
      if (!child) return false;
      st.killed.add(child);
      try {
        child.kill("SIGKILL");
        return true;
      } catch {
        st.killed.delete(child);
        return false;
      }
    };
    switch (f) {
      case "kill-foreground":
        st.killedBeforeStart = !st.started;
        this.faultHit = strike(st.fg);
        st.hit = this.faultHit;
        return;
      case "kill-waiter": {
        // The waiter starts after `run -d` returns: give it the moment, then strike.
        const id = await this.#idOf(u);
        if (!id) return;
        while (!st.waiter && !this.#done) await sleep(10);
        this.faultHit = strike(st.waiter);
        return;
      }
      case "kill-conmon": {
        const id = await this.#idOf(u);
        if (!id) return;
        for (const pid of conmonPids(this.eng.sb, id)) {
          if (killPid(pid)) this.faultHit = st.hit = true;
        }
        return;
      }
      case "concurrent-rm":
      case "concurrent-stop":
      case "concurrent-kill": {
        const id = await this.#idOf(u);
        if (!id) return;
        const args = f === "concurrent-rm"
          ? ["rm", "-f", "-t", "0", id]
          : f === "concurrent-stop"
          ? ["stop", "-t", "0", id]
          : ["kill", id];
        this.faultHit = st.hit = true;
        await this.#call(u, f, args, () => ({ ...own([0]), errorOk: [1, 125] }));
        return;
      }
      case "reboot": {
        this.faultHit = true;
        for (const s of this.units) s.hit = true;
        // As a reboot would: every monitor and container process of the store dies at once.
        for (const s of this.units) {
          if (!s.id) continue;
          for (const pid of conmonPids(this.eng.sb, s.id)) killPid(pid);
          const pid = this.#initPid(s.id);
          if (pid) killPid(pid);
        }
        await fakeBootId(this.eng.sb);
        await this.#call(u, "ps after reboot", ["ps", "-a"], () => ({ ...own([0]), loose: true }));
        return;
      }
      case "root-unwritable": {
        this.faultHit = true;
        for (const s of this.units) s.hit = true;
        const paths = frozenPaths(this.eng.sb);
        try {
          await chattr("+i", paths);
          await sleep(this.plan.freezeMs);
        } finally {
          await chattr("-i", paths);
        }
        return;
      }
    }
  }

  /** Count what the iteration left behind (after giving cleanups a few seconds), then reap it. */
  async #leftovers(): Promise<void> {
    const ids = this.units.map((s) => s.id).filter((id): id is string => !!id);
    const sb = this.eng.sb;
    type Found = Record<string, string[]>;
    const collect = async (): Promise<Found> => {
      const ps = await sb.berth(["ps", "-a", "-q", "--no-trunc"]);
      if (/database is locked/i.test(ps.stderr)) {
        this.violations.push({ kind: "db-locked", detail: `ps: ${ps.stderr}` });
      }
      // Every iteration ends with an empty store, so whatever is listed is this one's (a
      // container whose `run -d` failed has no ID the soak knows of).
      const listed = ps.code === 0
        ? ps.stdout.split("\n").filter(Boolean)
        : [`ps failed: ${ps.stderr}`];
      for (const id of listed) if (/^[0-9a-f]{64}$/.test(id) && !ids.includes(id)) ids.push(id);
      let exits: string[] = [];
      try {
        exits = [...Deno.readDirSync(this.eng.exitsDir)].map((e) => e.name)
          .filter((n) => ids.some((id) => n.startsWith(id)));
      } catch { /* none */ }
      const runtime = (await runtimeIds(sb, this.eng.stateRoot)).filter((id) => ids.includes(id));
      return {
        "leftover-container": listed,
        "leftover-runtime": runtime,
        "leftover-mount": sandboxMounts(sb),
        "leftover-cgroup": leftoverCgroups(ids, this.eng.cgroupDir),
        "leftover-process": pidsMatching(sb.dir).map((pid) => `${pid}: ${cmdline(pid).join(" ")}`),
        "leftover-exit-file": exits,
        "leftover-network": await this.#networkLeft(),
      };
    };
    let found: Found = {};
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        found = await collect();
      } catch (e) {
        this.#harness(e);
        return;
      }
      if (Object.values(found).every((v) => v.length === 0) || Date.now() > deadline) break;
      await sleep(200);
    }
    if (found["leftover-container"]?.length && this.eng.sqlite) {
      // Say in which state each was left (and why), for the report.
      const rows = await withDb(sb, (db) =>
        found["leftover-container"].map((id) => {
          const r = db.prepare(
            "SELECT state, error, exit_code, pid, conmon_pid FROM containers WHERE id = ?",
          ).get(id) as Record<string, unknown> | undefined;
          return { id, r, text: `${id} ${JSON.stringify(r ?? null)}` };
        }));
      const kept = (x: (typeof rows)[number]) =>
        this.plan.fault === "reboot" && x.r?.state === "created";
      found["leftover-container"] = rows.filter((x) => !kept(x)).map((x) => x.text);
      const notes = rows.filter(kept).map((x) => x.text);
      if (notes.length) {
        this.violations.push({ kind: "kept-after-reboot", detail: notes.join("; ") });
      }
    }
    // A leftover the reap could not remove is seen again by later iterations: it is counted
    // once, in the iteration that left it (podman's rm -f failed for ~10 iterations on one).
    const before = this.eng.counted;
    for (const [kind, what] of Object.entries(found)) {
      const fresh = what.filter((w) => ![...before].some((id) => w.includes(id)));
      if (fresh.length === 0) continue;
      this.violations.push({ kind: kind as Violation["kind"], detail: fresh.join("; ") });
    }
    for (const id of ids) {
      if (Object.values(found).some((what) => what.some((w) => w.includes(id)))) before.add(id);
    }
    const kept = this.violations.some((v) => v.kind === "kept-after-reboot");
    if (kept || Object.values(found).some((v) => v.length)) await this.#reap(ids);
  }

  /**
   * What is left of the containers on the soak's bridge network: veths still enslaved to its
   * interface, namespace files, and the database's namespace records and address leases (every
   * iteration ends with no container, so any is left over).
   */
  async #networkLeft(): Promise<string[]> {
    const bridge = this.eng.bridge;
    if (!bridge) return [];
    const left: string[] = [];
    const ip = await new Deno.Command("ip", {
      args: ["-o", "link", "show", "master", bridge.iface],
      stdout: "piped",
      stderr: "null",
    }).output();
    for (const line of new TextDecoder().decode(ip.stdout).split("\n").filter(Boolean)) {
      left.push(`veth ${line.split(":")[1]?.trim()}`);
    }
    try {
      for (const e of Deno.readDirSync(join(this.eng.sb.runroot, "netns"))) {
        left.push(`netns file ${e.name}`);
      }
    } catch { /* none */ }
    const rows = await withDb(this.eng.sb, (db) => [
      ...(db.prepare("SELECT container_id AS c FROM container_netns").all() as { c: string }[])
        .map((r) => `netns record ${r.c}`),
      ...(db.prepare("SELECT ip, container_id AS c FROM network_leases").all() as {
        ip: string;
        c: string;
      }[]).map((r) => `lease ${r.ip} ${r.c}`),
    ]);
    return [...left, ...rows];
  }

  /** Remove what was counted as left over, so the next iteration starts clean. */
  async #reap(ids: string[]): Promise<void> {
    const sb = this.eng.sb;
    for (const pid of pidsMatching(sb.dir)) killPid(pid);
    if (ids.length) await sb.berth(["rm", "-f", "-t", "0", ...ids]);
    for (const id of ids) {
      await new Deno.Command("runc", {
        args: ["--root", this.eng.stateRoot, "delete", "-f", id],
        stderr: "null",
      }).output();
    }
    for (const line of sandboxMounts(sb).reverse()) {
      const mountPoint = line.split(" ")[4];
      await new Deno.Command("umount", { args: ["-l", mountPoint], stderr: "null" }).output();
    }
    for (const dir of leftoverCgroups(ids, this.eng.cgroupDir)) {
      try {
        Deno.removeSync(dir);
      } catch { /* busy */ }
    }
    for (const id of ids) {
      try {
        Deno.removeSync(join(this.eng.exitsDir, id));
      } catch { /* gone */ }
    }
    await this.#reapNetwork();
  }

  /** Undo what {@linkcode Iteration.#networkLeft} finds. */
  async #reapNetwork(): Promise<void> {
    const bridge = this.eng.bridge;
    if (!bridge) return;
    for (const what of await this.#networkLeft()) {
      const [kind, name] = what.split(" ");
      if (kind === "veth") {
        await new Deno.Command("ip", { args: ["link", "del", name.split("@")[0]], stderr: "null" })
          .output();
      }
    }
    const netns = join(this.eng.sb.runroot, "netns");
    try {
      for (const e of Deno.readDirSync(netns)) {
        await new Deno.Command("umount", { args: ["-l", join(netns, e.name)], stderr: "null" })
          .output();
        Deno.removeSync(join(netns, e.name));
      }
    } catch { /* none */ }
    await withDb(this.eng.sb, (db) => {
      db.exec("DELETE FROM container_netns");
      db.exec("DELETE FROM network_leases");
    });
  }

  /** `PRAGMA integrity_check` on berth's database. */
  async #integrity(): Promise<void> {
    try {
      const rows = await withDb(
        this.eng.sb,
        (db) => db.prepare("PRAGMA integrity_check").all() as { integrity_check: string }[],
      );
      const text = rows.map((r) => r.integrity_check).join("; ");
      if (text !== "ok") this.violations.push({ kind: "integrity", detail: text });
    } catch (e) {
      this.violations.push({ kind: "integrity", detail: String(e) });
    }
  }
}
