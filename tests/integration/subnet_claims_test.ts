/**
 * The host-wide subnet registry with real stores: two stores creating networks at the same
 * time get different subnets; a subnet another live store holds is refused, and taken once
 * that store (or its network) is gone; a store whose subnet another store took while /run
 * was empty (a reboot) refuses to set its network up. Explicit subnets are 10.197.x.0/24,
 * the rest come from the pool; no container traffic at all.
 */
import { assert, assertEquals, assertMatch } from "../unit/assert.ts";
import { busyboxRootfs, type Sandbox, sandbox } from "../helpers.ts";

const CLAIMS = "/run/berth-subnets";
const opts = { sanitizeOps: false, sanitizeResources: false };

async function ok(sb: Sandbox, args: string[]): Promise<string> {
  const r = await sb.berth(args);
  assertEquals(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

async function subnetOf(sb: Sandbox, name: string): Promise<string> {
  return JSON.parse(await ok(sb, ["network", "inspect", name]))[0].subnets[0].subnet;
}

function claimOf(subnet: string): { db: string; network: string } | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(`${CLAIMS}/${subnet.replace("/", "-")}`));
  } catch {
    return undefined;
  }
}

Deno.test(
  "two stores creating networks at once get different subnets, claimed and released",
  opts,
  async () => {
    const a = sandbox(), b = sandbox();
    try {
      const names = ["n1", "n2", "n3"];
      await Promise.all([
        ...names.map((n) => ok(a, ["network", "create", n])),
        ...names.map((n) => ok(b, ["network", "create", n])),
      ]);
      const subnets = [
        ...await Promise.all(names.map((n) => subnetOf(a, n))),
        ...await Promise.all(names.map((n) => subnetOf(b, n))),
      ];
      assertEquals(new Set(subnets).size, 6, `the same subnet twice: ${subnets}`);
      for (const [i, s] of subnets.entries()) {
        assertEquals(claimOf(s)?.db, `${i < 3 ? a.root : b.root}/berth.db`, s);
      }
      await ok(a, ["network", "rm", "n1"]);
      await ok(b, ["network", "prune", "-f"]);
      assertEquals(claimOf(subnets[0]), undefined, "rm releases the claim");
      for (const s of subnets.slice(3)) assertEquals(claimOf(s), undefined, "prune releases");
      assertEquals(claimOf(subnets[1])?.db, `${a.root}/berth.db`);
      await ok(a, ["network", "prune", "-f"]);
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  },
);

Deno.test(
  "a subnet another live store holds is refused; a gone store's or network's is taken",
  opts,
  async () => {
    const a = sandbox(), b = sandbox();
    try {
      await ok(a, ["network", "create", "--subnet", "10.197.1.0/24", "held"]);
      const r = await b.berth(["network", "create", "--subnet", "10.197.1.0/24", "mine"]);
      assertEquals(r.code, 125, r.stderr);
      assertEquals(
        r.stderr,
        "Error: subnet 10.197.1.0/24 is already used on the host or by another config\n",
      );
      const wide = await b.berth(["network", "create", "--subnet", "10.197.0.0/16", "wide"]);
      assertEquals(wide.code, 125, "a wider subnet overlapping it: " + wide.stderr);
      // Store a goes without `network rm`, as the tests' sandboxes do: its claim is stale.
      Deno.removeSync(a.root, { recursive: true });
      await ok(b, ["network", "create", "--subnet", "10.197.1.0/24", "mine"]);
      assertEquals(claimOf("10.197.1.0/24")?.db, `${b.root}/berth.db`);
      // A live store that no longer has the network named: stale too.
      Deno.writeTextFileSync(
        `${CLAIMS}/10.197.2.0-24`,
        JSON.stringify({ db: `${b.root}/berth.db`, network: "f".repeat(64) }),
      );
      // A claim of a store that is gone entirely, on a subnet nobody asks for: removed by
      // the next network create anywhere on the host.
      Deno.writeTextFileSync(
        `${CLAIMS}/10.197.9.0-24`,
        JSON.stringify({ db: `${a.root}/berth.db`, network: "e".repeat(64) }),
      );
      const c = sandbox();
      try {
        await ok(c, ["network", "create", "--subnet", "10.197.2.0/24", "again"]);
        assertEquals(claimOf("10.197.2.0/24")?.db, `${c.root}/berth.db`);
        assertEquals(claimOf("10.197.9.0/24"), undefined, "a stale claim is cleared");
        await ok(c, ["network", "rm", "again"]);
      } finally {
        await c.cleanup();
      }
      await ok(b, ["network", "rm", "mine"]);
      assertEquals(claimOf("10.197.1.0/24"), undefined);
    } finally {
      await a.cleanup().catch(() => {});
      await b.cleanup();
    }
  },
);

Deno.test(
  "after a reboot, a subnet another store took is one clear error at start",
  opts,
  async () => {
    const rootfs = await busyboxRootfs();
    const a = sandbox(), b = sandbox();
    try {
      await ok(a, ["network", "create", "--subnet", "10.197.3.0/24", "net"]);
      // A reboot empties /run: the claim is gone, and store b takes the subnet meanwhile.
      Deno.removeSync(`${CLAIMS}/10.197.3.0-24`);
      await ok(b, ["network", "create", "--subnet", "10.197.3.0/24", "net"]);
      const r = await a.berth(["run", "--rm", "--network", "net", "--rootfs", rootfs, "true"]);
      assertEquals(r.code, 125, r.stderr);
      assertMatch(
        r.stderr,
        /^Error: subnet 10\.197\.3\.0\/24 of network net is in use by another berth store \(.*\): remove that network or recreate this one\n$/,
      );
      assertEquals(claimOf("10.197.3.0/24")?.db, `${b.root}/berth.db`, "b's claim untouched");
      let netns: string[] = [];
      try {
        netns = [...Deno.readDirSync(`${a.runroot}/netns`)].map((e) => e.name);
      } catch { /* never made */ }
      assertEquals(netns, []);
      // Once b lets it go, a claims it again at its next start.
      await ok(b, ["network", "rm", "net"]);
      await ok(a, ["run", "--rm", "--network", "net", "--rootfs", rootfs, "true"]);
      assertEquals(claimOf("10.197.3.0/24")?.db, `${a.root}/berth.db`);
      await ok(a, ["network", "rm", "net"]);
      assert(claimOf("10.197.3.0/24") === undefined);
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  },
);
