/**
 * Container endpoints (create, list, inspect, start, stop, kill, restart, wait, attach, logs,
 * remove, resize, top, prune).
 *
 * @module
 */
import type { Route } from "../router.ts";

/** The routes of this file. */
export const routes: Route[] = [];
