/**
 * `berth logout (REGISTRY | -a)`
 *
 * @module
 */
import { bool } from "../args.ts";
import { type Command, out } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { removeCreds } from "../../image/auth_file.ts";
import { authFile } from "./common.ts";
import { registryOf } from "./login.ts";

/** `logout`: forget stored credentials. */
export const logoutCommand: Command = {
  flags: {
    all: { type: "boolean", short: "a", help: "Remove the credentials of every registry" },
    authfile: {
      type: "string",
      help:
        "Path of the authentication file (default: $REGISTRY_AUTH_FILE, else auth.json under --root)",
    },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    const path = authFile(global, p);
    if (bool(p, "all")) {
      removeCreds(path, undefined);
      await out("Removed login credentials for all registries\n");
      return 0;
    }
    if (p.positionals.length !== 1) throw new UsageError("logout takes one registry, or --all");
    const registry = registryOf(p.positionals[0]);
    if (!removeCreds(path, registry)) {
      throw new UsageError(`not logged into ${registry}`);
    }
    await out(`Removed login credentials for ${registry}\n`);
    return 0;
  },
};
