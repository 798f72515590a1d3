/**
 * Parsing an HTTP/1.1 request head (request line and header fields); pure.
 *
 * @module
 */
import { BadRequestError, UnsupportedEncodingError } from "../../errors.ts";

/** A request line and its headers. */
export interface RequestHead {
  method: string;
  /** The request target as sent: path and query. */
  target: string;
  /** "HTTP/1.1" or "HTTP/1.0". */
  httpVersion: string;
  headers: Headers;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Parse the head (`text` without the final blank line's CRLF pair, or with it).
 *
 * @throws {BadRequestError} on a malformed line
 */
export function parseHead(text: string): RequestHead {
  const lines = text.split("\r\n");
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  const requestLine = lines.shift() ?? "";
  const parts = requestLine.split(" ");
  if (parts.length !== 3 || !TOKEN.test(parts[0]) || !/^HTTP\/1\.[01]$/.test(parts[2])) {
    throw new BadRequestError(`malformed request line`);
  }
  if (!parts[1].startsWith("/")) throw new BadRequestError(`malformed request target`);
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new BadRequestError(`malformed header line`);
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) throw new BadRequestError(`malformed header name`);
    try {
      headers.append(name, line.slice(colon + 1).trim());
    } catch {
      throw new BadRequestError(`malformed header value`);
    }
  }
  return { method: parts[0], target: parts[1], httpVersion: parts[2], headers };
}

/** How the request's body is framed. */
export type BodyFraming = { kind: "none" } | { kind: "length"; length: number } | {
  kind: "chunked";
};

/**
 * The body's framing from its headers (chunked wins over Content-Length, as RFC 9112 says).
 *
 * @throws {BadRequestError} on a bad Content-Length or an unsupported Transfer-Encoding
 */
export function bodyFraming(headers: Headers): BodyFraming {
  const te = headers.get("transfer-encoding");
  if (te !== null) {
    if (te.toLowerCase().split(",").map((s) => s.trim()).at(-1) !== "chunked") {
      throw new UnsupportedEncodingError("unsupported transfer encoding");
    }
    return { kind: "chunked" };
  }
  const cl = headers.get("content-length");
  if (cl === null) return { kind: "none" };
  if (!/^\d+$/.test(cl.trim())) throw new BadRequestError("bad Content-Length");
  const length = Number(cl.trim());
  return length === 0 ? { kind: "none" } : { kind: "length", length };
}

/** Whether the connection stays open after this request. */
export function keepAlive(head: RequestHead): boolean {
  const conn = (head.headers.get("connection") ?? "").toLowerCase();
  if (head.httpVersion === "HTTP/1.0") return conn.includes("keep-alive");
  return !conn.split(",").map((s) => s.trim()).includes("close");
}
