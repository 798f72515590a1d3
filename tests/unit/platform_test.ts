import { assertEquals } from "./assert.ts";
import { goArch } from "../../src/platform.ts";

Deno.test("goArch speaks Go's architecture names", () => {
  assertEquals(goArch("x86_64"), "amd64");
  assertEquals(goArch("aarch64"), "arm64");
  assertEquals(goArch("riscv64"), "riscv64");
});
