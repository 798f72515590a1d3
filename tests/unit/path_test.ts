/** src/path.ts against node:path itself, on the odd cases too. */
import * as node from "node:path";
import { basename, dirname, isAbsolute, join, normalize, resolve } from "../../src/path.ts";
import { assertEquals } from "./assert.ts";

const PATHS = [
  "",
  ".",
  "..",
  "/",
  "//",
  "///",
  "a",
  "a/",
  "a//",
  "/a",
  "/a/",
  "//a",
  "a/b",
  "a//b",
  "/a/b/",
  "./a",
  "../a",
  "a/..",
  "a/../",
  "a/../..",
  "/..",
  "/../a",
  "a/./b/.",
  "/a/b/../../..",
  "../../x/",
  ".hidden",
  "a/.b",
  "/x/y.tar.gz",
  "a/b/c/../../d",
  "./",
  "../",
];

Deno.test("normalize, dirname, basename, isAbsolute: node:path's results", () => {
  for (const p of PATHS) {
    assertEquals(
      [normalize(p), dirname(p), basename(p), isAbsolute(p)],
      [node.normalize(p), node.dirname(p), node.basename(p), node.isAbsolute(p)],
      JSON.stringify(p),
    );
  }
});

Deno.test("join and resolve: node:path's results", () => {
  for (const a of PATHS) {
    for (const b of ["", "b", "/b", "../b", "b/", "./b/.."]) {
      assertEquals(join(a, b), node.join(a, b), `join(${JSON.stringify(a)}, ${JSON.stringify(b)})`);
      assertEquals(resolve(a, b), node.resolve(a, b), `resolve(${a}, ${b})`);
    }
  }
  assertEquals(join(), node.join());
  assertEquals(resolve(), node.resolve());
  assertEquals(join("/r", "containers", "id", "x"), "/r/containers/id/x");
});
