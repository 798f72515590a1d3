import { join } from "node:path";
import { assert, assertEquals, assertThrows } from "./assert.ts";
import { immediate, openStore } from "../../src/store/db.ts";
import { DatabaseError } from "../../src/errors.ts";

Deno.test("every statement's error names the database: prepare, get, all, run, exec", () => {
  const dir = Deno.makeTempDirSync({ prefix: "berth-db-" });
  const path = join(dir, "berth.db");
  const store = openStore(path);
  try {
    // json() fails while the statement steps, not when it is prepared.
    const bad = store.db.prepare("SELECT json(?) AS j");
    const calls: [string, () => unknown][] = [
      ["prepare", () => store.db.prepare("SELECT * FROM no_such_table")],
      ["exec", () => store.db.exec("INSERT INTO no_such_table VALUES (1)")],
      ["get", () => bad.get("{not json")],
      ["all", () => bad.all("{not json")],
      ["run", () => bad.run("{not json")],
      ["immediate", () => immediate(store, () => bad.get("{not json"))],
    ];
    for (const [what, fn] of calls) {
      const err = assertThrows(fn, DatabaseError);
      assert(err.message.startsWith(`database ${path}: `), `${what}: ${err.message}`);
    }
    // Good statements still answer as before.
    // node:sqlite rows have a null prototype: spread to compare with a literal.
    assertEquals({ ...bad.get('{"a":1}') }, { j: '{"a":1}' });
  } finally {
    store.db.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
