/**
 * One GitLab Runner stage at the HTTP level (docker-api.md 1.3 steps 9–13): attach (hijacked,
 * 101) → start → write the script → half-close → read the multiplexed stream to EOF → wait
 * not-running → stop.
 *
 * @module
 */
import { assert, assertEquals } from "../unit/assert.ts";
import { parseFrames } from "../../src/api/frames.ts";
import { concat, findSeq, type Service } from "./service.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Send a request that hijacks; return the connection once the head of the answer is read. */
export async function hijack(
  svc: Service,
  path: string,
): Promise<{ conn: Deno.Conn; head: string; rest: Uint8Array }> {
  const conn = await Deno.connect({ transport: "unix", path: svc.socket });
  await conn.write(enc.encode(
    `POST ${path} HTTP/1.1\r\nHost: berth\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: text/plain\r\n\r\n`,
  ));
  let buf: Uint8Array = new Uint8Array();
  const chunk = new Uint8Array(65536);
  for (;;) {
    const at = findSeq(buf, enc.encode("\r\n\r\n"));
    if (at !== -1) return { conn, head: dec.decode(buf.subarray(0, at)), rest: buf.slice(at + 4) };
    const n = await conn.read(chunk);
    if (n === null) throw new Error(`connection closed before the head: ${dec.decode(buf)}`);
    buf = concat([buf, chunk.subarray(0, n)]);
  }
}

/** Read `conn` to EOF after `first`, demultiplexed. */
export async function readFramesToEnd(conn: Deno.Conn, first: Uint8Array) {
  const parts = [first];
  const chunk = new Uint8Array(65536);
  for (;;) {
    const n = await conn.read(chunk).catch(() => null);
    if (n === null) break;
    parts.push(chunk.slice(0, n));
  }
  const { frames, rest } = parseFrames(concat(parts));
  assertEquals(rest.length, 0);
  const pick = (s: number) =>
    dec.decode(concat(frames.filter((f) => f.stream === s).map((f) => f.payload)));
  return { stdout: pick(1), stderr: pick(2) };
}

/** One stage: attach → start → script → half-close → read to EOF → wait → stop. */
export async function stage(
  svc: Service,
  id: string,
  script: string,
  during?: () => Promise<void>,
) {
  const a = await hijack(svc, `/v1.44/containers/${id}/attach?stream=1&stdin=1&stdout=1&stderr=1`);
  assert(a.head.startsWith("HTTP/1.1 101"), a.head);
  assert(a.head.includes("application/vnd.docker.multiplexed-stream"), a.head);
  const started = await svc.request("POST", `/v1.44/containers/${id}/start`);
  assertEquals(started.status, 204, started.text);
  await a.conn.write(enc.encode(script));
  await a.conn.closeWrite();
  const t0 = Date.now();
  const reading = readFramesToEnd(a.conn, a.rest);
  await during?.();
  const out = await reading;
  const elapsed = Date.now() - t0;
  a.conn.close();
  const waited = await svc.request("POST", `/v1.44/containers/${id}/wait?condition=not-running`);
  assertEquals(waited.status, 200);
  const body = JSON.parse(waited.text);
  assert(!("Error" in body), waited.text);
  const stop = await svc.request("POST", `/v1.44/containers/${id}/stop`);
  assert(stop.status === 304 || stop.status === 204, `stop: ${stop.status}`);
  return { ...out, code: body.StatusCode as number, elapsed };
}
