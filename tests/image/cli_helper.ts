/**
 * Running berth's CLI against a throwaway root, for the image CLI tests.
 *
 * @module
 */
import { join } from "node:path";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** What one berth invocation did. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A function running berth with `<dir>/root` and `<dir>/run` as its root and runroot. */
export function cli(dir: string): (args: string[], timeoutMs?: number) => Promise<CliResult> {
  return async (args: string[], timeoutMs = 60_000) => {
    // Output goes to files and a hung berth is SIGKILLed by timeout(1): a container monitor
    // holding a pipe, or berth forwarding SIGTERM, must not hang the test.
    const outFile = Deno.makeTempFileSync();
    const errFile = Deno.makeTempFileSync();
    const status = await new Deno.Command("sh", {
      args: [
        "-c",
        'out="$1"; err="$2"; shift 2; exec timeout -s KILL "$@" >"$out" 2>"$err" </dev/null',
        "sh",
        outFile,
        errFile,
        String(Math.ceil(timeoutMs / 1000)),
        Deno.execPath(),
        "run",
        "-A",
        MAIN,
        "--root",
        join(dir, "root"),
        "--runroot",
        join(dir, "run"),
        ...args,
      ],
    }).output();
    const stdout = Deno.readTextFileSync(outFile);
    const stderr = Deno.readTextFileSync(errFile);
    Deno.removeSync(outFile);
    Deno.removeSync(errFile);
    if (status.code === 137) throw new Error(`berth ${args.join(" ")}: hung for ${timeoutMs} ms`);
    return { code: status.code, stdout, stderr };
  };
}
