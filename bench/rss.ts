/**
 * Sampling the resident memory of a set of processes while a scenario runs: every few ms,
 * sum VmRSS over the matching processes; keep the peak sum and the peak single process.
 *
 * @module
 */
import { listPids, readCmdline, readStatus } from "./procfs.ts";

/** Peak memory seen by a sampler. */
export interface RssPeak {
  /** Highest sum of VmRSS over the matching processes at one sample, KiB. */
  peakSumKb: number;
  /** Highest VmRSS of a single matching process, KiB. */
  peakSingleKb: number;
  /** Most matching processes alive at one sample. */
  peakProcs: number;
  samples: number;
}

/** Decides whether a process counts: its command line and pid. */
export type ProcessMatcher = (args: string[], pid: number) => boolean;

/** Fold one sample (VmRSS of each matching process, KiB) into a peak. Pure. */
export function foldSample(peak: RssPeak, rssKb: readonly number[]): RssPeak {
  return {
    peakSumKb: Math.max(peak.peakSumKb, rssKb.reduce((a, b) => a + b, 0)),
    peakSingleKb: Math.max(peak.peakSingleKb, ...rssKb, 0),
    peakProcs: Math.max(peak.peakProcs, rssKb.length),
    samples: peak.samples + 1,
  };
}

/** An empty peak. */
export function emptyPeak(): RssPeak {
  return { peakSumKb: 0, peakSingleKb: 0, peakProcs: 0, samples: 0 };
}

/** True if `/proc/PID/environ` holds `entry` (`NAME=value`). */
export function environHas(pid: number, entry: string): boolean {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/environ`).split("\0").includes(entry);
  } catch {
    return false;
  }
}

/** Polls `/proc` on a timer until stopped. */
export class RssSampler {
  #peak = emptyPeak();
  #timer: ReturnType<typeof setInterval> | undefined;
  #verdict = new Map<number, boolean>();
  #match: ProcessMatcher;

  /** Sample processes accepted by `match` every `intervalMs`. */
  constructor(match: ProcessMatcher, intervalMs = 50) {
    this.#match = match;
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Take one sample now. */
  sample(): void {
    const rss: number[] = [];
    for (const pid of listPids()) {
      if (pid === Deno.pid) continue;
      let ok = this.#verdict.get(pid);
      if (ok === undefined) {
        const args = readCmdline(pid);
        if (!args) continue;
        ok = this.#match(args, pid);
        this.#verdict.set(pid, ok);
      }
      if (!ok) continue;
      const st = readStatus(pid);
      if (st && st.vmRssKb > 0) rss.push(st.vmRssKb);
    }
    this.#peak = foldSample(this.#peak, rss);
  }

  /** Stop sampling (after one last sample) and return the peak. */
  stop(): RssPeak {
    clearInterval(this.#timer);
    this.sample();
    return this.#peak;
  }
}
