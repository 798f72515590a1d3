/**
 * The host-wide registry of the subnets berth's bridge networks use: one file per subnet
 * under `/run/berth-subnets/` (named `10.90.3.0-24`), holding the claiming store's
 * database path and network ID. Every store on the host (another `--root`, another CI job)
 * reads it before picking a subnet, so two stores never pick the same one: netavark would
 * install the same firewall rules for both, and one store's teardown would remove rules the
 * other still needs. A claim is stale, and free to take, when its store or its network is
 * gone (test sandboxes are deleted without `network rm`). `/run` is a tmpfs: after a reboot
 * stores claim their subnets again as they set their networks up. The decisions are pure;
 * the file operations run under one host-wide lock.
 *
 * @module
 */
import { type Cidr, formatCidr, overlaps, parseCidr } from "./ipv4.ts";
import { pathExists } from "../fs.ts";

/**
 * Where the claims live (transient: a reboot empties `/run`). Beside the netavark lock, not
 * under `/run/berth`, which is the default store's runroot.
 */
export const CLAIMS_DIR = "/run/berth-subnets";

/** One claim: `subnet` belongs to network `network` of the store whose database is `db`. */
export interface SubnetClaim {
  subnet: Cidr;
  db: string;
  network: string;
}

/** Who asks: a store's database and one of its networks. */
export interface Claimant {
  db: string;
  network: string;
}

/** The file name of `subnet`'s claim (`10.90.3.0-24`: no slash). */
export function claimFileName(subnet: Cidr): string {
  return formatCidr(subnet).replace("/", "-");
}

/** The claim in file `name` with content `text`, or undefined when it is not one. */
export function parseClaim(name: string, text: string): SubnetClaim | undefined {
  try {
    const subnet = parseCidr(name.replace("-", "/"));
    if (claimFileName(subnet) !== name) return undefined;
    const { db, network } = JSON.parse(text);
    if (typeof db !== "string" || typeof network !== "string") return undefined;
    return { subnet, db, network };
  } catch {
    return undefined;
  }
}

/** A claim's file content. */
export function formatClaim(claim: Claimant): string {
  return JSON.stringify({ db: claim.db, network: claim.network }) + "\n";
}

/** Whether `claim` is `who`'s. */
export function isOwn(claim: SubnetClaim, who: Claimant): boolean {
  return claim.db === who.db && claim.network === who.network;
}

/**
 * What answers "does the store at database `db` still have network `id`?": true, false, or
 * undefined when it cannot tell (then the claim is kept: breaking a live store's rules is
 * worse than a subnet left unused).
 */
export type NetworkProbe = (db: string, id: string) => boolean | undefined;

/** Whether `claim` may be taken over: its store's database is gone, or has no such network. */
export function isStale(claim: SubnetClaim, probe: NetworkProbe): boolean {
  return probe(claim.db, claim.network) === false;
}

/** The live claims of `claims` that overlap `subnet` and are not `who`'s. */
export function conflicting(
  claims: SubnetClaim[],
  subnet: Cidr,
  who: Claimant,
  probe: NetworkProbe,
): SubnetClaim[] {
  return claims.filter((c) => overlaps(c.subnet, subnet) && !isOwn(c, who) && !isStale(c, probe));
}

/**
 * The first /24 of the pool (`size` of them from `base`) that overlaps nothing in `used`,
 * or undefined when every one does.
 */
export function firstFreeInPool(used: Cidr[], base: number, size: number): Cidr | undefined {
  for (let i = 0; i < size; i++) {
    const c = { base: base + i * 256, bits: 24 };
    if (!used.some((u) => overlaps(u, c))) return c;
  }
  return undefined;
}

/** Every claim in `dir` (files that are not claims are ignored). */
export function readClaims(dir: string = CLAIMS_DIR): SubnetClaim[] {
  const out: SubnetClaim[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  for (const e of entries) {
    if (!e.isFile) continue;
    try {
      const c = parseClaim(e.name, Deno.readTextFileSync(`${dir}/${e.name}`));
      if (c) out.push(c);
    } catch { /* removed meanwhile */ }
  }
  return out;
}

/**
 * Run `fn` holding the registry's lock (a `flock`, released by the kernel if the holder
 * dies). Synchronous, so that it can wrap a SQLite transaction.
 */
export function withClaimsLock<T>(fn: () => T, dir: string = CLAIMS_DIR): T {
  Deno.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const file = Deno.openSync(`${dir}/.lock`, { create: true, write: true });
  try {
    file.lockSync(true);
    return fn();
  } finally {
    file.close();
  }
}

/**
 * Write `who`'s claim on `subnet` (replacing a stale claim of the same name). Caller holds
 * the lock.
 */
export function writeClaim(subnet: Cidr, who: Claimant, dir: string = CLAIMS_DIR): void {
  const path = `${dir}/${claimFileName(subnet)}`;
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  // Written whole then renamed: a reader never sees half a claim.
  Deno.writeTextFileSync(tmp, formatClaim(who), { createNew: true });
  Deno.renameSync(tmp, path);
}

/** Remove the claims in `dir` named by `stale` (taken over). Caller holds the lock. */
export function removeClaims(stale: SubnetClaim[], dir: string = CLAIMS_DIR): void {
  for (const c of stale) {
    try {
      Deno.removeSync(`${dir}/${claimFileName(c.subnet)}`);
    } catch { /* gone already */ }
  }
}

/** Whether `who`'s claim on `subnet` is in place (a read, no lock: the fast path at start). */
export function hasOwnClaim(subnet: Cidr, who: Claimant, dir: string = CLAIMS_DIR): boolean {
  const name = claimFileName(subnet);
  if (!pathExists(`${dir}/${name}`)) return false;
  try {
    const c = parseClaim(name, Deno.readTextFileSync(`${dir}/${name}`));
    return c !== undefined && isOwn(c, who);
  } catch {
    return false;
  }
}
