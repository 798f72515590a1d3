/**
 * The engine's create refuses what the host cannot grant, whichever front end asks: a
 * `--ulimit` above the host's hard limit is a typed error and leaves nothing behind.
 */
import { join } from "node:path";
import { assertEquals, assertThrows } from "./assert.ts";
import { openEngine } from "../../src/engine/context.ts";
import { createContainer } from "../../src/engine/create.ts";
import { listContainers } from "../../src/store/containers.ts";
import { UlimitAboveHostError } from "../../src/errors.ts";
import { hostHardLimits, readProcLimits } from "../../src/oci/limits.ts";
import { SPEC } from "./fixtures.ts";

Deno.test("create refuses a ulimit above the host's hard limit, records nothing", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "berth-create-" });
  const engine = await openEngine({
    root: join(dir, "root"),
    runroot: join(dir, "run"),
    runtime: "runc",
    logLevel: "error",
    rawArgs: [],
  });
  try {
    const max = hostHardLimits(readProcLimits()).RLIMIT_NOFILE;
    const spec = (hard: number) => ({
      ...SPEC,
      ulimits: [{ type: "RLIMIT_NOFILE", soft: 1, hard }],
    });
    const err = assertThrows(
      () => createContainer(engine, spec(max + 1), "toomany"),
      UlimitAboveHostError,
    );
    assertEquals(err.message, `ulimit nofile: hard limit ${max + 1} exceeds the host's ${max}`);
    assertEquals(listContainers(engine.store), []);
    assertEquals(createContainer(engine, spec(max), "enough").name, "enough");
    assertEquals(listContainers(engine.store).map((r) => r.name), ["enough"]);
  } finally {
    engine.store.db.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
