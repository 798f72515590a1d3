/**
 * This machine's platform in Go's (and so podman's and the OCI image spec's) words.
 *
 * @module
 */

/** Deno's architecture name as Go spells it (`x86_64` → `amd64`, `aarch64` → `arm64`). */
export function goArch(arch: string = Deno.build.arch): string {
  return ({ x86_64: "amd64", aarch64: "arm64" } as Record<string, string>)[arch] ?? arch;
}
