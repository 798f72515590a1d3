/**
 * conmon's k8s-file log format, parsed as bytes (container output may be binary):
 * `<RFC3339Nano time> <stdout|stderr> <F|P> <content>\n`. `F` ends a line (the newline was
 * the container's), `P` is a partial line (no newline was written).
 *
 * @module
 */

/** One record of the log. */
export interface LogRecord {
  time: string;
  stream: "stdout" | "stderr";
  /** The container's bytes, with the newline restored for `F` records. */
  data: Uint8Array;
  /** True if this record ends a line. */
  full: boolean;
}

const NL = 0x0a;
const SP = 0x20;
const P = 0x50;
const dec = new TextDecoder();
const STREAMS = ["stdout", "stderr"] as const;

/** The stream named by `line[from, to)`, if it is `stdout` or `stderr`. */
function streamAt(line: Uint8Array, from: number, to: number): LogRecord["stream"] | undefined {
  if (to - from !== 6) return undefined;
  return STREAMS.find((name) => {
    for (let i = 0; i < 6; i++) if (line[from + i] !== name.charCodeAt(i)) return false;
    return true;
  });
}

/**
 * Parse every complete record in `buf`. Returns the records and how many bytes were
 * consumed (a trailing incomplete record is left for the next read).
 */
export function parseRecords(buf: Uint8Array): { records: LogRecord[]; consumed: number } {
  const records: LogRecord[] = [];
  let pos = 0;
  for (;;) {
    const end = buf.indexOf(NL, pos);
    if (end === -1) break;
    const rec = parseRecord(buf.subarray(pos, end));
    if (rec) records.push(rec);
    pos = end + 1;
  }
  return { records, consumed: pos };
}

/** Parse one record line (without its newline); undefined if malformed. */
export function parseRecord(line: Uint8Array): LogRecord | undefined {
  const s1 = line.indexOf(SP);
  const s2 = s1 === -1 ? -1 : line.indexOf(SP, s1 + 1);
  const s3 = s2 === -1 ? -1 : line.indexOf(SP, s2 + 1);
  if (s3 === -1 && s2 === -1) return undefined;
  // Compared as bytes, not decoded: a log of short lines has one record per few bytes.
  const stream = streamAt(line, s1 + 1, s2);
  if (!stream) return undefined;
  const tagEnd = s3 === -1 ? line.length : s3;
  const content = s3 === -1 ? new Uint8Array() : line.subarray(s3 + 1);
  const full = !(tagEnd === s2 + 2 && line[s2 + 1] === P);
  const data = new Uint8Array(content.length + (full ? 1 : 0));
  data.set(content);
  if (full) data[content.length] = NL;
  return { time: dec.decode(line.subarray(0, s1)), stream, data, full };
}

/**
 * The last `n` lines of `records` (a line is a run of `P` records ended by an `F`, or the
 * trailing unfinished run). A negative `n` keeps everything.
 */
export function tailRecords(records: LogRecord[], n: number): LogRecord[] {
  if (n < 0) return records;
  const lines: LogRecord[][] = [];
  let current: LogRecord[] = [];
  for (const r of records) {
    current.push(r);
    if (r.full) {
      lines.push(current);
      current = [];
    }
  }
  if (current.length) lines.push(current);
  return lines.slice(Math.max(0, lines.length - n)).flat();
}
