/**
 * System endpoints: `HEAD`/`GET /_ping`, `GET /version`, `GET /info`, `GET /events`.
 *
 * @module
 */
import type { Route } from "../router.ts";
import { API_VERSION, MIN_API_VERSION } from "../router.ts";
import { hasExited, isCreated, isUp, type State } from "../../engine/states.ts";
import { listContainers } from "../../store/containers.ts";
import { listImages } from "../../store/images.ts";
import { goArch } from "../../platform.ts";
import { VERSION } from "../../version.ts";
import { type ContainerEvent, watchContainerEvents } from "../../engine/container_events.ts";
import { parseFilters, queryTime } from "./query.ts";

const PING_HEADERS = {
  "Cache-Control": "no-cache, no-store, must-revalidate",
  "Pragma": "no-cache",
  "Builder-Version": "",
  "Swarm": "inactive",
};

/** The /version body (docker's field names). */
export function versionBody(): Record<string, unknown> {
  return {
    Platform: { Name: "berth" },
    Components: [{ Name: "Engine", Version: VERSION, Details: { ApiVersion: API_VERSION } }],
    Version: VERSION,
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: "",
    GoVersion: `deno${Deno.version.deno}`,
    Os: "linux",
    Arch: goArch(),
    KernelVersion: Deno.osRelease(),
    BuildTime: "",
  };
}

/** The routes of this file. */
export const routes: Route[] = [
  {
    method: "HEAD",
    pattern: "/_ping",
    handler: (_req, res) => res.empty(200, { ...PING_HEADERS, "Content-Type": "text/plain" }),
  },
  {
    method: "GET",
    pattern: "/_ping",
    handler: async (_req, res) => {
      const w = await res.stream(200, {
        ...PING_HEADERS,
        "Content-Type": "text/plain; charset=utf-8",
      });
      await w.write("OK");
      await w.close();
    },
  },
  { method: "GET", pattern: "/version", handler: (_req, res) => res.json(200, versionBody()) },
  {
    method: "GET",
    pattern: "/info",
    handler: async (_req, res, engine) => {
      const rows = listContainers(engine.store);
      const count = (pred: (s: State) => boolean) => rows.filter((r) => pred(r.state)).length;
      let memTotal = 0;
      try {
        memTotal = Deno.systemMemoryInfo().total;
      } catch { /* unknown */ }
      await res.json(200, {
        ID: "",
        Containers: rows.length,
        ContainersRunning: count(isUp),
        ContainersPaused: 0,
        ContainersStopped: count((s) => hasExited(s) || isCreated(s)),
        Images: listImages(engine.store).length,
        Driver: "overlay",
        DriverStatus: [],
        DockerRootDir: engine.paths.root,
        Name: Deno.hostname(),
        NCPU: navigator.hardwareConcurrency,
        MemTotal: memTotal,
        OSType: "linux",
        OperatingSystem: "linux",
        OSVersion: "",
        Architecture: Deno.build.arch,
        KernelVersion: Deno.osRelease(),
        ServerVersion: VERSION,
        IndexServerAddress: "https://index.docker.io/v1/",
        RegistryConfig: { IndexConfigs: {}, InsecureRegistryCIDRs: [], Mirrors: [] },
        Runtimes: { [engine.opts.runtime]: { path: engine.opts.runtime } },
        DefaultRuntime: engine.opts.runtime,
        CgroupDriver: "cgroupfs",
        CgroupVersion: "1",
        LoggingDriver: "k8s-file",
        Plugins: { Volume: ["local"], Network: ["host", "none"], Log: ["k8s-file"] },
        Swarm: { LocalNodeState: "inactive", NodeID: "", NodeAddr: "" },
        SecurityOptions: [],
        Labels: [],
        Warnings: [],
        ExperimentalBuild: false,
        LiveRestoreEnabled: true,
      });
    },
  },
];

/** An event in Docker's message shape (old and new fields both, as dockerd sends). */
export function dockerEvent(e: ContainerEvent): Record<string, unknown> {
  const attributes: Record<string, string> = {
    ...e.labels,
    image: e.image,
    name: e.name,
    ...(e.exitCode === undefined ? {} : { exitCode: String(e.exitCode) }),
  };
  return {
    status: e.action,
    id: e.id,
    from: e.image,
    Type: "container",
    Action: e.action,
    Actor: { ID: e.id, Attributes: attributes },
    scope: "local",
    time: Math.floor(e.time / 1000),
    timeNano: e.time * 1_000_000,
  };
}

/** Whether an event passes `filters` (type, event, container, image, label). */
export function eventPasses(e: ContainerEvent, filters: Map<string, string[]>): boolean {
  const any = (key: string, pred: (v: string) => boolean) => {
    const values = filters.get(key);
    return !values || values.length === 0 || values.some(pred);
  };
  return any("type", (v) => v === "container") &&
    any("event", (v) => v === e.action) &&
    any("container", (v) => e.id.startsWith(v) || e.name === v) &&
    any(
      "image",
      (v) => e.image === v || e.image.endsWith(`/${v}`) || e.image.startsWith(`${v}:`),
    ) &&
    (filters.get("label") ?? []).every((v) => {
      const eq = v.indexOf("=");
      return eq === -1 ? v in e.labels : e.labels[v.slice(0, eq)] === v.slice(eq + 1);
    });
}

routes.push({
  method: "GET",
  pattern: "/events",
  handler: async (req, res, engine) => {
    const filters = parseFilters(req.query.get("filters"));
    const until = queryTime(req.query, "until");
    const w = await res.stream(200, { "Content-Type": "application/json" });
    await watchContainerEvents(
      engine,
      async (e) => {
        if (eventPasses(e, filters)) await w.write(JSON.stringify(dockerEvent(e)) + "\n");
      },
      req.signal,
      until,
    ).catch((err) => {
      if (!req.signal.aborted) throw err;
    });
    await w.close();
  },
});
