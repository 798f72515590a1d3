/** Stages, meta ARGs, targets and the stages a target needs; config-only instructions. */
import { assertEquals, assertThrows } from "./assert.ts";
import { parseContainerfile } from "../../src/build/parse.ts";
import { planBuild } from "../../src/build/stages.ts";
import {
  applyConfigInstruction,
  argEnv,
  parseDuration,
  type StageState,
  stageVars,
} from "../../src/build/instructions.ts";
import { BuildError } from "../../src/errors.ts";

const FILE = `ARG TAG=1
ARG BASE=busybox
FROM $BASE:$TAG AS one
RUN a
FROM scratch AS unused
FROM one AS two
COPY --from=0 /x /y
FROM busybox
COPY --from=two /y /z
`;

Deno.test("planBuild: meta ARGs in FROM, --build-arg wins, only needed stages", () => {
  const plan = planBuild(parseContainerfile(FILE), new Map([["TAG", "2"]]));
  assertEquals(plan.stages.map((s) => [s.name, s.base, s.baseStage]), [
    ["one", "busybox:2", undefined],
    ["unused", "scratch", undefined],
    ["two", "one", 0],
    [undefined, "busybox", undefined],
  ]);
  assertEquals(plan.needed, [0, 2, 3]);
  assertEquals(planBuild(parseContainerfile(FILE), new Map(), "ONE").needed, [0]);
});

Deno.test("planBuild: a missing target or FROM is an error", () => {
  const e = assertThrows(() => planBuild(parseContainerfile(FILE), new Map(), "x"), BuildError);
  assertEquals(e.message, 'The target "x" was not found in the provided Dockerfile');
  assertThrows(() => planBuild(parseContainerfile("RUN a\n"), new Map()), BuildError);
});

function state(): StageState {
  return { config: { Env: ["PATH=/bin"] }, args: new Map(), cmdSet: false, escape: "\\" };
}

function apply(s: StageState, text: string, buildArgs = new Map<string, string>()) {
  for (const ins of parseContainerfile(text).instructions) {
    applyConfigInstruction(ins, s, buildArgs, new Map([["META", "m"]]));
  }
}

Deno.test("config instructions: ARG scoping and defaults, ENV over ARG, ENV sees the line before", () => {
  const s = state();
  apply(s, "ARG V=1\nARG META\nARG UNSET\nENV V=env X=$V\nENV Y=$X\n", new Map([["V", "cli"]]));
  assertEquals(s.config.Env, ["PATH=/bin", "V=env", "X=cli", "Y=cli"]);
  assertEquals(stageVars(s).get("V"), "env");
  assertEquals(stageVars(s).get("META"), "m");
  assertEquals(stageVars(s).has("UNSET"), false);
  assertEquals(argEnv(s), ["META=m"]); // V is an ENV too
});

Deno.test("config instructions: WORKDIR, ENTRYPOINT/CMD forms, EXPOSE, VOLUME, LABEL, HEALTHCHECK", () => {
  const s = state();
  s.config.Cmd = ["inherited"];
  apply(
    s,
    [
      "WORKDIR /a",
      "WORKDIR b",
      "ENTRYPOINT run it",
      "EXPOSE 80 53/UDP",
      'VOLUME ["/v1"] ',
      "VOLUME /v2 /v3",
      'LABEL a=1 "b c"=2',
      "STOPSIGNAL SIGINT",
      "HEALTHCHECK --interval=1m30s --retries=2 CMD curl x",
      "ONBUILD RUN echo child",
    ].join("\n"),
  );
  assertEquals(s.config.WorkingDir, "/a/b");
  assertEquals(s.config.Entrypoint, ["/bin/sh", "-c", "run it"]);
  assertEquals(s.config.Cmd, null); // an ENTRYPOINT drops an inherited CMD
  assertEquals(s.config.ExposedPorts, { "80/tcp": {}, "53/udp": {} });
  assertEquals(Object.keys(s.config.Volumes ?? {}), ["/v1", "/v2", "/v3"]);
  assertEquals(s.config.Labels, { a: "1", "b c": "2" });
  assertEquals(s.config.StopSignal, "SIGINT");
  assertEquals(s.config.Healthcheck, { Test: ["CMD-SHELL", "curl x"], Interval: 90e9, Retries: 2 });
  assertEquals(s.config.OnBuild, ["RUN echo child"]);
  apply(s, 'CMD ["x"]\nENTRYPOINT ["e"]\n');
  assertEquals([s.config.Cmd, s.config.Entrypoint], [["x"], ["e"]]);
  assertEquals(parseDuration("500ms", 1), 5e8);
  assertThrows(() => apply(s, "SHELL sh -c\n"), BuildError);
});

Deno.test("planBuild: FROM --platform must be the host's (platform ARGs expand in it)", () => {
  const pre = new Map([["TARGETPLATFORM", "linux/amd64"], ["BUILDPLATFORM", "linux/amd64"]]);
  const ok = planBuild(
    parseContainerfile("FROM --platform=$BUILDPLATFORM x\n"),
    new Map(),
    undefined,
    pre,
  );
  assertEquals(ok.stages[0].base, "x");
  const e = assertThrows(
    () =>
      planBuild(parseContainerfile("FROM --platform=linux/s390x x\n"), new Map(), undefined, pre),
    BuildError,
  );
  assertEquals(e.message, "line 1: FROM --platform=linux/s390x: berth builds only for linux/amd64");
});
