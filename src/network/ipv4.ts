/**
 * IPv4 arithmetic for subnets: parse CIDRs, test overlap, pick addresses. Pure; no I/O.
 *
 * @module
 */
import { UsageError } from "../errors.ts";

/** An IPv4 prefix: its network address (as a number) and length. */
export interface Cidr {
  base: number;
  bits: number;
}

/** Parse a dotted quad, or undefined if it is not one. */
export function parseIp(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    return undefined;
  }
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** A number as a dotted quad. */
export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

/**
 * Parse `A.B.C.D/N` into its network (host bits cleared, as podman stores it).
 *
 * @throws {UsageError} with podman's words when it is not a CIDR
 */
export function parseCidr(text: string): Cidr {
  const [addr, len, more] = text.split("/");
  const ip = parseIp(addr);
  if (ip === undefined || more !== undefined || !/^\d{1,2}$/.test(len ?? "") || Number(len) > 32) {
    throw new UsageError(`invalid CIDR address: ${text}`);
  }
  const bits = Number(len);
  return { base: ip - (ip % 2 ** (32 - bits)), bits };
}

/** `A.B.C.D/N`. */
export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.bits}`;
}

/** The number of addresses in `c`. */
export function size(c: Cidr): number {
  return 2 ** (32 - c.bits);
}

/** Whether `ip` lies in `c`. */
export function contains(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip < c.base + size(c);
}

/** Whether two prefixes share any address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b.base) || contains(b, a.base);
}

/**
 * The first free host address of `c` for a container: not the network or broadcast
 * address, not the gateway, not one in `taken`. Undefined when the subnet is full.
 */
export function firstFreeHost(c: Cidr, taken: Set<number>): number | undefined {
  for (let ip = c.base + 1; ip < c.base + size(c) - 1; ip++) {
    if (!taken.has(ip)) return ip;
  }
  return undefined;
}

/**
 * The IPv4 routes of `/proc/net/route` (hex little-endian destination and mask), without
 * default routes: the prefixes a new network's subnet must not overlap.
 */
export function parseProcRoutes(text: string): Cidr[] {
  const le = (hex: string) => {
    const n = parseInt(hex, 16);
    return ((n & 0xff) * 2 ** 24) + (((n >>> 8) & 0xff) << 16) + (((n >>> 16) & 0xff) << 8) +
      ((n >>> 24) & 0xff);
  };
  const routes: Cidr[] = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const mask = le(f[7]);
    const bits = mask === 0 ? 0 : 32 - Math.log2(0x100000000 - mask);
    if (bits === 0 || !Number.isInteger(bits)) continue;
    routes.push({ base: le(f[1]) - (le(f[1]) % 2 ** (32 - bits)), bits });
  }
  return routes;
}
