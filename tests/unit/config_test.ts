import { assertEquals } from "./assert.ts";
import { isInsecureRegistry, mergeConfig } from "../../src/config.ts";
import { configCandidates, loadConfig, parseConfigText } from "../../src/config_files.ts";
import { ConfigError } from "../../src/errors.ts";
import { join } from "node:path";

const FILE = "/etc/berth/berth.conf";

Deno.test("a file may set every table berth knows", async () => {
  const text = `# the CI hosts' defaults
[engine]
runtime = "crun"
conmon = "/usr/bin/conmon"
root = "/srv/berth"
runroot = "/run/berth-ci"
log_level = "info"

[registries]
insecure = [
  "localhost:5000",
]
`;
  assertEquals(await parseConfigText(text, FILE), {
    runtime: "crun",
    conmon: "/usr/bin/conmon",
    root: "/srv/berth",
    runroot: "/run/berth-ci",
    logLevel: "info",
    insecureRegistries: ["localhost:5000"],
  });
  assertEquals(await parseConfigText("", FILE), {});
});

Deno.test("a malformed file is one error naming the file and the line", async () => {
  const message = async (text: string) => {
    try {
      await parseConfigText(text, FILE);
      return "";
    } catch (err) {
      assertEquals(err instanceof ConfigError, true);
      return (err as Error).message;
    }
  };
  assertEquals(
    (await message('[engine]\nruntime = "crun"\nroot = \n')).startsWith(`${FILE}:3: invalid TOML`),
    true,
  );
  assertEquals(
    await message('[engine]\nruntime = "crun"\nruntme = "runc"\n'),
    `${FILE}:3: unknown key "engine.runtme" (known: runtime, conmon, root, runroot, log_level)`,
  );
  assertEquals(
    await message("\n[network]\nx = 1\n"),
    `${FILE}:2: unknown table "network" (berth reads [engine], [registries])`,
  );
  assertEquals(
    await message('[engine]\nroot = "var/lib"\n'),
    `${FILE}:2: "engine.root" must be an absolute path, not "var/lib"`,
  );
  assertEquals(
    await message("[engine]\nruntime = 3\n"),
    `${FILE}:2: "engine.runtime" must be a non-empty string`,
  );
  assertEquals(
    await message('[registries]\ninsecure = "localhost:5000"\n'),
    `${FILE}:2: "registries.insecure" must be a list of strings`,
  );
  assertEquals(
    (await message('runtime = "crun"\n')).startsWith(`${FILE}: unknown table "runtime"`),
    true,
  );
});

Deno.test("a registry listed as insecure is reached without verified TLS", () => {
  const config = { insecureRegistries: ["localhost:5000"] };
  assertEquals(isInsecureRegistry(config, "localhost:5000"), true);
  assertEquals(isInsecureRegistry(config, "localhost"), false);
  assertEquals(isInsecureRegistry(undefined, "localhost:5000"), false);
});

Deno.test("a later file's keys win over an earlier file's", () => {
  assertEquals(
    mergeConfig({ runtime: "crun", root: "/a" }, { root: "/b" }),
    { runtime: "crun", root: "/b" },
  );
});

Deno.test("BERTH_CONFIG alone, else /etc then XDG_CONFIG_HOME (or ~/.config)", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assertEquals(configCandidates(env({ BERTH_CONFIG: "/x.conf", HOME: "/root" })), [
    { path: "/x.conf", required: true },
  ]);
  assertEquals(configCandidates(env({ XDG_CONFIG_HOME: "/xdg", HOME: "/root" })), [
    { path: "/etc/berth/berth.conf", required: false },
    { path: "/xdg/berth/berth.conf", required: false },
  ]);
  assertEquals(configCandidates(env({ HOME: "/home/ci" })).at(-1), {
    path: "/home/ci/.config/berth/berth.conf",
    required: false,
  });
});

Deno.test("loadConfig layers the files that exist and reports them; a missing BERTH_CONFIG fails", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(join(dir, "berth"));
    Deno.writeTextFileSync(join(dir, "berth", "berth.conf"), '[engine]\nruntime = "crun"\n');
    const loaded = await loadConfig((name) =>
      ({ XDG_CONFIG_HOME: dir } as Record<string, string>)[name]
    );
    // /etc/berth/berth.conf does not exist on the test machines.
    assertEquals(loaded, {
      config: { runtime: "crun" },
      files: [join(dir, "berth", "berth.conf")],
    });
    const missing = join(dir, "nope.conf");
    let message = "";
    try {
      await loadConfig((name) => (name === "BERTH_CONFIG" ? missing : undefined));
    } catch (err) {
      message = (err as Error).message;
    }
    assertEquals(message, `cannot read configuration file ${missing}: no such file`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
