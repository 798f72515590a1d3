/**
 * The CLI's engine event sink: engine warnings printed on stderr as podman prints them.
 *
 * @module
 */
import type { EngineEvents } from "../engine/events.ts";
import { errOut } from "./command.ts";

/** Engine events for a terminal user: `WARN: <message>` lines on stderr. */
export const CLI_EVENTS: EngineEvents = {
  async warning(message: string) {
    await errOut(`WARN: ${message}\n`);
  },
};
