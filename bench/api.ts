/**
 * The Docker API scenario (issue #10): `docker run --rm IMAGE true` through berth's socket
 * (`berth system service`) and through podman's (`podman system service`), interleaved. Both
 * services are started by the bench on sockets in its temp dir, each over its engine's private
 * store with the bench's busybox rootfs imported under the same image name, and stopped at the
 * end. The docker CLI is the same binary on both sides; only `DOCKER_HOST` differs.
 *
 * @module
 */
import { berthArgv, type EngineSetup, PODMAN_ULIMITS, podmanArgv } from "./engines.ts";
import { execTimed, sleep, type Spawned, spawnTimed, tail } from "./exec.ts";
import { runInterleaved, type Variant, type VariantResult } from "./latency.ts";

/** Where the bench expects the docker CLI (the brief's host fact). */
export const DOCKER_CLI = "/usr/local/bin/docker";

/** The image both stores get: the bench's busybox rootfs, imported. */
export const API_IMAGE = "localhost/berth-bench-busybox:latest";

/** The probe run through each socket before timing: its exit code must come back. */
export const PROBE_CMD = ["sh", "-c", "exit 3"];

/** The exit code {@linkcode PROBE_CMD} ends with. */
export const PROBE_CODE = 3;

/** The engines behind a socket. */
export type ApiEngine = "berth" | "podman";

/** The engine's `system service` on `sock`, never timing out (`--time 0`). */
export function serviceArgv(s: EngineSetup, engine: ApiEngine, sock: string): string[] {
  const args = ["system", "service", "--time", "0", `unix://${sock}`];
  return engine === "berth" ? berthArgv(s, args) : podmanArgv(s, args);
}

/** `ENGINE import TAR IMAGE` into the engine's private store. */
export function importArgv(s: EngineSetup, engine: ApiEngine, tar: string, image: string) {
  const args = ["import", tar, image];
  return engine === "berth" ? berthArgv(s, args) : podmanArgv(s, args);
}

/**
 * `docker run [--rm | --name NAME] --network none ULIMITS IMAGE CMD…`: the same command for both
 * sockets (`--rm` unless `name` is given). podman's default ulimits exceed this host's hard
 * limits, so both get the bench's ones.
 */
export function dockerRunArgv(docker: string, image: string, cmd: string[], name?: string) {
  const keep = name === undefined ? ["--rm"] : ["--name", name];
  return [docker, "run", ...keep, "--network", "none", ...PODMAN_ULIMITS, image, ...cmd];
}

/** The environment that points the docker CLI at `sock` (and nowhere else). */
export function dockerEnv(sock: string): Record<string, string> {
  return { DOCKER_HOST: `unix://${sock}`, DOCKER_CONTEXT: "default" };
}

/** `tar -C ROOTFS -cf TAR .`: the rootfs as an import tarball. */
export function tarArgv(rootfs: string, tar: string): string[] {
  return ["tar", "-C", rootfs, "-cf", tar, "."];
}

/** How a service ended: `null` if it stopped as asked (exit 0 or the SIGTERM), else why not. */
export function serviceEndProblem(code: number | null, signal: string | null): string | null {
  if (code === 0 || signal === "SIGTERM" || code === 143) return null;
  return signal ? `killed by ${signal}` : `exit ${code}`;
}

/** One service the scenario runs. */
export interface ApiService {
  engine: ApiEngine;
  sock: string;
  /** Time from spawn until `docker version` answered, ms; `null` if it never did. */
  readyMs: number | null;
  /** `docker version`'s server version line. */
  serverVersion: string | null;
  /**
   * What `docker run --rm … exit 3` gave: podman 4.3's compat API loses the code under `--rm`
   * (0; containers/podman#18889), which is recorded, not held against its timings.
   */
  rmExitCode?: number | null;
  /** Why this engine was left out or how its service failed; `null` if all went well. */
  problem: string | null;
}

/** What the scenario measured. */
export interface ApiResult {
  services: ApiService[];
  latency: VariantResult[];
}

/** Wait until the docker CLI gets an answer from `sock`, up to `timeoutMs`. */
async function waitReady(
  docker: string,
  sock: string,
  child: Spawned,
  timeoutMs: number,
): Promise<{ ms: number | null; version: string | null; why: string }> {
  const t0 = performance.now();
  let exited = false;
  child.done.then(() => exited = true);
  let last = "";
  while (performance.now() - t0 < timeoutMs && !exited) {
    const r = await execTimed([docker, "version", "--format", "{{.Server.Version}}"], {
      env: dockerEnv(sock),
      timeoutMs: 10_000,
    });
    if (r.code === 0) return { ms: performance.now() - t0, version: r.stdout.trim(), why: "" };
    last = tail(r.stderr, 200);
    await sleep(100);
  }
  return { ms: null, version: null, why: exited ? "the service exited" : `no answer: ${last}` };
}

/**
 * A container's own exit code must come back through the API, or `true`'s 0 proves nothing:
 * `docker run --name … exit 3` must give 3 (else a problem: the engine is left out); what the
 * same with `--rm` gives is returned as it is.
 */
async function probeExitCodes(
  docker: string,
  sock: string,
  timeoutMs: number,
): Promise<{ problem: string | null; rmExitCode: number | null }> {
  const env = dockerEnv(sock);
  const name = "berth-bench-probe";
  const named = await execTimed(dockerRunArgv(docker, API_IMAGE, PROBE_CMD, name), {
    env,
    timeoutMs,
  });
  const rm = await execTimed([docker, "rm", "-f", name], { env, timeoutMs });
  if (named.code !== PROBE_CODE) {
    const why = `probe: docker run … exit ${PROBE_CODE} gave exit ${named.code}`;
    return { problem: `${why}: ${tail(named.stderr, 200)}`, rmExitCode: null };
  }
  if (rm.code !== 0) {
    return {
      problem: `probe: docker rm -f: exit ${rm.code}: ${tail(rm.stderr, 200)}`,
      rmExitCode: null,
    };
  }
  const withRm = await execTimed(dockerRunArgv(docker, API_IMAGE, PROBE_CMD), { env, timeoutMs });
  return { problem: null, rmExitCode: withRm.code };
}

/** SIGTERM the service, then SIGKILL after 15 s; returns the problem, if any. */
async function stopService(child: Spawned): Promise<string | null> {
  try {
    Deno.kill(child.pid, "SIGTERM");
  } catch { /* already gone: its result says why */ }
  const timer = setTimeout(() => {
    try {
      Deno.kill(child.pid, "SIGKILL");
    } catch { /* gone */ }
  }, 15_000);
  const r = await child.done;
  clearTimeout(timer);
  const why = serviceEndProblem(r.code, r.signal);
  return why ? `${why}: ${tail(r.stderr || r.stdout, 300)}` : null;
}

/**
 * Run the scenario for `engines` (those the bench could probe): tar the rootfs, import it,
 * start each service, time `docker run` through each socket (interleaved), stop them.
 */
export async function runApiScenario(
  s: EngineSetup,
  base: string,
  engines: ApiEngine[],
  env: Record<string, string>,
  o: { docker: string; runs: number; warmup: number; timeoutMs: number },
  progress: (msg: string) => void,
): Promise<ApiResult> {
  const services: ApiService[] = [];
  const tar = `${base}/rootfs.tar`;
  const t = await execTimed(tarArgv(s.rootfs, tar), { timeoutMs: o.timeoutMs });
  if (t.code !== 0) {
    const problem = `tar of the rootfs: exit ${t.code}: ${tail(t.stderr, 200)}`;
    return { services: engines.map((e) => ({ ...noService(e, ""), problem })), latency: [] };
  }
  const running: { svc: ApiService; child: Spawned }[] = [];
  try {
    for (const engine of engines) {
      const svc = noService(engine, `${base}/api-${engine}.sock`);
      services.push(svc);
      const imp = await execTimed(importArgv(s, engine, tar, API_IMAGE), {
        env,
        timeoutMs: o.timeoutMs,
      });
      if (imp.code !== 0) {
        svc.problem = `import: exit ${imp.code}: ${tail(imp.stderr, 200)}`;
        continue;
      }
      // The service lives until stopService; no timeout of its own.
      const child = spawnTimed(serviceArgv(s, engine, svc.sock), { env, timeoutMs: 2 ** 31 - 1 });
      running.push({ svc, child });
      const ready = await waitReady(o.docker, svc.sock, child, 60_000);
      svc.readyMs = ready.ms;
      svc.serverVersion = ready.version;
      if (ready.ms === null) {
        svc.problem = `service not ready: ${ready.why}`;
        continue;
      }
      progress(`  api: ${engine} service ready in ${Math.round(ready.ms)} ms`);
      const probe = await probeExitCodes(o.docker, svc.sock, o.timeoutMs);
      svc.problem = probe.problem;
      svc.rmExitCode = probe.rmExitCode;
    }
    const variants: Variant[] = services.filter((x) => x.problem === null).map((x) => ({
      name: `${x.engine}-api`,
      label: `docker run --rm --network none (${x.engine} system service)`,
      argv: () => dockerRunArgv(o.docker, API_IMAGE, ["true"]),
      expectCode: 0,
      env: dockerEnv(x.sock),
    }));
    progress(`bench: api, ${o.runs} runs × ${variants.map((v) => v.name).join(" ")}`);
    const latency = variants.length
      ? await runInterleaved(variants, o.runs, o.warmup, o.timeoutMs, progress)
      : [];
    return { services, latency };
  } finally {
    for (const { svc, child } of running) {
      const why = await stopService(child);
      if (why) svc.problem = svc.problem ?? `service: ${why}`;
    }
  }
}

function noService(engine: ApiEngine, sock: string): ApiService {
  return { engine, sock, readyMs: null, serverVersion: null, problem: null };
}
