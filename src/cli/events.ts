/**
 * The CLI's engine event sink: engine warnings go through the diagnostic log, so they print
 * as every other warning of berth does (`WARN[…] berth[pid] <message>` on stderr, as podman
 * prints `WARN[0000] <message>`) and `--log-level error` silences them alike.
 *
 * @module
 */
import type { EngineEvents } from "../engine/events.ts";
import { log } from "../log.ts";

/** Engine events for a terminal user: each warning is one `WARN[…]` log line. */
export const CLI_EVENTS: EngineEvents = {
  warning(message: string) {
    log("warn", message);
  },
};
