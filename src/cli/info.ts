/**
 * `berth info [--format json|TEMPLATE]`: the runtime, monitor and store berth would use,
 * with podman's field names (`{{.Host.OCIRuntime.Name}}`, `{{.Store.GraphRoot}}`, …).
 *
 * @module
 */
import { hasExited, isUp, type State } from "../engine/states.ts";
import { goArch } from "../platform.ts";
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { str } from "./args.ts";
import { openEngine } from "../engine/context.ts";
import { listContainers } from "../store/containers.ts";
import { resolveRuntime } from "../oci/runtime.ts";
import { resolveConmon } from "../monitor/conmon.ts";
import { findNetworkBinary } from "../network/netavark.ts";
import { compileTemplate } from "../format/template/mod.ts";
import { VERSION } from "./version.ts";

async function firstLine(path: string, args: string[]): Promise<string> {
  try {
    const r = await new Deno.Command(path, { args, stdout: "piped", stderr: "null" }).output();
    return new TextDecoder().decode(r.stdout).split("\n")[0].trim();
  } catch {
    return "";
  }
}

/** `info` */
export const infoCommand: Command = {
  flags: {
    format: {
      type: "string",
      short: "f",
      help: "Print as json or through a Go template, e.g. {{.Host.OCIRuntime.Name}}",
      value: "json|TEMPLATE",
    },
  },
  async run(global, p) {
    const engine = await openEngine(global);
    const rt = resolveRuntime(global.runtime, engine.paths.runroot, global.runtimeFlags);
    const conmon = resolveConmon(global.conmon);
    const rows = listContainers(engine.store);
    const count = (pred: (s: State) => boolean) => rows.filter((r) => pred(r.state)).length;
    const info = {
      Host: {
        Arch: goArch(),
        OS: Deno.build.os,
        Kernel: Deno.osRelease(),
        Hostname: Deno.hostname(),
        CgroupManager: "cgroupfs",
        OCIRuntime: {
          Name: rt.name,
          Path: rt.path,
          Version: await firstLine(rt.path, ["--version"]),
        },
        Conmon: { Path: conmon, Version: await firstLine(conmon, ["--version"]) },
        ConfigFiles: global.configFiles ?? [],
        // conmon writes every container's log in the k8s-file format; berth keeps no event log.
        LogDriver: "k8s-file",
        EventLogger: "none",
        // podman's field: the stack bridge networks go through (src/network/netavark.ts).
        NetworkBackend: "netavark",
        NetworkBackendInfo: {
          Backend: "netavark",
          Path: findNetworkBinary("netavark") ?? "",
          DNS: { Path: findNetworkBinary("aardvark-dns") ?? "" },
        },
      },
      Store: {
        GraphRoot: engine.paths.root,
        RunRoot: engine.paths.runroot,
        DatabasePath: engine.paths.dbPath,
        ContainerStore: {
          Number: rows.length,
          Running: count(isUp),
          Stopped: count(hasExited),
        },
      },
      Version: { Version: VERSION, Deno: Deno.version.deno },
    };
    const format = str(p, "format");
    if (format && format !== "json") await out(`${compileTemplate(format)(info)}\n`);
    else await out(JSON.stringify(info, null, 2) + "\n");
    return 0;
  },
};
