import assert from "node:assert/strict";
import { mountsUnder } from "./setup.ts";

const MOUNTINFO = [
  "22 1 0:21 / /proc rw - proc proc rw",
  "90 30 0:50 / /tmp/bb/podman/run/x/shm rw - tmpfs shm rw",
  "91 30 0:51 / /tmp/bb rw - tmpfs t rw",
  "92 30 0:52 / /tmp/bbx rw - tmpfs t rw",
  "93 30 0:53 / /tmp/bb/a\\040b rw - tmpfs t rw",
].join("\n");

Deno.test("mountsUnder lists mounts at or below a dir, deepest first", () => {
  assert.deepEqual(mountsUnder("/tmp/bb", MOUNTINFO), [
    "/tmp/bb/podman/run/x/shm",
    "/tmp/bb/a b",
    "/tmp/bb",
  ]);
  assert.deepEqual(mountsUnder("/nowhere", MOUNTINFO), []);
});
