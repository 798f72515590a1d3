/**
 * `--network` of `create`/`run`: `host`, `none`, `container:CTR`, `bridge` (the default
 * network, made on first use), or the names of bridge networks (`NAME[,NAME]`), which must
 * exist when the container is created.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { DEFAULT_NETWORK } from "../engine/networks.ts";

/** What a `--network` value asks for. */
export interface NetworkMode {
  network: "host" | "none" | "container" | "bridge";
  /** `container:X`: X as given. */
  networkFrom?: string;
  /** The bridge networks' names, in order. */
  networks: string[];
}

/** Modes podman knows that berth does not offer (yet). */
const UNSUPPORTED = ["private", "slirp4netns", "pasta", "ns"];

/**
 * Parse one `--network` value.
 *
 * @throws {UsageError} on an empty name or a mode berth does not offer
 */
export function parseNetworkArg(arg: string): NetworkMode {
  if (arg === "host" || arg === "none") return { network: arg, networks: [] };
  if (arg.startsWith("container:")) {
    const from = arg.slice("container:".length);
    if (from === "") throw new UsageError(`invalid network mode "${arg}"`);
    return { network: "container", networkFrom: from, networks: [] };
  }
  // podman's and docker's word for the default network.
  if (arg === "bridge") return { network: "bridge", networks: [DEFAULT_NETWORK] };
  const mode = arg.split(":")[0];
  if (UNSUPPORTED.includes(mode)) {
    throw new UsageError(
      `unsupported network mode "${arg}": use host, none, container:NAME or a network of berth network create`,
    );
  }
  const networks = arg.split(",");
  if (networks.some((n) => n === "")) throw new UsageError(`invalid network mode "${arg}"`);
  return { network: "bridge", networks: [...new Set(networks)] };
}
