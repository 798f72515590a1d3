/**
 * What the image commands share: opening the image store, registry flags.
 *
 * @module
 */
import { type GlobalOptions, openEngine } from "../../engine/context.ts";
import { bool, type FlagTable, type Parsed, str } from "../args.ts";
import { authFilePath, getCreds, parseCreds } from "../../image/auth_file.ts";
import type { ImageCtx } from "../../image/store.ts";
import { imageCtx } from "../../engine/image.ts";
import type { RegistryOptions } from "../../image/registry.ts";
import { isInsecureRegistry } from "../../config.ts";

/** Open the engine and return its image context. */
export async function openImages(global: GlobalOptions): Promise<ImageCtx> {
  return imageCtx(await openEngine(global));
}

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

/** The credentials file: `--authfile`, `$REGISTRY_AUTH_FILE`, or `<root>/auth.json`. */
export function authFile(global: GlobalOptions, p: Parsed): string {
  return str(p, "authfile") ?? authFilePath(global.root);
}

/**
 * Registry options from the flags (credentials from `--creds` or the auth file; TLS verified
 * unless `--tls-verify=false` or, without the flag, berth.conf lists the registry as insecure).
 */
export function registryOptions(
  global: GlobalOptions,
  p: Parsed,
  registry: string,
): RegistryOptions {
  const creds = str(p, "creds");
  return {
    tlsVerify: p.values["tls-verify"] === undefined
      ? !isInsecureRegistry(global.config, registry)
      : bool(p, "tls-verify"),
    certDir: str(p, "cert-dir"),
    creds: creds !== undefined ? parseCreds(creds) : getCreds(authFile(global, p), registry),
  };
}
