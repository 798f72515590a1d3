/**
 * Seccomp profiles: containers-common's format (podman's `seccomp.json`: an `archMap`, rules
 * that apply only with some capabilities, on some architectures or from some kernel) and its
 * conversion into the OCI runtime's `linux.seccomp` for one container.
 *
 * @module
 */
import { UsageError } from "../errors.ts";

/** One argument comparison of a rule. */
export interface SeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

/** When a rule applies (includes) or does not (excludes). */
export interface SeccompFilter {
  /** Go architecture names (`amd64`, `arm64`, ...). */
  arches?: string[];
  /** Capabilities the container must all have (includes) / any of which removes it (excludes). */
  caps?: string[];
  /** `MAJOR.MINOR`: the host kernel must be at least this (includes only). */
  minKernel?: string;
}

/** One rule of a profile. */
export interface SeccompRule {
  names?: string[];
  /** The old single-name form. */
  name?: string;
  action: string;
  errnoRet?: number;
  args?: SeccompArg[] | null;
  includes?: SeccompFilter;
  excludes?: SeccompFilter;
  comment?: string;
}

/** A profile in containers-common's (and moby's) format. */
export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  /** The native architecture and the ones that run on it (x86 programs on x86_64). */
  archMap?: { architecture: string; subArchitectures?: string[] | null }[] | null;
  /** The plain list of the OCI format, used when there is no archMap. */
  architectures?: string[] | null;
  flags?: string[] | null;
  syscalls?: SeccompRule[] | null;
}

/** What the conversion needs to know about the host and the container. */
export interface SeccompTarget {
  /** `Deno.build.arch`: `x86_64`, `aarch64`, ... */
  arch: string;
  /** The container's capabilities. */
  caps: string[];
  /** `Deno.osRelease()`; without it, rules with a `minKernel` are left out. */
  kernel?: string;
}

/** The OCI `linux.seccomp` object. */
export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures: string[];
  flags?: string[];
  syscalls: { names: string[]; action: string; errnoRet?: number; args?: SeccompArg[] }[];
}

/** Deno's architecture name → Go's (the profile's `arches`) and libseccomp's. */
const ARCHES: Record<string, { go: string; scmp: string }> = {
  x86_64: { go: "amd64", scmp: "SCMP_ARCH_X86_64" },
  aarch64: { go: "arm64", scmp: "SCMP_ARCH_AARCH64" },
  riscv64gc: { go: "riscv64", scmp: "SCMP_ARCH_RISCV64" },
  riscv64: { go: "riscv64", scmp: "SCMP_ARCH_RISCV64" },
  s390x: { go: "s390x", scmp: "SCMP_ARCH_S390X" },
  powerpc64le: { go: "ppc64le", scmp: "SCMP_ARCH_PPC64LE" },
};

/** `a.b[.c][-x]` ≥ `MAJOR.MINOR`? */
export function kernelAtLeast(release: string, min: string): boolean {
  const num = (s: string) => s.split(/[.-]/).slice(0, 2).map((p) => parseInt(p, 10) || 0);
  const [a, b] = num(release);
  const [x, y] = num(min);
  return a !== x ? a > x : b >= y;
}

/**
 * The OCI seccomp object for one container: the architectures of the host's entry in the
 * archMap, and the rules whose includes hold and whose excludes do not (as podman's
 * conversion does).
 */
export function compileSeccomp(profile: SeccompProfile, target: SeccompTarget): OciSeccomp {
  const arch = ARCHES[target.arch] ?? { go: target.arch, scmp: "" };
  let architectures: string[] = profile.architectures ?? [];
  for (const a of profile.archMap ?? []) {
    if (a.architecture === arch.scmp) {
      architectures = [a.architecture, ...(a.subArchitectures ?? [])];
    }
  }
  const syscalls: OciSeccomp["syscalls"] = [];
  for (const rule of profile.syscalls ?? []) {
    const inc = rule.includes ?? {};
    const exc = rule.excludes ?? {};
    if (inc.arches?.length && !inc.arches.includes(arch.go)) continue;
    if (inc.caps?.length && !inc.caps.every((c) => target.caps.includes(c))) continue;
    if (inc.minKernel && !(target.kernel && kernelAtLeast(target.kernel, inc.minKernel))) continue;
    if (exc.arches?.includes(arch.go)) continue;
    if (exc.caps?.some((c) => target.caps.includes(c))) continue;
    const names = rule.names?.length ? rule.names : rule.name ? [rule.name] : [];
    if (!names.length) continue;
    syscalls.push({
      names,
      action: rule.action,
      ...(rule.errnoRet !== undefined ? { errnoRet: rule.errnoRet } : {}),
      ...(rule.args?.length ? { args: rule.args } : {}),
    });
  }
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet !== undefined ? { defaultErrnoRet: profile.defaultErrnoRet } : {}),
    architectures,
    ...(profile.flags?.length ? { flags: profile.flags } : {}),
    syscalls,
  };
}

/**
 * Parse a profile file's text (`--security-opt seccomp=FILE`), checking its shape.
 *
 * @throws {UsageError} naming the file
 */
export function parseSeccompProfile(text: string, file: string): SeccompProfile {
  const bad = (why: string) => new UsageError(`invalid seccomp profile ${file}: ${why}`);
  let p: unknown;
  try {
    p = JSON.parse(text);
  } catch (err) {
    throw bad((err as Error).message);
  }
  if (typeof p !== "object" || p === null || Array.isArray(p)) throw bad("not a JSON object");
  const o = p as Record<string, unknown>;
  if (typeof o.defaultAction !== "string" || !o.defaultAction.startsWith("SCMP_ACT_")) {
    throw bad("defaultAction must be an SCMP_ACT_ action");
  }
  if (o.syscalls !== undefined && o.syscalls !== null && !Array.isArray(o.syscalls)) {
    throw bad("syscalls must be a list");
  }
  for (const r of (o.syscalls ?? []) as unknown[]) {
    const rule = r as Record<string, unknown>;
    if (typeof rule !== "object" || rule === null || typeof rule.action !== "string") {
      throw bad("every syscall rule needs an action");
    }
    if (
      !(Array.isArray(rule.names) && rule.names.every((n) => typeof n === "string")) &&
      typeof rule.name !== "string"
    ) {
      throw bad("every syscall rule needs names");
    }
  }
  return o as unknown as SeccompProfile;
}
