/**
 * The flags of the commands that pull from a registry (`pull`, and `run`/`create` for
 * a missing image), alone in a module so that a command's flag table costs no engine import.
 *
 * @module
 */
import type { FlagTable } from "../args.ts";

/** Flags of commands that talk to a registry. */
export const REGISTRY_FLAGS: FlagTable = {
  // No default: unset means "as berth.conf says for this registry" (verified unless insecure).
  "tls-verify": {
    type: "boolean",
    help:
      "Require HTTPS and verify certificates (default: true, unless berth.conf lists the registry as insecure)",
  },
  "cert-dir": {
    type: "string",
    help: "Directory of extra CA certificates (*.crt) for the registry",
  },
  creds: {
    type: "string",
    help: "Credentials for the registry, instead of those in the auth file",
    value: "USERNAME:PASSWORD",
  },
  authfile: {
    type: "string",
    help:
      "Path of the authentication file (default: $REGISTRY_AUTH_FILE, else auth.json under --root)",
  },
};
