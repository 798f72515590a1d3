/**
 * dockerode (Node's Docker client, the one testcontainers-node builds on) drives the
 * service: create, attach (its own hijack), start, wait, logs, exec with its inspect, get an
 * archive, list images and volumes, remove.
 *
 * @module
 */
// A test-only client: kept out of deno.json so nothing in src/ can depend on it.
// deno-lint-ignore no-import-prefix
import Docker from "npm:dockerode@4";
import { PassThrough } from "node:stream";
import { assert, assertEquals } from "../unit/assert.ts";
import { importBusybox, startService } from "./service.ts";

/** Everything a readable stream gives, as text. */
function collect(s: PassThrough): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    s.on("data", (c: Uint8Array) => text += new TextDecoder().decode(c));
    s.on("end", () => resolve(text));
  });
}

Deno.test("api dockerode: create, attach, start, wait, logs, exec, archive, remove", {
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  const svc = await startService();
  try {
    await importBusybox(svc);
    const docker = new Docker({ socketPath: svc.socket });
    const c = await docker.createContainer({
      Image: "bb",
      Cmd: ["sh", "-c", "echo out; echo err >&2; exit 3"],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await c.attach({ stream: true, stdout: true, stderr: true });
    const out = new PassThrough();
    const err = new PassThrough();
    c.modem.demuxStream(stream, out, err);
    stream.on("end", () => {
      out.end();
      err.end();
    });
    const texts = Promise.all([collect(out), collect(err)]);
    await c.start();
    const waited = await c.wait();
    assertEquals(waited.StatusCode, 3);
    assertEquals(await texts, ["out\n", "err\n"]);
    const logs = await c.logs({ stdout: true, stderr: true, follow: false });
    const logText = new TextDecoder().decode(logs as unknown as Uint8Array);
    assert(logText.includes("out\n") && logText.includes("err\n"), logText);
    const info = await c.inspect();
    assertEquals([info.State.Status, info.State.ExitCode], ["exited", 3]);

    const svcC = await docker.createContainer({ Image: "bb", Cmd: ["sleep", "300"] });
    await svcC.start();
    const exec = await svcC.exec({ Cmd: ["sh", "-c", "echo in-exec; exit 5"], AttachStdout: true });
    const es = await exec.start({ hijack: true, stdin: false });
    const eo = new PassThrough();
    svcC.modem.demuxStream(es, eo, new PassThrough());
    es.on("end", () => eo.end());
    assertEquals(await collect(eo), "in-exec\n");
    assertEquals((await exec.inspect()).ExitCode, 5);
    const tar = await svcC.getArchive({ path: "/etc/hostname" });
    const chunks: Uint8Array[] = [];
    for await (const chunk of tar as AsyncIterable<Uint8Array>) chunks.push(chunk);
    const name = new TextDecoder().decode(chunks[0].subarray(0, 8));
    assertEquals(name, "hostname");

    const images = await docker.listImages();
    assert(
      images.some((i: { RepoTags?: string[] }) => i.RepoTags?.includes("localhost/bb:latest")),
    );
    await docker.createVolume({ Name: "dv" });
    assertEquals((await docker.listVolumes()).Volumes.map((v: { Name: string }) => v.Name), ["dv"]);
    await svcC.remove({ force: true });
    await c.remove();
    await docker.getVolume("dv").remove();
    assertEquals((await docker.listContainers({ all: true })).length, 0);
  } finally {
    await svc.stop();
  }
});
