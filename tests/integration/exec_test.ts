/**
 * `exec` runs a command in a running container through the runtime's own exec: status,
 * streams, environment, user and working directory as podman's `exec` gives them.
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, eventually, sandbox } from "../helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("exec: code, streams, env, user, workdir; 125/126/127; -i and -d", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  const shared = Deno.makeTempDirSync();
  try {
    Deno.chmodSync(shared, 0o777);
    const svc = await sb.berth([
      "run",
      "-d",
      "--name",
      "svc",
      "-e",
      "FOO=from-run",
      "-v",
      `${shared}:/shared`,
      "--rootfs",
      rootfs,
      "sleep",
      "300",
    ]);
    assertEquals(svc.code, 0, svc.stderr);

    const r = await sb.berth(["exec", "svc", "sh", "-c", "echo out $FOO; echo err >&2; exit 7"]);
    assertEquals([r.code, r.stdout, r.stderr], [7, "out from-run\n", "err\n"]);
    // In the container: its cgroup (the same as PID 1's, in its cgroup namespace), its hostname; -e, -w and -u change only this process.
    const inside = await sb.berth([
      "exec",
      "-e",
      "FOO=from-exec",
      "-w",
      "/tmp",
      "-u",
      "65534",
      "svc",
      "sh",
      "-c",
      'echo "$FOO $(pwd) $(id -u) $HOSTNAME"; [ "$(cat /proc/self/cgroup)" = "$(cat /proc/1/cgroup)" ] && echo 1',
    ]);
    assertEquals(inside.code, 0, inside.stderr);
    const [line, cgroups] = inside.stdout.split("\n");
    assertEquals(line, `from-exec /tmp 65534 ${Deno.hostname()}`);
    assert(Number(cgroups) > 0, "the process runs in the container's cgroup");
    // A signal death is 128+N, as for run.
    assertEquals((await sb.berth(["exec", "svc", "sh", "-c", "kill -9 $$"])).code, 137);

    // Commands that cannot run: one Error line, 127 / 126, nothing else on stderr.
    const missing = await sb.berth(["exec", "svc", "/nope"]);
    assertEquals(missing.code, 127);
    assert(/^Error: .*\/nope.*\n$/.test(missing.stderr), missing.stderr);
    const dir = await sb.berth(["exec", "svc", "/etc"]);
    assertEquals(dir.code, 126);
    assert(/^Error: .*permission denied\n$/.test(dir.stderr), dir.stderr);
    // The same through crun (its messages have another shape): still one Error line.
    const crun = [...sb.global, "--runtime", "crun"];
    await sb.berth(["run", "-d", "--name", "csvc", "--rootfs", rootfs, "sleep", "300"], {
      global: crun,
    });
    const crunMissing = await sb.berth(["exec", "csvc", "/nope"], { global: crun });
    assertEquals(crunMissing.code, 127);
    assert(/^Error: [^\n]*\/nope[^\n]*\n$/.test(crunMissing.stderr), crunMissing.stderr);
    const crunCode = await sb.berth(["exec", "csvc", "sh", "-c", "echo e >&2; exit 5"], {
      global: crun,
    });
    assertEquals([crunCode.code, crunCode.stderr], [5, "e\n"]);
    await sb.berth(["rm", "-f", "-t", "0", "csvc"], { global: crun });
    // Engine errors: 125.
    const nosuch = await sb.berth(["exec", "nosuch", "true"]);
    assertEquals([nosuch.code, nosuch.stderr.split("\n").length], [125, 2]);
    await sb.berth(["create", "--name", "idle", "--rootfs", rootfs, "true"]);
    const idle = await sb.berth(["exec", "idle", "true"]);
    assertEquals(idle.code, 125);
    assert(idle.stderr.includes("can only create exec sessions on running containers"));
    assertEquals((await sb.berth(["exec", "svc"])).code, 125);

    // -i: stdin byte-exact and closed at its end; without -i, no stdin at all.
    const input = new Uint8Array(300_000);
    for (let i = 0; i < input.length; i += 65536) {
      crypto.getRandomValues(input.subarray(i, i + 65536));
    }
    const echoed = await sb.berth(["exec", "-i", "svc", "cat"], { input });
    assertEquals(echoed.code, 0);
    assertEquals(echoed.stdoutBytes.length, input.length);
    assert(echoed.stdoutBytes.every((b, i) => b === input[i]), "stdin came back byte for byte");
    const noInput = await sb.berth(["exec", "svc", "cat"], { timeoutMs: 10_000 });
    assertEquals([noInput.code, noInput.stdout], [0, ""]);

    // -d: back at once; the process runs on in the container.
    const detached = await sb.berth([
      "exec",
      "-d",
      "svc",
      "sh",
      "-c",
      "sleep 0.3; echo done > /shared/flag",
    ]);
    assertEquals(detached.code, 0, detached.stderr);
    const flag = () => {
      try {
        return Deno.readTextFileSync(`${shared}/flag`);
      } catch {
        return "";
      }
    };
    await eventually(() => flag() === "done\n");
    assertEquals(flag(), "done\n");
    // The container itself is untouched by all of this.
    assertEquals(
      (await sb.berth(["inspect", "--format", "{{.State.Status}}", "svc"])).stdout,
      "running\n",
    );
  } finally {
    await sb.cleanup();
    Deno.removeSync(shared, { recursive: true });
  }
});
