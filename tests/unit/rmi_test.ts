/**
 * `rmi`'s exit status, podman's rule over all its failures together: an image in use (2)
 * outranks everything, only unknown images give 1, anything else 125.
 */
import { assertEquals } from "./assert.ts";
import { rmiStatus } from "../../src/cli/image/rmi.ts";
import { BerthError, ImageInUseError, NoSuchImageError } from "../../src/errors.ts";

const missing = new NoSuchImageError("nosuch");
const inUse = new ImageInUseError("c0ffee");
const other = new BerthError("x:1: tag not known");

Deno.test("rmi: only unknown images exit 1", () => {
  assertEquals(rmiStatus([missing]), 1);
  assertEquals(rmiStatus([missing, missing]), 1);
});

Deno.test("rmi: an image in use exits 2, whatever else failed and in any order", () => {
  assertEquals(rmiStatus([inUse]), 2);
  assertEquals(rmiStatus([missing, inUse]), 2);
  assertEquals(rmiStatus([inUse, other]), 2);
  assertEquals(rmiStatus([other, inUse, missing]), 2);
});

Deno.test("rmi: any other failure exits 125, also next to an unknown image", () => {
  assertEquals(rmiStatus([other]), 125);
  assertEquals(rmiStatus([missing, other]), 125);
  assertEquals(rmiStatus([new Error("disk full")]), 125);
});
