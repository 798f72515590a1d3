/**
 * `deno task docs`: write the manual, `docs/commands/` (one page per command and an index),
 * from the registry and the flag tables, and delete pages of commands that are gone.
 * `--check` writes nothing and exits 1 when a page differs.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { VISIBLE } from "../src/cli/registry.ts";
import { GLOBAL_FLAGS } from "../src/cli/global_flags.ts";
import { manualPages } from "../src/cli/manual.ts";

/** Where the manual lives. */
export const DOCS_DIR = fileURLToPath(new URL("../docs/commands/", import.meta.url));

/** The manual as the current tables make it, by file name. */
export function generateManual(): Promise<Map<string, string>> {
  return manualPages(VISIBLE, GLOBAL_FLAGS, async (entry) => (await entry.load()).flags);
}

/** The manual's file names and contents as checked in. */
export function checkedIn(dir = DOCS_DIR): Map<string, string> {
  const pages = new Map<string, string>();
  for (const e of Deno.readDirSync(dir)) {
    if (e.isFile && e.name.endsWith(".md")) {
      pages.set(e.name, Deno.readTextFileSync(join(dir, e.name)));
    }
  }
  return pages;
}

if (import.meta.main) {
  const pages = await generateManual();
  Deno.mkdirSync(DOCS_DIR, { recursive: true });
  const old = checkedIn();
  const stale = [...old.keys()].filter((n) => pages.get(n) !== old.get(n));
  const missing = [...pages.keys()].filter((n) => !old.has(n));
  if (Deno.args.includes("--check")) {
    for (const n of [...stale, ...missing]) console.error(`out of date: docs/commands/${n}`);
    Deno.exit(stale.length + missing.length ? 1 : 0);
  }
  for (const name of old.keys()) if (!pages.has(name)) Deno.removeSync(join(DOCS_DIR, name));
  for (const [name, text] of pages) {
    if (old.get(name) !== text) Deno.writeTextFileSync(join(DOCS_DIR, name), text);
  }
  console.log(`docs/commands/: ${pages.size} pages, ${stale.length + missing.length} written`);
}
