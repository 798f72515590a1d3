/**
 * Start-up cost (issue #13, lever 1): what `run`, `wait` and the cleanup process load before
 * they do any work. Each `node:` module beyond the ones berth needs initialises more of Deno's
 * Node layer (node:fs alone costs ~20 ms of CPU per process here), so the hot path's static
 * module graph, read from `deno info`, must not grow them again.
 */
import { assertEquals } from "./assert.ts";

const ROOT = new URL("../../", import.meta.url);

interface Dep {
  code?: { specifier?: string };
  isDynamic?: boolean;
}
interface Info {
  modules: { specifier: string; dependencies?: Dep[] }[];
}

/** The modules `start` imports statically (dynamic `import()`s are loaded only when called). */
function staticClosure(info: Info, start: string): Set<string> {
  const deps = new Map(info.modules.map((m) => [m.specifier, m.dependencies ?? []]));
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length) {
    const s = todo.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const d of deps.get(s) ?? []) {
      if (!d.isDynamic && d.code?.specifier) todo.push(d.code.specifier);
    }
  }
  return seen;
}

Deno.test("the hot path (main, run, wait, cleanup) loads no node: built-in but node:sqlite", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL("main.ts", ROOT).pathname],
    stdout: "piped",
  }).output();
  assertEquals(out.code, 0);
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as Info;
  for (
    const entry of ["main.ts", "src/cli/run.ts", "src/cli/wait.ts", "src/cli/container_cleanup.ts"]
  ) {
    const graph = staticClosure(info, new URL(entry, ROOT).href);
    const builtins = [...graph].filter((s) => s.startsWith("node:")).sort();
    const heavy = [...graph].map((s) => s.slice(ROOT.href.length)).filter((p) =>
      /^src\/archive\/(tar_|decompress)|^src\/image\/(pull|registry|extract|blobs)/.test(p)
    );
    assertEquals(
      {
        builtins: builtins.filter((b) => b !== "node:sqlite"),
        heavy,
      },
      { builtins: [], heavy: [] },
      entry,
    );
  }
});
