/**
 * berth's version, for the front ends (`berth version`) and for what the engine writes into
 * containers (`/run/.containerenv`).
 *
 * @module
 */

/** berth's version. */
export const VERSION = "0.1.0";
