/**
 * This store's side of the host-wide subnet registry (src/network/subnet_claims.ts): a new
 * network's subnet is picked from what no live claim holds and claimed at once; a network's
 * set-up re-claims its subnet (after a reboot emptied `/run`) and refuses to go on when
 * another store holds it; `network rm` and `prune` release it.
 *
 * @module
 */
import { ConflictError } from "../errors.ts";
import { type Cidr, formatCidr, overlaps, parseCidr } from "../network/ipv4.ts";
import {
  type Claimant,
  conflicting,
  hasOwnClaim,
  isOwn,
  isStale,
  type NetworkProbe,
  readClaims,
  removeClaims,
  type SubnetClaim,
  withClaimsLock,
  writeClaim,
} from "../network/subnet_claims.ts";
import type { NetworkConfig } from "../network/types.ts";
import { listNetworks } from "../store/networks.ts";
import { storeHasNetwork } from "../store/network_probe.ts";
import type { Engine } from "./engine.ts";

export { withClaimsLock };

/** Network `id` of this store, as a claimant. */
function claimant(engine: Engine, id: string): Claimant {
  return { db: engine.paths.dbPath, network: id };
}

/** The probe, answering for this store from its open database. */
function probe(engine: Engine): NetworkProbe {
  return (db, id) =>
    db === engine.paths.dbPath
      ? listNetworks(engine.store).some((n) => n.id === id)
      : storeHasNetwork(db, id);
}

/**
 * The subnets live claims of other stores (or other networks) hold. Stale claims found on
 * the way are removed, so that deleted stores leave no files behind for long. Caller holds
 * the lock.
 */
export function claimedByOthers(engine: Engine, id: string): Cidr[] {
  const p = probe(engine);
  const who = claimant(engine, id);
  const others = readClaims().filter((c) => !isOwn(c, who));
  removeClaims(others.filter((c) => isStale(c, p)));
  return others.filter((c) => !isStale(c, p)).map((c) => c.subnet);
}

/** The live claim, not network `id`'s, that overlaps `subnet`, if any. */
export function heldElsewhere(engine: Engine, subnet: Cidr, id: string): SubnetClaim | undefined {
  return conflicting(readClaims(), subnet, claimant(engine, id), probe(engine))[0];
}

/**
 * Claim `subnet` for network `id`: stale claims overlapping it go. Caller holds the lock and
 * has checked that no live claim conflicts.
 */
export function claimSubnet(engine: Engine, subnet: Cidr, id: string): void {
  const p = probe(engine);
  const who = claimant(engine, id);
  removeClaims(
    readClaims().filter((c) => overlaps(c.subnet, subnet) && !isOwn(c, who) && isStale(c, p)),
  );
  writeClaim(subnet, who);
}

/**
 * Make sure `net`'s subnet is claimed for it (a reboot empties `/run`): at every set-up, a
 * read when it is; else claimed now.
 *
 * @throws {ConflictError} when another live store holds it (setting it up would install
 * that store's firewall rules twice and break them at teardown)
 */
export function ensureClaim(engine: Engine, net: NetworkConfig): void {
  const subnet = parseCidr(net.subnets[0].subnet);
  if (hasOwnClaim(subnet, claimant(engine, net.id))) return;
  withClaimsLock(() => {
    const other = heldElsewhere(engine, subnet, net.id);
    if (other) {
      throw new ConflictError(
        `subnet ${
          formatCidr(subnet)
        } of network ${net.name} is in use by another berth store (${other.db}): remove that network or recreate this one`,
      );
    }
    claimSubnet(engine, subnet, net.id);
  });
}

/** Release `net`'s claim (`network rm`, `prune`), if it is this store's. */
export function releaseClaim(engine: Engine, net: NetworkConfig): void {
  const who = claimant(engine, net.id);
  withClaimsLock(() => removeClaims(readClaims().filter((c) => isOwn(c, who))));
}
