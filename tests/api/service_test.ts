/**
 * `berth system service` as a process: the socket's mode and its directory's, the idle
 * timeout, SIGTERM, and containers that outlive a killed service (a restarted one answers
 * the wait with the recorded code).
 *
 * @module
 */
import { join } from "node:path";
import { assert, assertEquals } from "../unit/assert.ts";
import { sandbox } from "../helpers.ts";
import { importBusybox, startService, waitForSocket } from "./service.ts";

Deno.test("system service: socket 0660 in a new 0700 directory; --time idles out; SIGTERM stops", async () => {
  const sb = sandbox("berth-svc-");
  try {
    const dir = join(sb.dir, "sockdir");
    const socket = join(dir, "b.sock");
    const child = sb.spawn(["system", "service", "--time", "1", `unix://${socket}`]);
    await waitForSocket(socket);
    assertEquals(Deno.statSync(socket).mode! & 0o777, 0o660);
    assertEquals(Deno.statSync(dir).mode! & 0o777, 0o700);
    // An open connection keeps it alive past the idle time.
    const conn = await Deno.connect({ transport: "unix", path: socket });
    await new Promise((r) => setTimeout(r, 1500));
    const alive = await Deno.connect({ transport: "unix", path: socket });
    alive.close();
    conn.close();
    const t0 = Date.now();
    const status = await child.status;
    assertEquals(status.code, 0);
    assert(Date.now() - t0 < 5000, "it should stop about a second after the last connection");
    let exists = true;
    try {
      Deno.lstatSync(socket);
    } catch {
      exists = false;
    }
    assertEquals(exists, false, "the socket is removed on exit");

    const forever = sb.spawn(["system", "service", "--time", "0", `unix://${socket}`]);
    await waitForSocket(socket);
    forever.kill("SIGTERM");
    assertEquals((await forever.status).code, 0);
    await forever.stdout.cancel();
    await forever.stderr.cancel();
    await child.stdout.cancel();
    await child.stderr.cancel();
  } finally {
    await sb.cleanup();
  }
});

Deno.test("system service: a container outlives a SIGKILLed service; the next one's wait gets its code", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const c = await svc.request("POST", "/containers/create", {
      Image: "bb",
      Cmd: ["sh", "-c", "sleep 2; exit 6"],
    });
    const id = JSON.parse(c.text).Id;
    assertEquals((await svc.request("POST", `/containers/${id}/start`)).status, 204);
    svc.child.kill("SIGKILL");
    await svc.child.status;
    const second = svc.sb.spawn(["system", "service", "--time", "0", `unix://${svc.socket}`]);
    await waitForSocket(svc.socket);
    const w = await svc.request("POST", `/containers/${id}/wait`);
    assertEquals(JSON.parse(w.text), { StatusCode: 6 });
    second.kill("SIGTERM");
    await second.status;
    await second.stdout.cancel();
    await second.stderr.cancel();
  } finally {
    await svc.stop();
  }
});
