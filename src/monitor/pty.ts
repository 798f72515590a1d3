/**
 * A pseudo-terminal of berth's own, for a process that needs a terminal when berth's stdio
 * is not one (an exec over the API). runc relays a terminal only in the foreground between
 * its own stdio and the container's pty (its `--console-socket` requires `--detach`, which
 * loses the exit status), so berth gives runc this pty's slave as stdio and relays the master.
 * Deno cannot open or read a raw pty, so this reaches libc through `Deno.dlopen`; blocking
 * reads and writes run on FFI threads (`nonblocking: true`).
 *
 * @module
 */
import { RuntimeError } from "../errors.ts";

const SYMBOLS = {
  posix_openpt: { parameters: ["i32"], result: "i32" },
  grantpt: { parameters: ["i32"], result: "i32" },
  unlockpt: { parameters: ["i32"], result: "i32" },
  ptsname_r: { parameters: ["i32", "buffer", "usize"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize", nonblocking: true },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize", nonblocking: true },
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
} as const;

const O_RDWR = 2;
const O_NOCTTY = 0o400;
const O_CLOEXEC = 0o2000000;
const TIOCSWINSZ = 0x5414n;

let lib: Deno.DynamicLibrary<typeof SYMBOLS> | undefined;
function libc() {
  lib ??= Deno.dlopen("libc.so.6", SYMBOLS);
  return lib.symbols;
}

/** The master side of a pseudo-terminal the runtime handed over. */
export interface PtyMaster {
  /** Read up to `buf.length` bytes; 0 at the end (every slave closed: the process is gone). */
  read(buf: Uint8Array<ArrayBuffer>): Promise<number>;
  /** Write every byte (what the process reads as terminal input). */
  write(data: Uint8Array): Promise<void>;
  /** Set the terminal's size (the process gets SIGWINCH). */
  resize(rows: number, cols: number): void;
  close(): void;
}

/** A fresh pseudo-terminal: its master, and the slave's path for a child's stdio. */
export interface Pty {
  master: PtyMaster;
  slavePath: string;
}

/**
 * Open a new pseudo-terminal pair (`posix_openpt`, not the caller's controlling terminal).
 *
 * @throws {RuntimeError} when none can be had
 */
export function openPty(rows = 24, cols = 80): Pty {
  const c = libc();
  const fd = c.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) throw new RuntimeError("cannot open a pseudo-terminal");
  const name = new Uint8Array(128);
  if (c.grantpt(fd) !== 0 || c.unlockpt(fd) !== 0 || c.ptsname_r(fd, name, 128n) !== 0) {
    c.close(fd);
    throw new RuntimeError("cannot set up a pseudo-terminal");
  }
  const master = pty(fd);
  master.resize(rows, cols);
  return { master, slavePath: new TextDecoder().decode(name.subarray(0, name.indexOf(0))) };
}

function pty(fd: number): PtyMaster {
  const c = libc();
  let open = true;
  return {
    async read(buf) {
      if (!open) return 0;
      const n = Number(await c.read(fd, buf, BigInt(buf.length)));
      return n > 0 ? n : 0; // EIO once the last slave closed: the end
    },
    async write(data) {
      let off = 0;
      while (off < data.length && open) {
        const part = data.slice(off);
        const n = Number(await c.write(fd, part, BigInt(part.length)));
        if (n <= 0) throw new RuntimeError("writing to the terminal failed");
        off += n;
      }
    },
    resize(rows, cols) {
      if (!open) return;
      const ws = new Uint8Array(8);
      const v = new DataView(ws.buffer);
      v.setUint16(0, rows, true);
      v.setUint16(2, cols, true);
      c.ioctl(fd, TIOCSWINSZ, ws);
    },
    close() {
      if (!open) return;
      open = false;
      c.close(fd);
    },
  };
}
