/**
 * `states.ts` is the only owner of state: no other file under `src/` may compare a state
 * field or variable against a state literal, switch on a state with `case "…":`, or assign
 * a literal to a state field. Such code belongs in a named predicate in states.ts.
 */
import { assertEquals } from "./assert.ts";

const STATE = `"(?:created|initialized|running|stopping|stopped|exited|removing)"`;
// a state-valued operand: `.state`, `state`, `next`, `s` (the predicates' parameter name)
const OPERAND = String.raw`(?:\.state\b|\bstate\b|\bnextState\b|\bs\b)`;

const RULES: [string, RegExp][] = [
  ["compare", new RegExp(String.raw`${OPERAND}\s*[!=]==?\s*${STATE}`)],
  ["compare", new RegExp(String.raw`${STATE}\s*[!=]==?\s*(?:[\w$.]*\.state\b|${OPERAND})`)],
  ["assign", new RegExp(String.raw`\.state\s*=(?!=)\s*${STATE}`)],
  ["assign", new RegExp(String.raw`\bstate\s*:\s*${STATE}`)],
];

/** Offending lines of `text`, as `line: kind: source`. */
export function stateLiteralUses(text: string): string[] {
  const out: string[] = [];
  const lines = text.split("\n");
  let stateSwitch = false;
  lines.forEach((line, i) => {
    const sw = line.match(/\bswitch\s*\(([^)]*)\)/);
    if (sw) stateSwitch = /state|^s$/i.test(sw[1].trim());
    for (const [kind, re] of RULES) {
      if (re.test(line)) out.push(`${i + 1}: ${kind}: ${line.trim()}`);
    }
    if (stateSwitch && new RegExp(String.raw`\bcase\s+${STATE}\s*:`).test(line)) {
      out.push(`${i + 1}: case: ${line.trim()}`);
    }
  });
  return out;
}

Deno.test("the checker flags state literals and leaves other strings alone", () => {
  assertEquals(stateLiteralUses(`if (row.state === "running") x();`).length, 1);
  assertEquals(stateLiteralUses(`if ("exited" !== r.state) x();`).length, 1);
  assertEquals(stateLiteralUses(`row.state = "created";`).length, 1);
  assertEquals(stateLiteralUses(`const row = { state: "created" };`).length, 1);
  assertEquals(stateLiteralUses(`switch (row.state) {\n  case "stopped":\n}`).length, 1);
  assertEquals(stateLiteralUses(`switch (key) {\n  case "exited":\n}`), []);
  assertEquals(stateLiteralUses(`const sort = str(p, "sort") ?? "created";`), []);
  assertEquals(stateLiteralUses(`bool(p, "running")`), []);
  assertEquals(stateLiteralUses(`if (row.state === value) x();`), []);
});

Deno.test("no file under src/ but states.ts spells out a state by hand", () => {
  const root = new URL("../../src/", import.meta.url).pathname;
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of Deno.readDirSync(dir)) {
      const path = `${dir}${e.name}`;
      if (e.isDirectory) walk(`${path}/`);
      else if (e.isFile && path.endsWith(".ts") && path !== `${root}engine/states.ts`) {
        for (const hit of stateLiteralUses(Deno.readTextFileSync(path))) {
          found.push(`${path.slice(root.length)}:${hit}`);
        }
      }
    }
  };
  walk(root);
  assertEquals(found, []);
});
