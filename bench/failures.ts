/**
 * Recording failed commands compactly: a count, and the details of the first few.
 *
 * @module
 */
import { type ExecResult, tail } from "./exec.ts";

/** What went wrong with one command. */
export interface FailureNote {
  what: string;
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Spawn error, unexpected output, or the tail of stderr. */
  detail: string;
}

/** Failures of one series: how many, and the first few in full. */
export interface Failures {
  count: number;
  first: FailureNote[];
}

/** Keep at most this many notes per series. */
export const MAX_NOTES = 3;

/** An empty record. */
export function noFailures(): Failures {
  return { count: 0, first: [] };
}

/** Add a failure of `r` (described by `what`, with an optional reason) to `f`, in place. */
export function addFailure(f: Failures, what: string, r: ExecResult | null, reason = ""): void {
  f.count++;
  if (f.first.length >= MAX_NOTES) return;
  f.first.push({
    what,
    code: r?.code ?? null,
    signal: r?.signal ?? null,
    timedOut: r?.timedOut ?? false,
    detail: [reason, r?.error ?? "", tail(r?.stderr ?? "", 300)].filter(Boolean).join(" | "),
  });
}

/** A one-line description of the first failure, for tables. */
export function firstReason(f: Failures): string {
  const n = f.first[0];
  if (!n) return "";
  const how = n.timedOut ? "timed out" : n.code === null ? "not started" : `exit ${n.code}`;
  return `${n.what}: ${how}${n.detail ? ` — ${n.detail.split("\n").pop()}` : ""}`;
}
