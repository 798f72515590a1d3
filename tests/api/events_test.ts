/**
 * `GET /events`: a container's create, start, die (with its code) and destroy, streamed live
 * as JSON lines and filtered; `until` in the past ends the stream at once.
 *
 * @module
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { concat, importBusybox, startService } from "./service.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

Deno.test("api events: create, start, die with its code, destroy; filters; until", async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const other = await svc.request("POST", "/containers/create", { Image: "bb", Cmd: ["true"] });
    const otherId = JSON.parse(other.text).Id;

    const conn = await Deno.connect({ transport: "unix", path: svc.socket });
    const filters = encodeURIComponent(JSON.stringify({ type: ["container"], label: ["job=1"] }));
    await conn.write(
      enc.encode(`GET /v1.44/events?filters=${filters} HTTP/1.1\r\nHost: x\r\n\r\n`),
    );
    const seen: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    const first = await conn.read(buf); // the headers come before any event
    seen.push(buf.slice(0, first ?? 0));
    assert(dec.decode(seen[0]).startsWith("HTTP/1.1 200"));

    const c = await svc.request("POST", "/containers/create", {
      Image: "bb",
      Cmd: ["sh", "-c", "exit 3"],
      Labels: { job: "1" },
    });
    const id = JSON.parse(c.text).Id;
    await svc.request("POST", `/containers/${id}/start`);
    await svc.request("POST", `/containers/${otherId}/start`); // filtered out: no label
    assertEquals(
      JSON.parse((await svc.request("POST", `/containers/${id}/wait`)).text).StatusCode,
      3,
    );
    assertEquals((await svc.request("DELETE", `/containers/${id}`)).status, 204);

    const actions: string[] = [];
    const deadline = Date.now() + 10_000;
    let die: Record<string, unknown> | undefined;
    while (!actions.includes("destroy") && Date.now() < deadline) {
      const n = await conn.read(buf);
      if (n === null) break;
      seen.push(buf.slice(0, n));
      const text = dec.decode(concat(seen));
      actions.length = 0;
      for (const m of text.matchAll(/\{"status".*\}/g)) {
        const e = JSON.parse(m[0]);
        assertEquals(e.id, id);
        actions.push(e.Action);
        if (e.Action === "die") die = e;
      }
    }
    conn.close();
    assertEquals(actions, ["create", "start", "die", "destroy"]);
    assertEquals((die!.Actor as { Attributes: { exitCode: string } }).Attributes.exitCode, "3");

    const past = await svc.request("GET", "/events?until=1");
    assertEquals([past.status, past.text], [200, ""]);
  } finally {
    await svc.stop();
  }
});
