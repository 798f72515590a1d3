import { assert, assertEquals } from "./assert.ts";
import {
  currentInvocation,
  exitCommand,
  filePath,
  isCompiled,
} from "../../src/monitor/exit_command.ts";
import { conmonArgs } from "../../src/monitor/conmon.ts";
import { terminalEndOfInput } from "../../src/monitor/attach_socket.ts";
import { parseProcStat } from "../../src/monitor/proc.ts";
import { parseExitStatus } from "../../src/engine/sync.ts";
import { parseLimits } from "../../src/oci/limits.ts";
import { cleanRuntimeMessage, lastRuntimeError } from "../../src/oci/runtime.ts";
import { runtimeStartError } from "../../src/errors.ts";

Deno.test("exit command under deno run: deno, permissions, absolute main.ts, flags as given", () => {
  const argv = exitCommand(
    { execPath: "/usr/bin/deno", mainModule: "file:///src/berth/main.ts", standalone: false },
    ["--root", "./rel/root", "--runroot=rr"],
    "abc",
    true,
  );
  assertEquals(argv, [
    "/usr/bin/deno",
    "run",
    "-A",
    "--no-config",
    "/src/berth/main.ts",
    "--root",
    "./rel/root",
    "--runroot=rr",
    "container",
    "cleanup",
    "--rm",
    "abc",
  ]);
});

Deno.test("exit command when compiled: the binary itself", () => {
  const self = {
    execPath: "/usr/local/bin/berth",
    mainModule: "file:///tmp/deno-compile-berth/main.ts",
    standalone: true,
  };
  assert(isCompiled(self));
  assertEquals(exitCommand(self, [], "id", false), [
    "/usr/local/bin/berth",
    "container",
    "cleanup",
    "id",
  ]);
});

Deno.test("compiled or not is Deno.build.standalone, never the executable's name", () => {
  // A deno installed under another name still needs `run -A main.ts`…
  const renamedDeno = {
    execPath: "/opt/deno-2.9/bin/deno2",
    mainModule: "file:///src/berth/main.ts",
    standalone: false,
  };
  assert(!isCompiled(renamedDeno));
  assertEquals(exitCommand(renamedDeno, [], "id", false).slice(0, 5), [
    "/opt/deno-2.9/bin/deno2",
    "run",
    "-A",
    "--no-config",
    "/src/berth/main.ts",
  ]);
  // …and a compiled berth binary named `deno` must not be given deno's arguments.
  const compiledAsDeno = {
    execPath: "/usr/local/bin/deno",
    mainModule: "file:///tmp/deno-compile-deno/main.ts",
    standalone: true,
  };
  assert(isCompiled(compiledAsDeno));
  assertEquals(exitCommand(compiledAsDeno, [], "id", true), [
    "/usr/local/bin/deno",
    "container",
    "cleanup",
    "--rm",
    "id",
  ]);
  // This test process runs under `deno test`: not standalone.
  assertEquals(currentInvocation().standalone, false);
});

Deno.test("conmon args carry the exit command one argument at a time", () => {
  const args = conmonArgs({
    id: "i",
    name: "n",
    runtimePath: "/usr/sbin/runc",
    runtimeArgs: ["--root", "/r"],
    bundle: "/b",
    pidFile: "/p",
    conmonPidFile: "/cp",
    exitDir: "/e",
    logPath: "/l",
    timeout: 5,
    exitCommand: ["/deno", "run", "x y"],
  });
  const s = args.join(" ");
  assert(s.includes("--runtime-arg --root --runtime-arg /r"), s);
  assert(s.includes("--timeout 5"), s);
  assert(s.endsWith("--exit-command /deno --exit-command-arg run --exit-command-arg x y"), s);
  assert(s.includes("-l k8s-file:/l"), s);
  assert(!s.includes("--terminal") && !s.includes("--stdin"), s);
  const tty = conmonArgs({
    id: "i",
    name: "n",
    runtimePath: "/usr/sbin/runc",
    runtimeArgs: [],
    bundle: "/b",
    pidFile: "/p",
    conmonPidFile: "/cp",
    exitDir: "/e",
    logPath: "/l",
    timeout: 0,
    stdin: true,
    terminal: true,
    exitCommand: ["/deno"],
  });
  assert(tty.includes("--terminal") && tty.includes("--stdin"), tty.join(" "));
  assert(!tty.includes("--timeout"), tty.join(" "));
});

Deno.test("end of input on a terminal: ^D, twice after an unfinished line", () => {
  assertEquals([...terminalEndOfInput(undefined)], [4]);
  assertEquals([...terminalEndOfInput(10)], [4]);
  assertEquals([...terminalEndOfInput(99)], [4, 4]);
});

Deno.test("proc stat parsing survives odd command names", () => {
  assertEquals(parseProcStat("42 (a) b) Z 1 42").state, "Z");
  assertEquals(parseProcStat("7 (conmon) S 1 7").comm, "conmon");
});

Deno.test("exit file contents", () => {
  assertEquals(parseExitStatus("0"), 0);
  assertEquals(parseExitStatus("137"), 137);
  assertEquals(parseExitStatus("-1"), -1);
  assertEquals(parseExitStatus(""), undefined);
  assertEquals(parseExitStatus("12a"), undefined);
  assertEquals(parseExitStatus("300"), undefined);
});

Deno.test("rlimits come from the caller's own limits", () => {
  const text = `Limit                     Soft Limit           Hard Limit           Units
Max processes             96364                96364                processes
Max open files            1024                 20000                files
Max locked memory         unlimited            unlimited            bytes`;
  assertEquals(parseLimits(text), [
    { type: "RLIMIT_NPROC", soft: 96364, hard: 96364 },
    { type: "RLIMIT_NOFILE", soft: 1024, hard: 20000 },
  ]);
});

Deno.test("runtime errors: JSON log, logrus text, and 126/127 classification", () => {
  const log =
    '{"level":"warning","msg":"w"}\n{"level":"error","msg":"exec: \\"/x\\": no such file or directory"}\n';
  assertEquals(lastRuntimeError(log), 'exec: "/x": no such file or directory');
  assertEquals(
    cleanRuntimeMessage('time="t" level=error msg="container does not exist"'),
    "container does not exist",
  );
  assertEquals(runtimeStartError("stat /x: no such file or directory").exitCode, 127);
  assertEquals(runtimeStartError("executable file not found in $PATH").exitCode, 127);
  assertEquals(runtimeStartError('exec: "/etc": permission denied').exitCode, 126);
  assertEquals(runtimeStartError("something else").exitCode, 126);
});

Deno.test("sockaddr_un: family 1, path, NUL; too long is refused", async () => {
  const { sockaddrUn } = await import("../../src/monitor/attach_socket.ts");
  const a = sockaddrUn("/proc/self/fd/7/attach");
  assertEquals([a[0], a[1]], [1, 0]);
  assertEquals(new TextDecoder().decode(a.subarray(2, a.length - 1)), "/proc/self/fd/7/attach");
  assertEquals(a[a.length - 1], 0);
  let threw = false;
  try {
    sockaddrUn("/" + "x".repeat(120));
  } catch {
    threw = true;
  }
  assert(threw);
});

Deno.test("filePath: a file URL's path, percent-decoded; other URLs refused", () => {
  assertEquals(filePath("file:///src/my%20berth/main.ts"), "/src/my berth/main.ts");
  let threw = false;
  try {
    filePath("https://example.com/main.ts");
  } catch {
    threw = true;
  }
  assert(threw);
});
