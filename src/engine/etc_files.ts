/**
 * The files podman bind-mounts over a container's `/etc`: `resolv.conf` (the host's, so
 * names resolve with the host network; none without a network), `hosts` (the host's entries
 * plus the container's own name), `hostname`, and `localtime` for `--tz`. Images rarely ship working copies, and a
 * CI step that cannot resolve names cannot install anything.
 *
 * @module
 */
import type { ContainerSpec, DnsSpec, EtcFiles } from "../spec.ts";
import type { NetworkStatus } from "../network/types.ts";

export type { EtcFiles };
import { readFromLayers } from "../image/user.ts";
import { VERSION } from "../version.ts";

/** Whether a passwd or group file (`name:x:id:…`) lists `id` in its third field. */
function listsId(file: string, id: number): boolean {
  return file.split("\n").some((line) => line.split(":")[2] === String(id));
}

/**
 * podman's answer to `--user UID` that the image's `/etc/passwd` does not know (`id -un`,
 * git and ssh fail without an entry): the file with one added; undefined if none is needed.
 */
export function passwdWithUser(
  passwd: string | undefined,
  uid: number,
  gid: number,
): string | undefined {
  if (uid === 0 || (passwd !== undefined && listsId(passwd, uid))) return undefined;
  let text = passwd ?? "root:x:0:0:root:/root:/bin/sh\n";
  if (text && !text.endsWith("\n")) text += "\n";
  return `${text}${uid}:*:${uid}:${gid}:container user:/:/bin/sh\n`;
}

/** Likewise for a group the image's `/etc/group` does not list. */
export function groupWithGid(group: string | undefined, gid: number): string | undefined {
  if (gid === 0 || (group !== undefined && listsId(group, gid))) return undefined;
  let text = group ?? "root:x:0:\n";
  if (text && !text.endsWith("\n")) text += "\n";
  return `${text}${gid}:x:${gid}:\n`;
}

/** The container's hostname: `--hostname`, else the host's (host network) or the short ID. */
export function containerHostname(spec: ContainerSpec, id: string, hostHostname: string): string {
  if (spec.hostname) return spec.hostname;
  return spec.network === "host" ? hostHostname : id.slice(0, 12);
}

/**
 * `/etc/hosts` for the container: the host's entries, then the container's hostname and
 * name on `ip` (127.0.0.1, or its address on a bridge network) unless the host's file
 * already names the hostname.
 */
export function hostsFileContent(
  hostHosts: string,
  hostname: string,
  name: string,
  ip = "127.0.0.1",
): string {
  let text = hostHosts;
  if (text && !text.endsWith("\n")) text += "\n";
  const named = text.split("\n").some((line) => {
    const fields = line.replace(/#.*/, "").trim().split(/\s+/);
    return fields.length > 1 && fields.slice(1).includes(hostname);
  });
  if (text === "") text = "127.0.0.1\tlocalhost\n::1\tlocalhost\n";
  if (!named) text += `${ip}\t${[...new Set([hostname, name])].join(" ")}\n`;
  return text;
}

/** `/etc/resolv.conf` for `--dns`, `--dns-search`, `--dns-option` (the host's servers if none). */
export function resolvConfContent(
  dns: DnsSpec,
  hostResolv = readHostFile("/etc/resolv.conf"),
): string {
  const servers = dns.servers.length
    ? dns.servers
    : hostResolv.split("\n").filter((l) => /^\s*nameserver\s/.test(l)).map((l) =>
      l.trim().split(/\s+/)[1]
    );
  return [
    ...(dns.search.length ? [`search ${dns.search.join(" ")}`] : []),
    ...servers.map((s) => `nameserver ${s}`),
    ...(dns.options.length ? [`options ${dns.options.join(" ")}`] : []),
  ].join("\n") + "\n";
}

/** A bridged container's first address and its networks' DNS servers, from netavark's answer. */
export function bridgeFacts(
  status: Record<string, NetworkStatus>,
): { ip?: string; dnsServers: string[]; search: string[] } {
  const nets = Object.values(status);
  const ipnet = nets.flatMap((n) => Object.values(n.interfaces ?? {}))
    .flatMap((i) => i.subnets ?? [])[0]?.ipnet;
  return {
    ip: ipnet?.split("/")[0],
    dnsServers: [...new Set(nets.flatMap((n) => n.dns_server_ips ?? []))],
    search: [...new Set(nets.flatMap((n) => n.dns_search_domains ?? []))],
  };
}

/**
 * `/run/.containerenv`, podman's marker that a process runs in a container: empty, except
 * for a privileged container, which may need to know its name, ID and image (podman's keys).
 * The engine is named honestly: `berth-<version>`.
 */
export function containerenvContent(spec: ContainerSpec, id: string, name: string): string {
  if (!spec.privileged) return "";
  const q = (s: string) => JSON.stringify(s);
  return [
    `engine=${q(`berth-${VERSION}`)}`,
    `name=${q(name)}`,
    `id=${q(id)}`,
    `image=${q(spec.imageId ? spec.imageName : "")}`,
    `imageid=${q(spec.imageId ?? "")}`,
    "rootless=0",
    "",
  ].join("\n");
}

/** Destinations the user already binds (`-v …:/etc/hosts`): those are left to the user. */
function userBinds(spec: ContainerSpec): Set<string> {
  return new Set(spec.volumes.map((v) => v.destination.replace(/\/+$/, "")));
}

function readHostFile(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}

/**
 * Write the container's `/etc` files into `dir` (its directory; they go with it) and return
 * the ones to bind-mount.
 */
export function writeEtcFiles(
  dir: string,
  name: string,
  spec: ContainerSpec,
  rootfsPath: string,
  id: string,
  network?: Record<string, NetworkStatus>,
): Partial<EtcFiles> {
  const onBridge = network ? bridgeFacts(network) : undefined;
  const hostname = spec.hostname; // settled at create (containerHostname)
  const taken = userBinds(spec);
  const files: Partial<EtcFiles> = {};
  const write = (file: string, text: string) => {
    const path = `${dir}/${file}`;
    Deno.writeTextFileSync(path, text);
    return path;
  };
  if (!taken.has("/etc/hostname")) files.hostname = write("hostname", `${hostname}\n`);
  if (!taken.has("/etc/hosts")) {
    const hosts = hostsFileContent(readHostFile("/etc/hosts"), hostname, name, onBridge?.ip) +
      (spec.addHosts ?? []).map((line) => `${line}\n`).join("");
    files.hosts = write("hosts", hosts);
  }
  if (!spec.noDns && !taken.has("/etc/resolv.conf")) {
    if (spec.dns) files.resolvConf = write("resolv.conf", resolvConfContent(spec.dns));
    else if (onBridge?.dnsServers.length) {
      // The network's aardvark-dns answers with the containers' names, and forwards the rest.
      files.resolvConf = write(
        "resolv.conf",
        resolvConfContent({ servers: onBridge.dnsServers, search: onBridge.search, options: [] }),
      );
    } else if (spec.network !== "none") {
      files.resolvConf = write("resolv.conf", readHostFile("/etc/resolv.conf"));
    }
  }
  // Read through the container's root without following its symlinks to the host.
  const passwd = taken.has("/etc/passwd")
    ? undefined
    : passwdWithUser(readFromLayers([rootfsPath], "etc/passwd"), spec.user.uid, spec.user.gid);
  if (passwd) files.passwd = write("passwd", passwd);
  const group = taken.has("/etc/group")
    ? undefined
    : groupWithGid(readFromLayers([rootfsPath], "etc/group"), spec.user.gid);
  if (group) files.group = write("group", group);
  if (!taken.has("/run") && !taken.has("/run/.containerenv")) {
    files.containerenv = write(".containerenv", containerenvContent(spec, id, name));
  }
  if (spec.timezone && !taken.has("/etc/localtime")) {
    // A copy, as podman: the container keeps its zone if the host's file changes or goes.
    const zone = Deno.realPathSync(
      spec.timezone === "local" ? "/etc/localtime" : `/usr/share/zoneinfo/${spec.timezone}`,
    );
    files.localtime = `${dir}/localtime`;
    Deno.copyFileSync(zone, files.localtime);
  }
  return files;
}
