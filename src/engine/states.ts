/**
 * The container lifecycle: every state, every legal transition, and the "can this happen
 * now?" predicates. This is the only place that knows the table; every state change in
 * the engine goes through {@linkcode assertTransition}.
 *
 * @module
 */
import { StateError } from "../errors.ts";
import { type State, STATES } from "../spec.ts";

export { type State, STATES };

/**
 * The legal transitions. `created` is also re-entered by a reboot refresh (from any state
 * but `exited`), listed here so that refresh obeys the same table.
 */
export const TRANSITIONS: Readonly<Record<State, readonly State[]>> = {
  // start: conmon running, runtime create done; rm
  created: ["initialized", "removing"],
  // start; exit seen (killed before start); cleanup of a never-started container; reboot
  initialized: ["running", "stopped", "created", "removing"],
  // stop; exit seen; reboot
  running: ["stopping", "stopped", "created"],
  // exit seen; reboot
  stopping: ["stopped", "created"],
  // cleanup done; reboot
  stopped: ["exited", "created"],
  // start again (a new incarnation); rm
  exited: ["initialized", "removing"],
  // a removal that died half-way is finished by the next one; reboot
  removing: ["removing", "created"],
};

/** True if `s` names a state. */
export function isState(s: string): s is State {
  return (STATES as readonly string[]).includes(s);
}

/** True if a container may move from `from` to `to`. */
export function canTransition(from: State, to: State): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * Throw a {@linkcode StateError} naming both states unless `from → to` is legal.
 *
 * @example
 * ```ts
 * assertTransition("running", "stopped"); // ok
 * assertTransition("exited", "running"); // throws
 * ```
 */
export function assertTransition(from: State, to: State): void {
  if (!canTransition(from, to)) {
    throw new StateError(`illegal state transition ${from} -> ${to}`);
  }
}

/** A process exists in the runtime for this state (conmon should be watching it). */
export function hasProcess(s: State): boolean {
  return s === "initialized" || s === "running" || s === "stopping";
}

/** `start` may act: the container is not running and not on its way out. */
export function canStart(s: State): boolean {
  return s === "created" || s === "exited" || s === "stopped";
}

/** `kill` may signal it: podman only kills running containers. */
export function canKill(s: State): boolean {
  return s === "running" || s === "stopping" || s === "initialized";
}

/** `stop` has something to stop. */
export function canStop(s: State): boolean {
  return s === "running" || s === "stopping" || s === "initialized";
}

/** `rm` without `-f` may remove it. */
export function canRemoveWithoutForce(s: State): boolean {
  return !hasProcess(s);
}

/** `cleanup` has work to do: an exit was observed, or a create never got started. */
export function needsCleanup(s: State): boolean {
  return s === "stopped" || s === "initialized";
}

/** The wait is over: `stopped`/`exited` conditions only end at `exited` (or removal). */
export function isDone(s: State): boolean {
  return s === "exited" || s === "created" || s === "removing";
}

/** A refresh after reboot resets every state but `exited` to `created`. */
export function stateAfterReboot(s: State): State {
  return s === "exited" ? "exited" : "created";
}

/** podman's status words for `ps`: `Up`, `Exited (N)`, `Created`, … */
export function psStatusWord(s: State): string {
  switch (s) {
    case "running":
      return "Up";
    case "stopped":
    case "exited":
      return "Exited";
    default:
      return s[0].toUpperCase() + s.slice(1);
  }
}

/**
 * The status word podman's `--filter status=` compares with: its Configured and Created are
 * both `created` (berth's `created`, `initialized`), its Stopped is `exited` (berth's
 * `stopped`, `exited`); the rest by name.
 */
export function filterStatus(s: State): string {
  if (s === "created" || s === "initialized") return "created";
  if (s === "stopped" || s === "exited") return "exited";
  return s;
}

/** The state a new container starts in. */
export const INITIAL_STATE: State = "created";

/** Never started (or reset by a reboot): there is no exit to wait for. */
export function isCreated(s: State): boolean {
  return s === "created";
}

/** The runtime created the process but `start` has not yet let it run. */
export function isInitialized(s: State): boolean {
  return s === "initialized";
}

/** Its process runs and has not been asked to stop: `exec`, `attach` and `stop` may act. */
export function isRunning(s: State): boolean {
  return s === "running";
}

/** Counted as up (podman's "Running"): running, or on its way down but not yet exited. */
export function isUp(s: State): boolean {
  return s === "running" || s === "stopping";
}

/** Its process has exited, whether or not cleanup has run yet (podman's "Exited"). */
export function hasExited(s: State): boolean {
  return s === "stopped" || s === "exited";
}

/** An exit was seen but cleanup has not yet moved it to `exited`. */
export function awaitsCleanup(s: State): boolean {
  return s === "stopped";
}

/** A removal has begun (and may have died half-way). */
export function isRemoving(s: State): boolean {
  return s === "removing";
}

/** Runtime state and mounts are already released: cleanup ran, or removal began. */
export function runtimeReleased(s: State): boolean {
  return s === "exited" || s === "removing";
}

/** Cleanup or removal must still delete runtime state and unmount the rootfs. */
export function needsRuntimeRelease(s: State): boolean {
  return !runtimeReleased(s);
}

/**
 * The state cleanup moves a container to: `stopped → exited`, a never-started
 * `initialized → created`; undefined when cleanup has no transition to make.
 */
export function stateAfterCleanup(s: State): State | undefined {
  if (s === "stopped") return "exited";
  if (s === "initialized") return "created";
  return undefined;
}
