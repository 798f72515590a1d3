/**
 * The image commands (`pull`, `load`, `images`, …), registered with `main.ts`.
 *
 * @module
 */
import type { Command } from "./command.ts";

/** Image commands by name; `image X` aliases are derived in main.ts. */
export const IMAGE_COMMANDS: Record<string, Command> = {};
