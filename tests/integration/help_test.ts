/**
 * `--help` through the real CLI: `berth run --help`, `berth help ps` and `berth --help` print
 * podman's layout from the flag tables, wrapped to 80 columns when stdout is no terminal, exit
 * 0, and open no store.
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { MAIN, sandbox } from "../helpers.ts";
import { pathExists } from "../../src/fs.ts";
import { COMMANDS } from "../../src/cli/registry.ts";
import { commandHelp } from "../../src/cli/help.ts";
import { usage } from "../../main.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

Deno.test(
  "berth run --help: every run flag, with types, defaults and meaning, in 80 columns",
  opts,
  async () => {
    const sb = sandbox();
    try {
      const r = await sb.berth(["run", "--help"]);
      assertEquals([r.code, r.stderr], [0, ""]);
      const flags = (await COMMANDS.run.load()).flags;
      assertEquals(r.stdout, commandHelp(COMMANDS.run, flags, 80));
      assert(r.stdout.startsWith("Run a command in a new container\n\nDescription:\n"), r.stdout);
      for (const section of ["Usage:", "Aliases:", "Examples:", "Options:"]) {
        assert(r.stdout.includes(`\n\n${section}\n`), section);
      }
      assert(/\n {2}-d, --detach +Run the container in the background/.test(r.stdout), r.stdout);
      assert(/\n {6}--stop-timeout uint +Seconds to wait/.test(r.stdout), r.stdout);
      assert(/-e, --env stringArray/.test(r.stdout), r.stdout);
      assert(/\(default\s+"host"\)/.test(r.stdout), "the default network is stated");
      assert(/\(default\s+true\)/.test(r.stdout), "sig-proxy's default is stated");
      assert(!/--net /.test(r.stdout) && !/--help/.test(r.stdout.split("Options:")[1]));
      for (const line of r.stdout.split("\n")) assert(line.length <= 80, line);
      assert(!pathExists(sb.root), "help opened no store");
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("berth help ps is berth ps --help (and container ls --help)", opts, async () => {
  const sb = sandbox();
  try {
    const help = await sb.berth(["help", "ps"]);
    assertEquals([help.code, help.stderr], [0, ""]);
    assert(help.stdout.startsWith("List containers\n\nDescription:\n"), help.stdout);
    assert(/\n {2}-a, --all +Show all the containers/.test(help.stdout), help.stdout);
    assert(/\n {2}-n, --last int +Show only[^]*?\(default -1\)/.test(help.stdout), help.stdout);
    assert(/--sort choice +Sort by: [^]*?\(default "created"\)/.test(help.stdout), help.stdout);
    assertEquals((await sb.berth(["ps", "--help"])).stdout, help.stdout);
    assertEquals((await sb.berth(["container", "ls", "--help"])).stdout, help.stdout);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("berth --help: every command, then the global flags", opts, async () => {
  const sb = sandbox();
  try {
    const r = await sb.berth(["--help"]);
    assertEquals([r.code, r.stderr], [0, ""]);
    assertEquals(r.stdout, usage(80));
    assert(/\nAvailable Commands:\n {2}run +Run a command in a new container\n/.test(r.stdout));
    assert(/\n {2}system prune +Remove stopped containers/.test(r.stdout), r.stdout);
    assert(/\nOptions:\n/.test(r.stdout), r.stdout);
    assert(/\n {6}--root string +Persistent state/.test(r.stdout), r.stdout);
    assert(/\n {6}--log-level string +Log messages/.test(r.stdout), r.stdout);
    assert(/\n {2}-v, --version +Print berth's version/.test(r.stdout), r.stdout);
    assertEquals((await sb.berth(["help"])).stdout, r.stdout);
    for (const line of r.stdout.split("\n")) assert(line.length <= 80, line);
  } finally {
    await sb.cleanup();
  }
});

Deno.test(
  "on a terminal, help wraps to its width (script(1) gives berth one of 60 columns)",
  opts,
  async () => {
    const sb = sandbox();
    try {
      const berth = [
        Deno.execPath(),
        "run",
        "-A",
        "--no-config",
        MAIN,
        ...sb.global,
        "help",
        "kill",
      ];
      const quoted = berth.map((a) => `'${a}'`).join(" ");
      const r = await new Deno.Command("script", {
        args: ["-qec", `stty cols 60 rows 40; ${quoted}`, "/dev/null"],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
      // The terminal's carriage returns, and any cursor control before the text, are not help.
      const text = new TextDecoder().decode(r.stdout).replaceAll("\r", "");
      const help = text.slice(text.indexOf("Send a signal"));
      const flags = (await COMMANDS.kill.load()).flags;
      assertEquals(help, commandHelp(COMMANDS.kill, flags, 60));
      assert(help !== commandHelp(COMMANDS.kill, flags, 80), "the width changed the text");
    } finally {
      await sb.cleanup();
    }
  },
);
