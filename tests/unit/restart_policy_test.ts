/** Restart policies: parsing with podman's messages, and the cleanup's decision. */
import { assertEquals, assertThrows } from "./assert.ts";
import { UsageError } from "../../src/errors.ts";
import { parseRestartPolicy, shouldRestart } from "../../src/engine/restart_policy.ts";
import { containerFilter } from "../../src/cli/container_filter.ts";
import type { ContainerRow } from "../../src/store/containers.ts";
import type { ContainerSpec, State } from "../../src/spec.ts";

function row(over: Partial<ContainerRow>, spec: Partial<ContainerSpec> = {}): ContainerRow {
  return {
    id: "a".repeat(64),
    name: "c",
    state: "exited",
    spec: { autoRemove: false, ...spec } as ContainerSpec,
    createdAt: 0,
    incarnation: 1,
    pid: 0,
    conmonPid: 0,
    startedAt: 0,
    finishedAt: 0,
    exitCode: 1,
    error: "",
    stateSince: 0,
    restartCount: 0,
    stoppedByUser: false,
    ...over,
  };
}

Deno.test("parseRestartPolicy takes podman's names and on-failure:N", () => {
  assertEquals(parseRestartPolicy(""), undefined);
  assertEquals(parseRestartPolicy("always"), { name: "always", maxRetries: 0 });
  assertEquals(parseRestartPolicy("on-failure:3"), { name: "on-failure", maxRetries: 3 });
  for (const bad of ["bogus", "always:2", "on-failure:x", "on-failure:-1", "on-failure:1:2"]) {
    assertThrows(() => parseRestartPolicy(bad), UsageError);
  }
});

Deno.test("shouldRestart: never after stop or with --rm; on-failure counts retries", () => {
  const always = { restartPolicy: { name: "always" as const, maxRetries: 0 } };
  const onFailure = { restartPolicy: { name: "on-failure" as const, maxRetries: 2 } };
  assertEquals(shouldRestart(row({})), false);
  assertEquals(shouldRestart(row({ exitCode: 0 }, always)), true);
  assertEquals(shouldRestart(row({ stoppedByUser: true }, always)), false);
  assertEquals(shouldRestart(row({}, { ...always, autoRemove: true })), false);
  assertEquals(shouldRestart(row({ exitCode: 0 }, onFailure)), false);
  assertEquals(shouldRestart(row({ restartCount: 1 }, onFailure)), true);
  assertEquals(shouldRestart(row({ restartCount: 2 }, onFailure)), false);
  assertEquals(
    shouldRestart(
      row({ restartCount: 9 }, { restartPolicy: { name: "on-failure", maxRetries: 0 } }),
    ),
    true,
  );
});

Deno.test("container filters: values of a key are alternatives, keys all apply", () => {
  const at = (state: State, exitCode: number | null, name = "c") => row({ state, exitCode, name });
  const names = (filters: string[], rows: ContainerRow[]) =>
    rows.filter(containerFilter(filters).test).map((r) => r.name);
  const rows = [
    at("running", null, "up"),
    at("stopped", 0, "ok"),
    at("exited", 1, "bad"),
    at("initialized", null, "init"),
    at("created", null, "new"),
  ];
  assertEquals(names(["status=stopped"], rows), ["ok", "bad"]);
  assertEquals(names(["status=created"], rows), ["init", "new"]);
  assertEquals(names(["status=exited", "status=running"], rows), ["up", "ok", "bad"]);
  assertEquals(names(["status=exited", "exited=1"], rows), ["bad"]);
  assertEquals(names(["name=up", "name=new"], rows), ["up", "new"]);
  assertEquals(names(["restart-policy=none"], rows).length, 5);
  assertEquals(
    assertThrows(() => containerFilter(["restart-policy=x"]), UsageError).message,
    "x invalid restart policy",
  );
  assertEquals(
    assertThrows(() => containerFilter(["bogus=1"]), UsageError).message,
    "bogus is an invalid filter",
  );
  assertEquals(
    assertThrows(() => containerFilter(["status=nope"]), UsageError).message,
    "unknown container state: nope",
  );
});
