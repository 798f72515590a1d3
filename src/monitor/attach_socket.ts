/**
 * conmon's attach socket (`<bundle>/attach`, SOCK_SEQPACKET), used to feed the container's
 * stdin for `run -i`. Deno's `Deno.connect` speaks only stream sockets, so this reaches libc
 * through `Deno.dlopen`. The bundle path may be longer than `sun_path` (108 bytes): connect
 * through `/proc/self/fd/<dirfd>/attach` instead.
 *
 * Protocol (conmon): each packet a client sends is written to the container's stdin; when
 * the client shuts down its sending side, conmon closes the container's stdin. conmon sends each client the
 * container's output as packets prefixed by a stream byte; berth reads output from the log,
 * so those packets are drained and dropped.
 *
 * @module
 */
import { RuntimeError } from "../errors.ts";

const SYMBOLS = {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  connect: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  open: { parameters: ["buffer", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  shutdown: { parameters: ["i32", "i32"], result: "i32" },
  send: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize", nonblocking: true },
  recv: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize", nonblocking: true },
} as const;

const AF_UNIX = 1;
const SOCK_SEQPACKET = 5;
const SOCK_CLOEXEC = 0o2000000;
const O_PATH = 0o10000000;
const O_DIRECTORY = 0o200000;
const O_CLOEXEC = 0o2000000;
const SHUT_WR = 1;
const SHUT_RDWR = 2;
const MSG_NOSIGNAL = 0x4000;
/** conmon reads client packets into an 8 KiB buffer: larger packets would be cut. */
export const MAX_PACKET = 8192;

let lib: Deno.DynamicLibrary<typeof SYMBOLS> | undefined;
function libc() {
  lib ??= Deno.dlopen("libc.so.6", SYMBOLS);
  return lib.symbols;
}

const enc = new TextEncoder();

/** A `sockaddr_un` for `path` (family, path, NUL). */
export function sockaddrUn(path: string): Uint8Array<ArrayBuffer> {
  const bytes = enc.encode(path);
  if (bytes.length > 107) throw new RuntimeError(`socket path too long: ${path}`);
  const addr = new Uint8Array(2 + bytes.length + 1);
  new DataView(addr.buffer).setUint16(0, AF_UNIX, true);
  addr.set(bytes, 2);
  return addr;
}

/** An open attach connection. */
export interface AttachConnection {
  /** Send `data` to the container's stdin (split into packets conmon can read whole). */
  write(data: Uint8Array): Promise<void>;
  /**
   * End the input: conmon reads EOF and closes the container's stdin. The connection stays
   * open (and drained): if conmon's write of output to a closed client fails, it drops the
   * client without ever closing the container's stdin.
   */
  closeInput(): void;
  /** Close the connection (after the container has exited). */
  close(): void;
}

/**
 * Connect to the attach socket in `bundle`.
 *
 * @throws {RuntimeError} when the socket cannot be reached
 */
export function connectAttach(bundle: string): AttachConnection {
  const c = libc();
  const dirfd = c.open(enc.encode(bundle + "\0"), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0) throw new RuntimeError(`cannot open container bundle ${bundle}`);
  const fd = c.socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    c.close(dirfd);
    throw new RuntimeError("cannot create a socket for the attach connection");
  }
  const addr = sockaddrUn(`/proc/self/fd/${dirfd}/attach`);
  const rc = c.connect(fd, addr, addr.length);
  c.close(dirfd);
  if (rc !== 0) {
    c.close(fd);
    throw new RuntimeError(`cannot connect to conmon's attach socket in ${bundle}`);
  }
  let open = true;
  // Drain conmon's output packets so its writes to this client never block it.
  const drain = (async () => {
    const buf = new Uint8Array(MAX_PACKET + 1);
    while (open) {
      const n = Number(await c.recv(fd, buf, BigInt(buf.length), 0));
      if (n <= 0) break;
    }
  })();
  return {
    async write(data: Uint8Array) {
      for (let off = 0; off < data.length && open; off += MAX_PACKET) {
        const chunk = data.slice(off, Math.min(off + MAX_PACKET, data.length));
        const n = Number(await c.send(fd, chunk, BigInt(chunk.length), MSG_NOSIGNAL));
        if (n < 0) throw new RuntimeError("writing to the container's stdin failed");
      }
    },
    closeInput() {
      if (open) c.shutdown(fd, SHUT_WR);
    },
    close() {
      if (!open) return;
      open = false;
      c.shutdown(fd, SHUT_RDWR); // wakes the drain loop's recv
      drain.finally(() => c.close(fd));
    },
  };
}

/**
 * What ends the input on a pseudo-terminal, where closing our side is not an EOF the
 * container sees: the EOF character (^D) in canonical mode, twice if the last line is
 * unfinished (the first ^D only hands that line over).
 */
export function terminalEndOfInput(lastByte: number | undefined): Uint8Array {
  return lastByte === undefined || lastByte === 0x0a
    ? new Uint8Array([0x04])
    : new Uint8Array([0x04, 0x04]);
}

/**
 * Copy all of `input` to the container's stdin, then end it (for a terminal, with
 * {@linkcode terminalEndOfInput}). Errors end the copy quietly.
 */
export async function feedStdin(
  conn: AttachConnection,
  input: ReadableStream<Uint8Array>,
  terminal = false,
) {
  let lastByte: number | undefined;
  try {
    for await (const chunk of input) {
      await conn.write(chunk);
      if (chunk.length) lastByte = chunk[chunk.length - 1];
    }
    if (terminal) await conn.write(terminalEndOfInput(lastByte));
  } catch { /* the container stopped reading; its exit tells the rest */ }
  conn.closeInput();
}
