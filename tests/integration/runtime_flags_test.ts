/**
 * conmon's sync fd and what rides on it: `--runtime-flag` (passed to every runtime call; a
 * flag the runtime refuses is reported with its own words, exit 126) and `run --preserve-fds`
 * (the container gets berth's fds 3 … 2+N, and nothing of conmon's).
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { busyboxRootfs, MAIN, sandbox } from "../helpers.ts";
import { which } from "../../src/oci/runtime.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("a runtime flag runc refuses: its message, exit 126, nothing left", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const r = await sb.berth([
      "--runtime-flag",
      "invalidflag",
      "run",
      "--rm",
      "--rootfs",
      rootfs,
      "true",
    ]);
    assertEquals(r.code, 126, r.stderr);
    assert(
      r.stderr.includes("Error: flag provided but not defined: -invalidflag\n"),
      r.stderr,
    );
    assertEquals((await sb.berth(["ps", "-a", "-q"])).stdout, "");
    assertEquals((await sb.berth(["--runtime-flag", "", "ps"])).code, 125);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("--runtime-flag reaches every runtime call, conmon's create too", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    const runc = which("runc");
    assert(runc, "runc is not installed");
    const calls = `${sb.dir}/calls`;
    const wrapper = `${sb.dir}/myruntime`;
    Deno.writeTextFileSync(
      wrapper,
      `#!/bin/sh\necho "$*" >>${calls}\nexec ${runc} "$@"\n`,
      { mode: 0o755 },
    );
    const global = [...sb.global, "--runtime", wrapper, "--runtime-flag", "debug"];
    const run = await sb.berth(["run", "-d", "--name", "f", "--rootfs", rootfs, "sleep", "60"], {
      global,
    });
    assertEquals(run.code, 0, run.stderr);
    assertEquals((await sb.berth(["kill", "f"], { global })).code, 0);
    await sb.berth(["wait", "f"], { global });
    assertEquals((await sb.berth(["rm", "f"], { global })).code, 0);
    const lines = Deno.readTextFileSync(calls).trim().split("\n");
    for (const verb of ["create", "start", "kill", "delete"]) {
      const line = lines.find((l) => l.split(" ").includes(verb));
      assert(line, `no ${verb} call in ${JSON.stringify(lines)}`);
      assert(line.startsWith("--debug "), line);
    }
  } finally {
    await sb.cleanup();
  }
});

Deno.test("run --preserve-fds N: the container reads fds 3 … 2+N", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  try {
    Deno.writeTextFileSync(`${sb.dir}/tempfile`, "from fd 4\n");
    const argv = [
      "run",
      "-A",
      "--no-config",
      MAIN,
      ...sb.global,
      "run",
      "--rm",
      "--preserve-fds=2",
      "--rootfs",
      rootfs,
      "sh",
      "-c",
      "cat <&4; ls /proc/self/fd",
    ].map((a) => `'${a}'`).join(" ");
    const out = await new Deno.Command("/bin/sh", {
      args: ["-c", `exec ${Deno.execPath()} ${argv} 3</dev/null 4<'${sb.dir}/tempfile'`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    const [first, ...fds] = stdout.trim().split("\n");
    assertEquals(first, "from fd 4");
    // 0-2, the two passed on, and ls's own directory fd: conmon's sync fd did not leak.
    assertEquals(fds.map(Number).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);

    const missing = await sb.berth(["run", "--preserve-fds=2", "--rootfs", rootfs, "true"]);
    assertEquals(missing.code, 125);
    assert(missing.stderr.includes("file descriptor 3 is not available"), missing.stderr);
    const many = await sb.berth(["run", "--preserve-fds=7", "--rootfs", rootfs, "true"]);
    assertEquals([many.code, many.stderr.startsWith("Error: --preserve-fds")], [125, true]);
    assertEquals((await sb.berth(["ps", "-a", "-q"])).stdout, "");
  } finally {
    await sb.cleanup();
  }
});
