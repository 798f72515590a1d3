/**
 * The files podman bind-mounts over a container's `/etc`: `resolv.conf` (the host's, so
 * names resolve with the host network; none without a network), `hosts` (the host's entries
 * plus the container's own name) and `hostname`. Images rarely ship working copies, and a
 * CI step that cannot resolve names cannot install anything.
 *
 * @module
 */
import type { ContainerSpec } from "./spec.ts";

/** Where the generated files are, to bind into the container at `/etc/<name>`. */
export interface EtcFiles {
  resolvConf?: string;
  hosts: string;
  hostname: string;
}

/** The container's hostname: `--hostname`, else the host's (host network) or the short ID. */
export function containerHostname(spec: ContainerSpec, id: string, hostHostname: string): string {
  if (spec.hostname) return spec.hostname;
  return spec.network === "host" ? hostHostname : id.slice(0, 12);
}

/**
 * `/etc/hosts` for the container: the host's entries, then the container's hostname and
 * name on 127.0.0.1 unless the host's file already names the hostname.
 */
export function hostsFileContent(hostHosts: string, hostname: string, name: string): string {
  let text = hostHosts;
  if (text && !text.endsWith("\n")) text += "\n";
  const named = text.split("\n").some((line) => {
    const fields = line.replace(/#.*/, "").trim().split(/\s+/);
    return fields.length > 1 && fields.slice(1).includes(hostname);
  });
  if (text === "") text = "127.0.0.1\tlocalhost\n::1\tlocalhost\n";
  if (!named) text += `127.0.0.1\t${[...new Set([hostname, name])].join(" ")}\n`;
  return text;
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
  id: string,
  name: string,
  spec: ContainerSpec,
): Partial<EtcFiles> {
  const hostname = containerHostname(spec, id, Deno.hostname());
  const taken = userBinds(spec);
  const files: Partial<EtcFiles> = {};
  const write = (file: string, text: string) => {
    const path = `${dir}/${file}`;
    Deno.writeTextFileSync(path, text);
    return path;
  };
  if (!taken.has("/etc/hostname")) files.hostname = write("hostname", `${hostname}\n`);
  if (!taken.has("/etc/hosts")) {
    files.hosts = write("hosts", hostsFileContent(readHostFile("/etc/hosts"), hostname, name));
  }
  if (spec.network === "host" && !taken.has("/etc/resolv.conf")) {
    files.resolvConf = write("resolv.conf", readHostFile("/etc/resolv.conf"));
  }
  return files;
}
