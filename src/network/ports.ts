/**
 * `-p/--publish [IP:][HOSTPORT:]CTRPORT[/tcp|udp]` (ports may be ranges `A-B`) into
 * netavark's port mappings, and `berth port`'s lines. Pure; a missing host port is left 0
 * for the caller to choose.
 *
 * @module
 */
import { ConflictError, UsageError } from "../errors.ts";
import { parseIp } from "./ipv4.ts";
import type { PortMapping } from "./types.ts";

/** A port or a range `A-B`: its first port and how many. */
function parseRange(text: string, what: string, spec: string): { port: number; n: number } {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  const first = m ? Number(m[1]) : NaN;
  const last = m?.[2] !== undefined ? Number(m[2]) : first;
  if (!m || first < 1 || last > 65535 || last < first) {
    throw new UsageError(`invalid ${what} "${text}" in port mapping "${spec}"`);
  }
  return { port: first, n: last - first + 1 };
}

/**
 * Parse one `-p` value.
 *
 * @throws {UsageError} naming the bad part
 */
export function parsePublish(spec: string): PortMapping {
  let rest = spec;
  let protocol: PortMapping["protocol"] = "tcp";
  const slash = rest.lastIndexOf("/");
  if (slash !== -1) {
    const proto = rest.slice(slash + 1);
    if (proto !== "tcp" && proto !== "udp") {
      throw new UsageError(`invalid protocol "${proto}" in port mapping "${spec}": use tcp or udp`);
    }
    protocol = proto;
    rest = rest.slice(0, slash);
  }
  const parts = rest.split(":");
  if (parts.length > 3) throw new UsageError(`invalid port mapping "${spec}"`);
  const ctr = parseRange(parts[parts.length - 1], "container port", spec);
  const hostText = parts.length >= 2 ? parts[parts.length - 2] : "";
  const hostIp = parts.length === 3 ? parts[0] : "";
  if (hostIp !== "" && parseIp(hostIp) === undefined) {
    throw new UsageError(`invalid host IP "${hostIp}" in port mapping "${spec}"`);
  }
  const host = hostText === "" ? { port: 0, n: ctr.n } : parseRange(hostText, "host port", spec);
  if (host.n !== ctr.n) {
    throw new UsageError(`port ranges of different lengths in port mapping "${spec}"`);
  }
  return {
    host_ip: hostIp,
    container_port: ctr.port,
    host_port: host.port,
    range: ctr.n,
    protocol,
  };
}

/** `berth port`'s lines, podman's: `80/tcp -> 127.0.0.1:8080`, one per port of a range. */
export function portLines(ports: PortMapping[]): string[] {
  return ports.flatMap((m) =>
    Array.from(
      { length: m.range },
      (_, i) =>
        `${m.container_port + i}/${m.protocol} -> ${m.host_ip || "0.0.0.0"}:${m.host_port + i}`,
    )
  );
}

/** `ps`'s PORTS column, podman's: `127.0.0.1:8080->80/tcp, 0.0.0.0:9000-9001->90-91/udp`. */
export function portsText(ports: PortMapping[]): string {
  const span = (p: number, n: number) => n > 1 ? `${p}-${p + n - 1}` : `${p}`;
  return ports.map((m) =>
    `${m.host_ip || "0.0.0.0"}:${span(m.host_port, m.range)}->${
      span(m.container_port, m.range)
    }/${m.protocol}`
  ).join(", ");
}

/** inspect's `NetworkSettings.Ports`: `{"80/tcp": [{HostIp, HostPort}]}`. */
export function portsView(
  ports: PortMapping[],
): Record<string, { HostIp: string; HostPort: string }[]> {
  const view: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const m of ports) {
    for (let i = 0; i < m.range; i++) {
      (view[`${m.container_port + i}/${m.protocol}`] ??= []).push({
        HostIp: m.host_ip,
        HostPort: String(m.host_port + i),
      });
    }
  }
  return view;
}

/** A TCP port of `hostIp` nobody listens on now (the kernel's pick). */
function freePort(hostIp: string): number {
  const l = Deno.listen({ hostname: hostIp || "0.0.0.0", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * Give every mapping without a host port a free one (podman picks at create too), and
 * refuse a host port that a process of the host listens on already.
 *
 * @throws {ConflictError} with podman's words when a port is taken
 */
export function assignHostPorts(ports: PortMapping[]): PortMapping[] {
  return ports.flatMap((m) => {
    if (m.host_port === 0) {
      return Array.from({ length: m.range }, (_, i) => ({
        ...m,
        container_port: m.container_port + i,
        host_port: freePort(m.host_ip),
        range: 1,
      }));
    }
    if (m.protocol === "tcp") {
      for (let i = 0; i < m.range; i++) {
        const port = m.host_port + i;
        try {
          Deno.listen({ hostname: m.host_ip || "0.0.0.0", port }).close();
        } catch (err) {
          if (!(err instanceof Deno.errors.AddrInUse)) throw err;
          throw new ConflictError(
            `cannot listen on the TCP port: listen tcp4 ${m.host_ip}:${port}: bind: address already in use`,
          );
        }
      }
    }
    return [m];
  });
}
