/**
 * Exec through the API with the real docker CLI: exit codes (read by the CLI from exec
 * inspect right after the stream's EOF), separate stdout and stderr, stdin with `-i`, 127 for
 * a missing command, `-d`; raw: create/start/inspect fields, 409 on a stopped container, 404
 * for an unknown exec.
 *
 * @module
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { importBusybox, startService } from "./service.ts";

Deno.test("api exec: docker exec codes, streams, stdin, -d; inspect; 409 and 404", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const run = await svc.sb.berth(["run", "-d", "--name", "svc", "bb", "sleep", "300"]);
    assertEquals(run.code, 0, run.stderr);

    const r = await svc.docker([
      "exec",
      "-e",
      "FOO=bar",
      "svc",
      "sh",
      "-c",
      "echo out $FOO; echo err >&2; exit 7",
    ]);
    assertEquals([r.code, r.stdout, r.stderr], [7, "out bar\n", "err\n"]);
    // The code must be on record by the time the stream ends, every time.
    for (let i = 0; i < 10; i++) {
      const q = await svc.docker(["exec", "svc", "sh", "-c", `exit ${i + 1}`]);
      assertEquals(q.code, i + 1, q.stderr);
    }
    const cat = await svc.docker(["exec", "-i", "svc", "cat"], { input: "a\nb\n" });
    assertEquals([cat.code, cat.stdout], [0, "a\nb\n"]);
    const wd = await svc.docker([
      "exec",
      "-w",
      "/tmp",
      "-u",
      "65534",
      "svc",
      "sh",
      "-c",
      "pwd; id -u",
    ]);
    assertEquals([wd.code, wd.stdout], [0, "/tmp\n65534\n"]);
    const missing = await svc.docker(["exec", "svc", "/nope"]);
    assertEquals(missing.code, 127, missing.stdout + missing.stderr);
    const detached = await svc.docker(["exec", "-d", "svc", "sh", "-c", "echo d > /tmp/d"]);
    assertEquals(detached.code, 0, detached.stderr);

    // Raw: the record's fields.
    const created = await svc.request("POST", "/v1.44/containers/svc/exec", {
      AttachStdout: true,
      Cmd: ["sh", "-c", "exit 3"],
    });
    assertEquals(created.status, 201, created.text);
    const id = JSON.parse(created.text).Id;
    assert(/^[0-9a-f]{64}$/.test(id), id);
    const before = JSON.parse((await svc.request("GET", `/exec/${id}/json`)).text);
    assertEquals([before.Running, before.ExitCode], [false, null]);
    const started = await svc.request("POST", `/exec/${id}/start`, {});
    assertEquals(started.status, 200);
    const after = JSON.parse((await svc.request("GET", `/exec/${id}/json`)).text);
    assertEquals([after.Running, after.ExitCode, after.ProcessConfig.entrypoint], [false, 3, "sh"]);
    assert(after.Pid > 0, `Pid ${after.Pid}`);
    assertEquals(after.ContainerID.length, 64);
    const again = await svc.request("POST", `/exec/${id}/start`, {});
    assertEquals(again.status, 409);
    assertEquals((await svc.request("GET", "/exec/nosuch/json")).status, 404);

    // A terminal: a raw stream (stderr merged), the create's ConsoleSize, then a resize.
    const tty = await svc.request("POST", "/containers/svc/exec", {
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      ConsoleSize: [40, 120],
      Cmd: ["sh", "-c", "tty; stty size; echo err >&2; sleep 1; stty size; exit 4"],
    });
    const ttyId = JSON.parse(tty.text).Id;
    const resized = (async () => {
      await new Promise((r) => setTimeout(r, 500));
      return (await svc.request("POST", `/exec/${ttyId}/resize?h=50&w=60`)).status;
    })();
    const ttyOut = await svc.request("POST", `/exec/${ttyId}/start`, { Tty: true });
    assertEquals(await resized, 200);
    assertEquals(ttyOut.headers.get("content-type"), "application/vnd.docker.raw-stream");
    assertEquals(ttyOut.text, "/dev/pts/0\r\n40 120\r\nerr\r\n50 60\r\n");
    const ttyInspect = JSON.parse((await svc.request("GET", `/exec/${ttyId}/json`)).text);
    assertEquals([ttyInspect.ExitCode, ttyInspect.ProcessConfig.tty], [4, true]);
    const cliTty = await svc.docker(["exec", "-t", "svc", "sh", "-c", "test -t 1 && exit 9"]);
    assertEquals(cliTty.code, 9);

    assertEquals((await svc.sb.berth(["stop", "-t", "0", "svc"])).code, 0);
    const stopped = await svc.request("POST", "/containers/svc/exec", { Cmd: ["true"] });
    assertEquals(stopped.status, 409, stopped.text);
    assert(JSON.parse(stopped.text).message.includes("is not running"), stopped.text);
    const cliStopped = await svc.docker(["exec", "svc", "true"]);
    assertEquals(cliStopped.code, 1);
  } finally {
    await svc.sb.berth(["rm", "-f", "-t", "0", "svc"]);
    await svc.stop();
  }
});
