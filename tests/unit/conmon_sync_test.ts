import { assertEquals } from "./assert.ts";
import {
  conmonArgs,
  conmonLauncher,
  isInheritedFd,
  syncFailure,
} from "../../src/monitor/conmon.ts";

Deno.test("conmon launcher: sync fd after the preserved ones, other small fds closed", () => {
  assertEquals(
    conmonLauncher(0),
    'exec 4>&-; exec 5>&-; exec 6>&-; exec 7>&-; exec 8>&-; exec 9>&-; f=$1; shift; exec "$0" "$@" 3>"$f"',
  );
  assertEquals(
    conmonLauncher(6),
    "[ -e /proc/self/fd/3 ] || exec 3</dev/null; [ -e /proc/self/fd/4 ] || exec 4</dev/null; " +
      "[ -e /proc/self/fd/5 ] || exec 5</dev/null; [ -e /proc/self/fd/6 ] || exec 6</dev/null; " +
      "[ -e /proc/self/fd/7 ] || exec 7</dev/null; [ -e /proc/self/fd/8 ] || exec 8</dev/null; " +
      'f=$1; shift; exec "$0" "$@" 9>"$f"',
  );
});

Deno.test("syncFailure: conmon's -1 message; a PID or a partial line is no failure", () => {
  assertEquals(syncFailure('{"data": 1234}\n'), undefined);
  assertEquals(syncFailure('{"data": -1, "message": "bad flag\\n"}\n'), "bad flag\n");
  assertEquals(syncFailure('{"data": -1, "mess'), undefined);
  assertEquals(syncFailure(""), undefined);
});

Deno.test("isInheritedFd: files Deno opens are close-on-exec, so never inherited", () => {
  const list = () => new Set([...Deno.readDirSync("/proc/self/fd")].map((e) => Number(e.name)));
  const before = list();
  const f = Deno.openSync("/dev/null");
  try {
    const opened = [...list()].filter((fd) => !before.has(fd));
    assertEquals(opened.length > 0, true);
    for (const fd of opened) assertEquals(isInheritedFd(fd), false, `fd ${fd}`);
    assertEquals(isInheritedFd(99999), false);
  } finally {
    f.close();
  }
});

Deno.test("conmonArgs: --preserve-fds as podman 4.3 passes it", () => {
  const args = conmonArgs({
    id: "c",
    name: "n",
    runtimePath: "/r",
    runtimeArgs: [],
    bundle: "/b",
    pidFile: "/p",
    conmonPidFile: "/cp",
    exitDir: "/e",
    logPath: "/l",
    timeout: 0,
    preserveFds: 2,
    exitCommand: ["/x"],
  });
  const at = args.indexOf("--runtime-opt");
  assertEquals(args.slice(at, at + 4), ["--runtime-opt", "--preserve-fds", "--runtime-opt", "2"]);
});
