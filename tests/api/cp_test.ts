/**
 * `docker cp` both ways through `GET`/`HEAD`/`PUT /containers/{id}/archive`: files,
 * directories, `DIR/.` onto a new name, into a created (never started) container, a missing
 * path, and the `X-Docker-Container-Path-Stat` header's Go file mode.
 *
 * @module
 */
import { join } from "node:path";
import { assert, assertEquals } from "../unit/assert.ts";
import { importBusybox, startService } from "./service.ts";

Deno.test("api archive: docker cp out of and into containers", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    assertEquals((await svc.sb.berth(["run", "-d", "--name", "c", "bb", "sleep", "300"])).code, 0);
    const host = join(svc.sb.dir, "host");
    Deno.mkdirSync(join(host, "tree/sub"), { recursive: true });
    Deno.writeTextFileSync(join(host, "f.txt"), "hello\n");
    Deno.writeTextFileSync(join(host, "tree/sub/z"), "zz\n");

    // Into the container: into a directory, onto a new name, a whole tree.
    for (
      const [src, dest] of [["f.txt", "c:/tmp/"], ["f.txt", "c:/tmp/renamed"], ["tree", "c:/tmp/"]]
    ) {
      const r = await svc.docker(["cp", join(host, src), dest]);
      assertEquals(r.code, 0, r.stderr);
    }
    const cat = await svc.docker([
      "exec",
      "c",
      "cat",
      "/tmp/f.txt",
      "/tmp/renamed",
      "/tmp/tree/sub/z",
    ]);
    assertEquals(cat.stdout, "hello\nhello\nzz\n");

    // Out of it: a file, a directory, a directory's contents onto a new name.
    const out = join(svc.sb.dir, "out");
    Deno.mkdirSync(out);
    for (
      const [src, dest] of [["c:/etc/passwd", out], ["c:/tmp/tree", join(out, "t")], [
        "c:/tmp/tree/.",
        join(out, "u"),
      ]]
    ) {
      const r = await svc.docker(["cp", src, dest]);
      assertEquals(r.code, 0, r.stderr);
    }
    assert(Deno.readTextFileSync(join(out, "passwd")).startsWith("root:x:0:0"));
    assertEquals(Deno.readTextFileSync(join(out, "t/sub/z")), "zz\n");
    assertEquals(Deno.readTextFileSync(join(out, "u/sub/z")), "zz\n");

    const missing = await svc.docker(["cp", "c:/nope", out]);
    assertEquals(missing.code, 1);
    assert(missing.stderr.includes("could not be found"), missing.stderr);

    // The stat header: a directory carries Go's ModeDir bit (1<<31) and its permissions.
    const head = await svc.request("HEAD", "/v1.44/containers/c/archive?path=/tmp");
    assertEquals(head.status, 200);
    const stat = JSON.parse(atob(head.headers.get("x-docker-container-path-stat")!));
    assertEquals([stat.name, stat.mode], ["tmp", 2 ** 31 + 0o755]);
    assertEquals((await svc.request("HEAD", "/containers/c/archive?path=/nope")).status, 404);

    // A created container (testcontainers copies files in before the start).
    assertEquals(
      (await svc.sb.berth(["create", "--name", "fresh", "bb", "cat", "/f.txt"])).code,
      0,
    );
    assertEquals((await svc.docker(["cp", join(host, "f.txt"), "fresh:/"])).code, 0);
    const started = await svc.sb.berth(["start", "-a", "fresh"]);
    assertEquals([started.code, started.stdout], [0, "hello\n"]);
  } finally {
    await svc.sb.berth(["rm", "-f", "-t", "0", "c", "fresh"]);
    await svc.stop();
  }
});
