/**
 * The host-wide subnet registry's decisions: claim file names, parsing, staleness (a gone
 * store or network frees its subnet), conflicts and the pool's first free /24.
 */
import { assertEquals } from "./assert.ts";
import { parseCidr, parseIp } from "../../src/network/ipv4.ts";
import {
  claimFileName,
  conflicting,
  firstFreeInPool,
  formatClaim,
  isStale,
  parseClaim,
  type SubnetClaim,
} from "../../src/network/subnet_claims.ts";

const claim = (subnet: string, db: string, network: string): SubnetClaim => ({
  subnet: parseCidr(subnet),
  db,
  network,
});

Deno.test("claim files are named by subnet and round-trip", () => {
  const name = claimFileName(parseCidr("10.90.3.0/24"));
  assertEquals(name, "10.90.3.0-24");
  const text = formatClaim({ db: "/a/berth.db", network: "n1" });
  assertEquals(parseClaim(name, text), claim("10.90.3.0/24", "/a/berth.db", "n1"));
  assertEquals(parseClaim(".lock", ""), undefined);
  assertEquals(parseClaim("10.90.3.0-24.x.tmp", text), undefined);
  assertEquals(parseClaim("10.90.3.5-24", text), undefined, "host bits set: not berth's name");
  assertEquals(parseClaim(name, "{not json"), undefined);
  assertEquals(parseClaim(name, '{"db": 1}'), undefined);
});

Deno.test("a claim is stale only when its store says it has no such network", () => {
  const c = claim("10.90.0.0/24", "/gone/berth.db", "n1");
  assertEquals(isStale(c, () => false), true);
  assertEquals(isStale(c, () => true), false);
  assertEquals(isStale(c, () => undefined), false, "unreadable store: kept");
});

Deno.test("conflicts: live, overlapping claims of someone else", () => {
  const me = { db: "/me/berth.db", network: "mine" };
  const claims = [
    claim("10.90.0.0/24", "/me/berth.db", "mine"),
    claim("10.90.1.0/24", "/other/berth.db", "o1"),
    claim("10.90.2.0/24", "/dead/berth.db", "d1"),
    claim("10.91.0.0/16", "/other/berth.db", "o2"),
  ];
  const probe = (db: string) => db !== "/dead/berth.db";
  const at = (s: string) => conflicting(claims, parseCidr(s), me, probe).map((c) => c.network);
  assertEquals(at("10.90.0.0/24"), [], "its own claim");
  assertEquals(at("10.90.1.0/24"), ["o1"]);
  assertEquals(at("10.90.2.0/24"), [], "a dead store's claim");
  assertEquals(at("10.90.0.0/16"), ["o1"], "a wider subnet meets the live one inside it");
  assertEquals(at("10.91.7.0/24"), ["o2"], "inside another store's /16");
  assertEquals(at("10.92.0.0/24"), []);
});

Deno.test("the pool's first free /24 skips everything used; none when all are", () => {
  const base = parseIp("10.90.0.0")!;
  assertEquals(firstFreeInPool([], base, 256), parseCidr("10.90.0.0/24"));
  const used = [parseCidr("10.90.0.0/24"), parseCidr("10.90.1.0/25"), parseCidr("10.90.2.0/23")];
  assertEquals(firstFreeInPool(used, base, 256), parseCidr("10.90.4.0/24"));
  assertEquals(firstFreeInPool([parseCidr("10.90.0.0/16")], base, 256), undefined);
});
