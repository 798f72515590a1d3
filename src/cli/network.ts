/**
 * `berth network create|ls|inspect|rm|exists|prune|connect|disconnect`: podman's commands, words, output and
 * statuses over the network store (src/engine/networks.ts).
 *
 * @module
 */
import type { Command } from "./command.ts";
import { out } from "./command.ts";
import { bool, list, str } from "./args.ts";
import { errorMessage, NoSuchNetworkError, UsageError } from "../errors.ts";
import { openEngine } from "../engine/context.ts";
import {
  createNetwork,
  findNetwork,
  networks,
  pruneNetworks,
  removeNetwork,
  tryFindNetwork,
} from "../engine/networks.ts";
import type { NetworkConfig } from "../network/types.ts";
import { connectNetwork, disconnectNetwork } from "../engine/network_connect.ts";
import { parseLabels } from "./run_options.ts";
import { compileTemplate, tableHeader } from "../format/template/mod.ts";
import { alignTabs, renderTable } from "../format/table.ts";
import { forEachTarget } from "./targets.ts";
import { confirm } from "./prune.ts";

/** A network as podman's templates see it (its Go field names). */
export function networkTemplateView(n: NetworkConfig): Record<string, unknown> {
  return {
    Name: n.name,
    ID: n.id,
    Driver: n.driver,
    NetworkInterface: n.network_interface,
    Created: n.created,
    Subnets: n.subnets.map((s) => ({ Subnet: s.subnet, Gateway: s.gateway ?? "" })),
    IPv6Enabled: n.ipv6_enabled,
    Internal: n.internal,
    DNSEnabled: n.dns_enabled,
    Labels: n.labels ?? {},
    Options: n.options ?? {},
    IPAMOptions: n.ipam_options,
  };
}

/** podman's `json.MarshalIndent(…, "", "     ")` of inspect. */
function inspectJson(nets: NetworkConfig[]): string {
  return JSON.stringify(nets, null, 5) + "\n";
}

/** `network create` */
export const networkCreateCommand: Command = {
  flags: {
    subnet: {
      type: "string",
      value: "CIDR",
      help: "The network's IPv4 subnet (default: the first free /24 of 10.90.0.0/16)",
    },
    gateway: {
      type: "string",
      value: "IP",
      help: "The gateway's address in the subnet (default: the subnet's first address)",
    },
    internal: { type: "boolean", help: "No route out of the bridge: no NAT, no published ports" },
    label: {
      type: "string",
      multiple: true,
      value: "KEY=VALUE",
      help: "Set a label on the network",
    },
    "disable-dns": {
      type: "boolean",
      help: "No aardvark-dns: containers do not find each other by name",
    },
    driver: {
      type: "string",
      short: "d",
      value: "driver",
      defaultText: '"bridge"',
      help: "The network driver (bridge is the only one)",
    },
  },
  async run(global, p) {
    if (p.positionals.length > 1) throw new UsageError("network create takes one NAME");
    const engine = await openEngine(global);
    // podman's default name: the first free podmanN; berth's: berthN.
    const taken = new Set(networks(engine).map((n) => n.name));
    let name = p.positionals[0];
    for (let i = 1; name === undefined; i++) if (!taken.has(`berth${i}`)) name = `berth${i}`;
    const net = createNetwork(engine, {
      name,
      driver: str(p, "driver"),
      subnet: str(p, "subnet"),
      gateway: str(p, "gateway"),
      internal: bool(p, "internal"),
      dnsEnabled: !bool(p, "disable-dns"),
      labels: parseLabels(list(p, "label")),
    });
    await out(`${net.name}\n`);
    return 0;
  },
};

/** One `--filter KEY=VALUE` of `network ls`: podman's keys. */
function networkFilter(entries: string[]): (n: NetworkConfig) => boolean {
  const byKey = new Map<string, string[]>();
  for (const e of entries) {
    const eq = e.indexOf("=");
    const key = e.slice(0, eq);
    if (eq <= 0 || !["name", "id", "driver", "label"].includes(key)) {
      throw new UsageError(`invalid filter "${e}": use name=, id=, driver= or label=`);
    }
    byKey.set(key, [...(byKey.get(key) ?? []), e.slice(eq + 1)]);
  }
  const test: Record<string, (n: NetworkConfig, v: string) => boolean> = {
    // podman matches names as regular expressions, IDs by prefix.
    name: (n, v) => new RegExp(v).test(n.name),
    id: (n, v) => n.id.startsWith(v),
    driver: (n, v) => n.driver === v,
    label: (n, v) => {
      const eq = v.indexOf("=");
      const labels = n.labels ?? {};
      return eq === -1 ? v in labels : labels[v.slice(0, eq)] === v.slice(eq + 1);
    },
  };
  // Values of one key are alternatives; different keys must all match (podman's rule).
  return (n) => [...byKey].every(([key, values]) => values.some((v) => test[key](n, v)));
}

/** `network ls` */
export const networkLsCommand: Command = {
  flags: {
    format: {
      type: "string",
      help: "json, or a Go template per network ({{.Name}}, {{.ID}}, …; table TEMPLATE: aligned)",
    },
    filter: {
      type: "string",
      short: "f",
      multiple: true,
      value: "KEY=VALUE",
      help:
        "Only the matching networks: name= (a regular expression), id= (a prefix), driver=, label=",
    },
    quiet: { type: "boolean", short: "q", help: "Print the names only" },
    noheading: { type: "boolean", help: "Print no header line" },
    "no-trunc": { type: "boolean", help: "Print full network IDs" },
  },
  async run(global, p) {
    if (p.positionals.length) throw new UsageError("network ls takes no arguments");
    const format = str(p, "format");
    const body = format?.replace(/^table\s+/, "");
    const template = body && format !== "json" ? compileTemplate(body) : undefined;
    const keep = networkFilter(list(p, "filter"));
    const engine = await openEngine(global);
    const nets = networks(engine).filter(keep).sort((a, b) => a.name < b.name ? -1 : 1);
    const id = (n: NetworkConfig) => bool(p, "no-trunc") ? n.id : n.id.slice(0, 12);
    if (bool(p, "quiet")) await out(nets.map((n) => `${n.name}\n`).join(""));
    else if (format === "json") await out(JSON.stringify(nets, null, 2) + "\n");
    else if (template) {
      const lines = nets.map((n) => template({ ...networkTemplateView(n), ID: id(n) }));
      if (format!.startsWith("table")) {
        const header = bool(p, "noheading") ? [] : [tableHeader(body!)];
        await out(alignTabs([...header, ...lines]));
      } else await out(lines.map((l) => `${l}\n`).join(""));
    } else {
      const header = bool(p, "noheading") ? [] : [["NETWORK ID", "NAME", "DRIVER"]];
      await out(renderTable([...header, ...nets.map((n) => [id(n), n.name, n.driver])]));
    }
    return 0;
  },
};

/** `network inspect` */
export const networkInspectCommand: Command = {
  flags: {
    format: {
      type: "string",
      short: "f",
      help: "json, or a Go template per network ({{.Name}}, {{.Subnets}}, …)",
    },
  },
  async run(global, p) {
    if (!p.positionals.length) throw new UsageError("network inspect requires a NETWORK");
    const format = str(p, "format");
    const template = format && format !== "json" ? compileTemplate(format) : undefined;
    const engine = await openEngine(global);
    const found: NetworkConfig[] = [];
    return await forEachTarget(p.positionals, (arg) => {
      found.push(findNetwork(engine, arg));
      return Promise.resolve();
    }, {
      message: (err, arg) =>
        err instanceof NoSuchNetworkError
          ? `inspecting object: network ${arg}: ${err.message}`
          : errorMessage(err),
      beforeErrors: async () => {
        if (template) {
          await out(found.map((n) => `${template(networkTemplateView(n))}\n`).join(""));
        } else await out(inspectJson(found));
      },
    });
  },
};

/** `network rm`: 1 for a missing network, 2 for one in use, as podman. */
export const networkRmCommand: Command = {
  flags: {
    force: {
      type: "boolean",
      short: "f",
      help: "Remove the network's containers first (stopping running ones)",
    },
    time: {
      type: "string",
      short: "t",
      value: "uint",
      help: "With -f: seconds before a running container is killed (default: its stop timeout)",
    },
  },
  async run(global, p) {
    if (!p.positionals.length) throw new UsageError("network rm requires at least one NETWORK");
    const time = str(p, "time");
    const timeout = time === undefined ? undefined : Number(time);
    if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 0)) {
      throw new UsageError(`invalid --time "${time}": use whole seconds`);
    }
    const force = bool(p, "force");
    const engine = await openEngine(global);
    return await forEachTarget(
      p.positionals,
      async (arg) => `${await removeNetwork(engine, arg, force, timeout)}\n`,
      {
        statusOf: (err) =>
          err instanceof NoSuchNetworkError ? 1 : (err as { exitCode?: number }).exitCode ?? 125,
        // podman's `rm -f` passes over a network that is not there.
        skip: (err) => force && err instanceof NoSuchNetworkError,
      },
    );
  },
};

/** `network exists`: 0 if it exists, 1 if not. */
export const networkExistsCommand: Command = {
  flags: {},
  async run(global, p) {
    if (p.positionals.length !== 1) throw new UsageError("network exists requires one NETWORK");
    const engine = await openEngine(global);
    return tryFindNetwork(engine, p.positionals[0]) ? 0 : 1;
  },
};

/** `network prune`: every network no container uses (asks without `-f`). */
export const networkPruneCommand: Command = {
  flags: {
    force: { type: "boolean", short: "f", help: "Do not ask for confirmation" },
    filter: {
      type: "string",
      multiple: true,
      value: "KEY=VALUE",
      help: "Prune only the matching networks: name=, id=, driver=, label=",
    },
  },
  async run(global, p) {
    if (p.positionals.length) throw new UsageError("network prune takes no arguments");
    const keep = networkFilter(list(p, "filter"));
    if (
      !bool(p, "force") &&
      !await confirm(
        "WARNING! This will remove all networks not used by at least one container.\nAre you sure you want to continue?",
      )
    ) return 0;
    const engine = await openEngine(global);
    await out(pruneNetworks(engine, keep).map((n) => `${n}\n`).join(""));
    return 0;
  },
};

/** `network connect [--alias NAME]... NETWORK CONTAINER` */
export const networkConnectCommand: Command = {
  flags: {
    alias: {
      type: "string",
      multiple: true,
      value: "name",
      help: "Another name the network's DNS answers with the container's address",
    },
  },
  async run(global, p) {
    if (p.positionals.length !== 2) {
      throw new UsageError("network connect requires a NETWORK and a CONTAINER");
    }
    const engine = await openEngine(global);
    await connectNetwork(engine, p.positionals[0], p.positionals[1], list(p, "alias"));
    return 0;
  },
};

/** `network disconnect NETWORK CONTAINER` */
export const networkDisconnectCommand: Command = {
  flags: {
    force: { type: "boolean", short: "f", help: "Accepted for podman compatibility" },
  },
  async run(global, p) {
    if (p.positionals.length !== 2) {
      throw new UsageError("network disconnect requires a NETWORK and a CONTAINER");
    }
    const engine = await openEngine(global);
    await disconnectNetwork(engine, p.positionals[0], p.positionals[1]);
    return 0;
  },
};
