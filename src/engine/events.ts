/**
 * What the engine reports to whichever front end listens: warnings (and, later, progress and
 * state changes). The engine itself never prints; the front end installs the sink.
 *
 * @module
 */

/** The sink an engine reports to; each method may be awaited so output stays in order. */
export interface EngineEvents {
  /** Something the user should know that does not fail the operation (a SIGKILL after a timeout). */
  warning(message: string): Promise<void> | void;
}

/** A sink that drops everything: the default until a front end installs its own. */
export const SILENT_EVENTS: EngineEvents = { warning() {} };

let installed: EngineEvents = SILENT_EVENTS;

/** Install the sink every engine opened afterwards reports to (the CLI does, in main). */
export function installEngineEvents(events: EngineEvents): void {
  installed = events;
}

/** The sink installed by the front end ({@linkcode SILENT_EVENTS} if none). */
export function installedEngineEvents(): EngineEvents {
  return installed;
}
