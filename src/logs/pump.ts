/**
 * Copy a container's log to this process's stdout and stderr as it grows: each stream to
 * its own, byte-exact, in the order conmon wrote it.
 *
 * @module
 */
import { type LogRecord, parseRecords } from "./k8s_file.ts";
import { writeAll } from "../io.ts";

/** A reader that remembers its offset and any incomplete trailing record. */
export interface LogPump {
  /** Read whatever was appended since the last call and write it out. */
  pump(): Promise<void>;
  close(): void;
}

/** Where the records go. */
export type RecordSink = (records: LogRecord[]) => Promise<void>;

/**
 * Consecutive records of one stream joined into one buffer each, in order: a log of short lines
 * (`yes`: 4 bytes a record) would otherwise cost one write per line, and 1 MiB of such output
 * took 15–25 s to reach stdout (found by the soak, issue #15).
 */
export function coalesce(
  records: LogRecord[],
): { stream: LogRecord["stream"]; data: Uint8Array }[] {
  const out: { stream: LogRecord["stream"]; data: Uint8Array }[] = [];
  let i = 0;
  while (i < records.length) {
    const stream = records[i].stream;
    let j = i;
    let size = 0;
    while (j < records.length && records[j].stream === stream) size += records[j++].data.length;
    const data = new Uint8Array(size);
    for (let off = 0; i < j; i++) {
      data.set(records[i].data, off);
      off += records[i].data.length;
    }
    out.push({ stream, data });
  }
  return out;
}

/** Write records to Deno.stdout / Deno.stderr (each run of one stream in one write). */
export const toStdio: RecordSink = async (records) => {
  for (const r of coalesce(records)) {
    await writeAll(r.stream === "stdout" ? Deno.stdout : Deno.stderr, r.data);
  }
};

/**
 * Follow the log at `path` from `offset`, delivering complete records to `sink`. The file is
 * opened now (created if absent): an open descriptor keeps every byte readable even if the
 * container's directory is removed by another berth process before the output is read.
 */
export function openLogPump(path: string, sink: RecordSink = toStdio, offset = 0): LogPump {
  const file = Deno.openSync(path, { read: true, append: true, create: true });
  file.seekSync(offset, Deno.SeekMode.Start);
  let pending: Uint8Array = new Uint8Array();
  const chunk = new Uint8Array(256 * 1024);
  return {
    async pump() {
      for (;;) {
        const n = await file.read(chunk);
        if (n === null || n === 0) break;
        const joined = new Uint8Array(pending.length + n);
        joined.set(pending);
        joined.set(chunk.subarray(0, n), pending.length);
        const { records, consumed } = parseRecords(joined);
        pending = joined.slice(consumed);
        if (records.length) await sink(records);
      }
    },
    close() {
      try {
        file.close();
      } catch { /* closed */ }
    },
  };
}
