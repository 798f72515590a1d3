/**
 * The image commands (`pull`, `load`, `images`, …), registered with `main.ts`.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { pullCommand } from "./image/pull.ts";
import { loadCommand } from "./image/load.ts";
import { saveCommand } from "./image/save.ts";
import { importCommand } from "./image/import.ts";
import { imagesCommand } from "./image/images.ts";
import { rmiCommand } from "./image/rmi.ts";
import { tagCommand } from "./image/tag.ts";
import { loginCommand } from "./image/login.ts";
import { logoutCommand } from "./image/logout.ts";
import { imageInspectCommand } from "./image/inspect.ts";
import { imagePruneCommand } from "./image/prune.ts";
import { imageExistsCommand } from "./image/exists.ts";

/** Image commands by name; `image X` aliases are derived in main.ts ("image:inspect" → `image inspect`). */
export const IMAGE_COMMANDS: Record<string, Command> = {
  pull: pullCommand,
  load: loadCommand,
  save: saveCommand,
  import: importCommand,
  images: imagesCommand,
  rmi: rmiCommand,
  tag: tagCommand,
  login: loginCommand,
  logout: logoutCommand,
  "image:inspect": imageInspectCommand,
  "image:prune": imagePruneCommand,
  "image:exists": imageExistsCommand,
};
