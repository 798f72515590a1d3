import { join } from "node:path";
import { assertEquals } from "./assert.ts";
import { parseImageUser } from "../../src/image/user.ts";
import { lsetxattr, mknod, S_IFCHR } from "../../src/archive/libc.ts";
import { UsageError } from "../../src/errors.ts";

function layers() {
  const dir = Deno.makeTempDirSync();
  const [low, mid, top] = ["low", "mid", "top"].map((n) => join(dir, n));
  for (const d of [low, mid, top]) Deno.mkdirSync(join(d, "etc"), { recursive: true });
  Deno.writeTextFileSync(join(low, "etc/passwd"), "root:x:0:0::/:/bin/sh\nold:x:7:7::/:/bin/sh\n");
  Deno.writeTextFileSync(join(low, "etc/group"), "root:x:0:\nstaff:x:50:\n");
  Deno.writeTextFileSync(
    join(mid, "etc/passwd"),
    "root:x:0:0::/:/bin/sh\napp:x:1000:1001::/:/bin/sh\n",
  );
  return { dir, low, mid, top };
}

Deno.test("parseImageUser: numbers, names from the topmost passwd, groups", () => {
  const { dir, low, mid, top } = layers();
  try {
    const lowers = [top, mid, low];
    assertEquals(parseImageUser("", lowers), { uid: 0, gid: 0 });
    assertEquals(parseImageUser("app", lowers), { uid: 1000, gid: 1001 });
    assertEquals(parseImageUser("1000", lowers), { uid: 1000, gid: 1001 });
    assertEquals(parseImageUser("4242", lowers), { uid: 4242, gid: 0 });
    assertEquals(parseImageUser("12:34", lowers), { uid: 12, gid: 34 });
    assertEquals(parseImageUser("app:staff", lowers), { uid: 1000, gid: 50 });
    let threw = false;
    try {
      parseImageUser("old", lowers); // hidden by mid's passwd
    } catch (err) {
      threw = err instanceof UsageError;
    }
    assertEquals(threw, true);
    // A whiteout in the top layer hides passwd; an opaque etc hides the lower ones.
    mknod(join(top, "etc/passwd"), S_IFCHR, 0, 0);
    let hidden = false;
    try {
      parseImageUser("app", lowers);
    } catch {
      hidden = true;
    }
    assertEquals(hidden, true);
    Deno.removeSync(join(top, "etc/passwd"));
    lsetxattr(join(top, "etc"), "trusted.overlay.opaque", new TextEncoder().encode("y"));
    Deno.writeTextFileSync(join(top, "etc/passwd"), "svc:x:5:6::/:/bin/sh\n");
    assertEquals(parseImageUser("svc", lowers), { uid: 5, gid: 6 });
    // A symlinked passwd is not followed onto the host.
    Deno.removeSync(join(top, "etc/passwd"));
    Deno.symlinkSync("/etc/passwd", join(top, "etc/passwd"));
    let refused = false;
    try {
      parseImageUser("root", [top]);
    } catch {
      refused = true;
    }
    assertEquals(refused, true);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
