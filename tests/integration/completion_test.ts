/**
 * Shell completion, through the real bash: the script `berth completion bash` prints, loaded
 * into bash, completes commands, flags, and the containers and images of the store named on the
 * line.
 */
import { assertEquals, assertMatch } from "../unit/assert.ts";
import { busyboxRootfs, MAIN, sandbox } from "../helpers.ts";
import { join } from "node:path";

const opts = { sanitizeResources: false, sanitizeOps: false };

/** What bash's completion offers for `line` (the cursor at its end), through the script. */
async function bashComplete(berthPath: string, script: string, words: string[]): Promise<string[]> {
  const program = [
    script,
    `COMP_WORDS=(${[berthPath, ...words].map((w) => `'${w}'`).join(" ")})`,
    `COMP_CWORD=${words.length}`,
    "_berth",
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join("\n");
  const out = await new Deno.Command("bash", { args: ["-c", program], stdout: "piped" }).output();
  assertEquals(out.code, 0);
  return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean);
}

Deno.test("bash completion offers commands, flags, containers and images", opts, async () => {
  const sb = sandbox();
  try {
    const rootfs = await busyboxRootfs();
    const berth = join(sb.dir, "berth");
    Deno.writeTextFileSync(
      berth,
      `#!/bin/sh\nexec '${Deno.execPath()}' run -A --no-config '${MAIN}' "$@"\n`,
      { mode: 0o755 },
    );
    const script = (await sb.berth(["completion", "bash"])).stdout;
    assertMatch(script, /complete -o default -F _berth berth/);
    assertEquals(
      (await sb.berth(["create", "--name", "webcache", "--rootfs", rootfs, "true"])).code,
      0,
    );
    const id = (await sb.berth(["ps", "-aq"])).stdout.trim();
    const tar = join(sb.dir, "img.tar");
    await new Deno.Command("tar", { args: ["-C", rootfs, "-cf", tar, "."] }).output();
    assertEquals((await sb.berth(["import", tar, "localhost/wobble:1"])).code, 0);

    assertEquals(await bashComplete(berth, script, ["sta"]), ["start"]);
    assertEquals(await bashComplete(berth, script, ["container", "insp"]), ["inspect"]);
    assertEquals(await bashComplete(berth, script, [...sb.global, "rm", "--fo"]), ["--force"]);
    assertEquals(await bashComplete(berth, script, [...sb.global, "rm", "web"]), ["webcache"]);
    assertEquals(await bashComplete(berth, script, [...sb.global, "stop", id.slice(0, 4)]), [
      id.slice(0, 12),
    ]);
    assertEquals(await bashComplete(berth, script, [...sb.global, "rmi", "local"]), [
      "localhost/wobble:1",
    ]);
    // The hidden command is never offered, and a value flag's argument is left to the shell.
    assertEquals(await bashComplete(berth, script, ["__"]), []);
    assertEquals(await bashComplete(berth, script, [...sb.global, "run", "--name", ""]), []);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("fish completes through its script; zsh's script parses", opts, async () => {
  const sb = sandbox();
  try {
    const bin = join(sb.dir, "bin");
    Deno.mkdirSync(bin);
    Deno.writeTextFileSync(
      join(bin, "berth"),
      `#!/bin/sh\nexec '${Deno.execPath()}' run -A --no-config '${MAIN}' "$@"\n`,
      { mode: 0o755 },
    );
    const fishScript = (await sb.berth(["completion", "fish"])).stdout;
    const fish = await new Deno.Command("fish", {
      args: ["--no-config", "-c", `${fishScript}\ncomplete -C 'berth ${sb.global.join(" ")} sto'`],
      env: { PATH: `${bin}:${Deno.env.get("PATH")}` },
      stdout: "piped",
    }).output();
    assertEquals(new TextDecoder().decode(fish.stdout).split("\n").filter(Boolean), ["stop"]);
    const zshScript = (await sb.berth(["completion", "zsh"])).stdout;
    assertMatch(zshScript, /^#compdef berth\n/);
    const zsh = await new Deno.Command("zsh", { args: ["-n", "-c", zshScript] }).output();
    assertEquals(zsh.code, 0);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("a bad shell is a usage error; __complete is not listed", async () => {
  const sb = sandbox();
  try {
    const bad = await sb.berth(["completion", "tcsh"]);
    assertEquals([bad.code, bad.stderr], [
      125,
      'Error: unsupported shell "tcsh": use bash, zsh or fish\n',
    ]);
    assertEquals((await sb.berth(["--help"])).stdout.includes("__complete"), false);
  } finally {
    await sb.cleanup();
  }
});
