/**
 * What the image commands share: opening the image store, registry flags.
 *
 * @module
 */
import { type GlobalOptions, openEngine } from "../../engine/context.ts";
import { bool, type Parsed, str } from "../args.ts";
import { REGISTRY_FLAGS } from "./registry_flags.ts";
import { authFilePath, getCreds, parseCreds } from "../../image/auth_file.ts";
import type { ImageCtx } from "../../image/store.ts";
import { imageCtx } from "../../engine/image.ts";
import type { RegistryOptions } from "../../image/registry.ts";
import { isInsecureRegistry } from "../../config.ts";

/** Open the engine and return its image context. */
export async function openImages(global: GlobalOptions): Promise<ImageCtx> {
  return imageCtx(await openEngine(global));
}

export { REGISTRY_FLAGS };

/** The credentials file: `--authfile`, `$REGISTRY_AUTH_FILE`, or `<root>/auth.json`. */
export function authFile(global: GlobalOptions, p: Parsed): string {
  return str(p, "authfile") ?? authFilePath(global.root);
}

/**
 * Whether TLS is verified for `registry`: `--tls-verify` as given, else not for a registry
 * berth.conf lists as insecure.
 */
export function tlsVerify(global: GlobalOptions, p: Parsed, registry: string): boolean {
  if (p.values["tls-verify"] !== undefined) return bool(p, "tls-verify");
  return !isInsecureRegistry(global.config, registry);
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
    tlsVerify: tlsVerify(global, p, registry),
    certDir: str(p, "cert-dir"),
    creds: creds !== undefined ? parseCreds(creds) : getCreds(authFile(global, p), registry),
  };
}
