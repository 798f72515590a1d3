import { assertEquals } from "./assert.ts";
import { execProcess, RUNTIME_FAILURE } from "../../src/engine/exec.ts";

Deno.test("an exec's process is the container's, with the request's changes", () => {
  const base = {
    terminal: false,
    user: { uid: 0, gid: 0, additionalGids: [10] },
    args: ["sleep", "300"],
    env: ["PATH=/bin", "FOO=ctr", "HOSTNAME=h"],
    cwd: "/",
    capabilities: { bounding: ["CAP_CHOWN"] },
  };
  const req = { command: ["sh"], env: [], tty: false, detach: false };
  assertEquals(execProcess(base, req), { ...base, args: ["sh"] });
  const changed = execProcess(
    base,
    { ...req, env: ["FOO=exec", "NEW=1"], workdir: "/tmp", tty: true },
    { uid: 65534, gid: 65534 },
  );
  assertEquals(changed.env, ["PATH=/bin", "FOO=exec", "HOSTNAME=h", "NEW=1"]);
  assertEquals(changed.cwd, "/tmp");
  assertEquals(changed.terminal, true);
  assertEquals(changed.user, { uid: 65534, gid: 65534 });
  assertEquals(changed.capabilities, base.capabilities);
});

Deno.test("the runtimes' own failure lines are recognised, ordinary output is not", () => {
  for (
    const line of [
      'exec failed: unable to start container process: exec: "/nope": stat /nope: no such file or directory\n',
      "open executable: Operation not permitted\n",
      "executable file `/nope` not found in $PATH: No such file or directory\n",
      'time="2026-11-29T05:00:00Z" level=error msg="x"\n',
    ]
  ) assertEquals(RUNTIME_FAILURE.test(line), true, line);
  for (
    const line of ["err\n", "compiling…\nx: No such file or directory\n", "warning: deprecated\n"]
  ) {
    assertEquals(RUNTIME_FAILURE.test(line), false, line);
  }
});
