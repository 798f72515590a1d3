/**
 * The store's lookups at scale (issue #13, lever 5): statements are compiled once per
 * connection, and an ID-prefix lookup is a range search on the primary key, not a scan.
 */
import { join } from "../../src/path.ts";
import { assert, assertEquals } from "./assert.ts";
import { openStore } from "../../src/store/db.ts";
import { getContainer, idsWithPrefix, insertContainer } from "../../src/store/containers.ts";
import { containerRow } from "./fixtures.ts";

Deno.test("prefix lookups use the primary key; statements are reused", () => {
  const dir = Deno.makeTempDirSync({ prefix: "berth-lookup-" });
  const store = openStore(join(dir, "berth.db"));
  try {
    const ids = ["ab12", "ab34", "cd56"].map((p) => p + "0".repeat(60));
    ids.forEach((id, i) =>
      insertContainer(store, { ...containerRow("created"), id, name: `c${i}` })
    );
    assertEquals(idsWithPrefix(store, "ab"), [ids[0], ids[1]]);
    assertEquals(idsWithPrefix(store, "cd5"), [ids[2]]);
    assertEquals(idsWithPrefix(store, "AB"), [], "IDs are lowercase hex");
    assertEquals(idsWithPrefix(store, "a*"), [], "no GLOB pattern from the user");
    const sql = [...(store.statements?.keys() ?? [])].find((s) =>
      s.includes("FROM containers WHERE id")
    );
    assert(sql, "the prefix statement is cached on the store");
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all("ab*", 2) as {
      detail: string;
    }[];
    assert(plan.some((p) => p.detail.startsWith("SEARCH")), JSON.stringify(plan));
    getContainer(store, ids[0]);
    const cached = store.statements!.size;
    for (const id of ids) getContainer(store, id);
    assertEquals(store.statements!.size, cached, "the same SELECT is not compiled again");
  } finally {
    store.db.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
