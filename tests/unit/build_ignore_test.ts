/** .containerignore / .dockerignore patterns as Docker matches them. */
import { assertEquals } from "./assert.ts";
import { globMatch, isExcluded, parseIgnore } from "../../src/build/ignore.ts";

Deno.test("ignore: patterns match the path or a parent directory; the last match wins", () => {
  const rules = parseIgnore("# comment\n\nsecret\n*.log\n!keep.log\n/build/\n./tmp/*\n");
  const cases: [string, boolean][] = [
    ["secret", true],
    ["secret/deep/file", true],
    ["a.log", true],
    ["sub/a.log", false], // * never crosses a /
    ["keep.log", false],
    ["build/out.o", true],
    ["tmp/x", true],
    ["tmp", false],
    ["src/main.ts", false],
  ];
  for (const [p, want] of cases) assertEquals([p, isExcluded(rules, p)], [p, want]);
});

Deno.test("ignore: ** crosses directories; exceptions inside an excluded directory", () => {
  const rules = parseIgnore("**/*.tmp\nvendor\n!vendor/keep\n");
  assertEquals(isExcluded(rules, "a/b/c.tmp"), true);
  assertEquals(isExcluded(rules, "c.tmp"), true);
  assertEquals(isExcluded(rules, "vendor/x"), true);
  assertEquals(isExcluded(rules, "vendor/keep"), false);
  assertEquals(isExcluded(rules, "vendor/keep/inner"), false);
});

Deno.test("globMatch: Go filepath.Match classes and wildcards", () => {
  assertEquals(globMatch("*.txt", "a.txt"), true);
  assertEquals(globMatch("*.txt", "d/a.txt"), false);
  assertEquals(globMatch("f?[0-9]", "fa7"), true);
  assertEquals(globMatch("f[!a]", "fa"), false);
});
