/**
 * `berth system refresh`: what berth does by itself after a reboot.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { openEngine } from "../engine/context.ts";
import { refresh } from "../engine/refresh.ts";

/** `system refresh`: what berth does by itself after a reboot. */
export const refreshCommand: Command = {
  flags: {},
  async run(global) {
    const engine = await openEngine(global);
    await refresh(engine);
    return 0;
  },
};
