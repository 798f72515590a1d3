/**
 * The raw-runc floor: an OCI bundle made from `runc spec`, patched to run a command
 * non-interactively on the shared rootfs with rlimits inside the caller's hard limits.
 *
 * @module
 */

/** Soft and hard limit of one resource; `null` means unlimited. */
export interface Limit {
  soft: number | null;
  hard: number | null;
}

/** Parse the text of `/proc/self/limits` into limits keyed by their name ("Max open files"). */
export function parseLimits(text: string): Record<string, Limit> {
  const out: Record<string, Limit> = {};
  const num = (s: string) => (s === "unlimited" ? null : Number(s));
  for (const line of text.split("\n").slice(1)) {
    const m = line.match(/^(.+?)\s{2,}(\S+)\s+(\S+)/);
    if (m) out[m[1].trim()] = { soft: num(m[2]), hard: num(m[3]) };
  }
  return out;
}

/** `wanted`, lowered to the hard limit `hard` if that is smaller (`null` = unlimited). */
export function capLimit(wanted: number, hard: number | null | undefined): number {
  return hard == null ? wanted : Math.min(wanted, hard);
}

/** What to put in the bundle's `config.json`. */
export interface BundleOptions {
  /** Absolute, real (not a symlink) path of the root filesystem. */
  rootfs: string;
  args: string[];
  /** RLIMIT_NOFILE and RLIMIT_NPROC (soft = hard). */
  nofile: number;
  nproc: number;
}

/** A JSON object, loosely typed: the spec from `runc spec`. */
// deno-lint-ignore no-explicit-any
export type OciSpec = Record<string, any>;

/**
 * Patch a `runc spec` template: no terminal, `args`, a writable absolute root, and
 * RLIMIT_NOFILE/RLIMIT_NPROC set as given (other rlimits kept). Returns a new object.
 */
export function patchSpec(template: OciSpec, opts: BundleOptions): OciSpec {
  const spec = structuredClone(template);
  spec.process ??= {};
  spec.process.terminal = false;
  spec.process.args = [...opts.args];
  const keep = (spec.process.rlimits ?? []).filter((r: { type: string }) =>
    r.type !== "RLIMIT_NOFILE" && r.type !== "RLIMIT_NPROC"
  );
  spec.process.rlimits = [
    ...keep,
    { type: "RLIMIT_NOFILE", hard: opts.nofile, soft: opts.nofile },
    { type: "RLIMIT_NPROC", hard: opts.nproc, soft: opts.nproc },
  ];
  spec.root = { path: opts.rootfs, readonly: false };
  return spec;
}

/** Read the spec template that `runc spec` writes (in a scratch dir, which is removed). */
export async function runcSpecTemplate(runc: string, scratch: string): Promise<OciSpec> {
  await Deno.mkdir(scratch, { recursive: true });
  const out = await new Deno.Command(runc, { args: ["spec", "--bundle", scratch], stdin: "null" })
    .output();
  if (!out.success) {
    throw new Error(`runc spec failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  const spec = JSON.parse(await Deno.readTextFile(`${scratch}/config.json`));
  await Deno.remove(scratch, { recursive: true });
  return spec;
}

/** Write a bundle directory `dir` whose `config.json` is `spec`. */
export async function writeBundle(dir: string, spec: OciSpec): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify(spec, null, 2));
}
