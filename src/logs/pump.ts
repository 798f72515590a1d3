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

/** Write records to Deno.stdout / Deno.stderr. */
export const toStdio: RecordSink = async (records) => {
  for (const r of records) {
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
