/** The pure parts of bridge networks: IPv4 subnets, `-p` specs, `--network` values. */
import { assertEquals, assertThrows } from "./assert.ts";
import {
  firstFreeHost,
  formatCidr,
  formatIp,
  overlaps,
  parseCidr,
  parseIp,
  parseProcRoutes,
} from "../../src/network/ipv4.ts";
import { parsePublish, portLines, portsText, portsView } from "../../src/network/ports.ts";
import { parseNetworkArg } from "../../src/cli/network_mode.ts";
import { UsageError } from "../../src/errors.ts";
import { bridgeFacts, hostsFileContent } from "../../src/engine/etc_files.ts";
import { exposedPorts } from "../../src/engine/spec_builder.ts";

Deno.test("CIDRs: host bits cleared, overlap both ways, podman's error", () => {
  assertEquals(formatCidr(parseCidr("10.89.3.7/24")), "10.89.3.0/24");
  assertEquals(formatIp(parseIp("255.1.0.9")!), "255.1.0.9");
  assertEquals(parseIp("1.2.3"), undefined);
  assertEquals(overlaps(parseCidr("10.0.0.0/8"), parseCidr("10.2.0.0/16")), true);
  assertEquals(overlaps(parseCidr("10.2.0.0/16"), parseCidr("10.0.0.0/8")), true);
  assertEquals(overlaps(parseCidr("10.1.0.0/24"), parseCidr("10.1.1.0/24")), false);
  for (const bad of ["10.1.2.3", "10.1.2.0/33", "10.1.2/24", "x/8", "10.1.2.0/24/1"]) {
    assertEquals(
      assertThrows(() => parseCidr(bad), UsageError).message,
      `invalid CIDR address: ${bad}`,
    );
  }
});

Deno.test("addresses: the first free host, never the network, broadcast or a taken one", () => {
  const c = parseCidr("10.5.0.0/30");
  assertEquals(formatIp(firstFreeHost(c, new Set([parseIp("10.5.0.1")!]))!), "10.5.0.2");
  assertEquals(firstFreeHost(c, new Set([parseIp("10.5.0.1")!, parseIp("10.5.0.2")!])), undefined);
});

Deno.test("/proc/net/route: prefixes without the default route", () => {
  const text = `Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
br0\t0000580A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
`;
  assertEquals(parseProcRoutes(text).map(formatCidr), ["192.168.1.0/24", "10.88.0.0/16"]);
});

Deno.test("-p: podman's forms, ranges, protocols; bad specs are usage errors", () => {
  assertEquals(parsePublish("127.0.0.1:8080:80"), {
    host_ip: "127.0.0.1",
    host_port: 8080,
    container_port: 80,
    range: 1,
    protocol: "tcp",
  });
  assertEquals(parsePublish("53/udp"), {
    host_ip: "",
    host_port: 0,
    container_port: 53,
    range: 1,
    protocol: "udp",
  });
  assertEquals(parsePublish("8000-8001:9000-9001").range, 2);
  assertEquals(parsePublish("127.0.0.1::80").host_port, 0);
  for (const bad of ["", "x", "80/sctp", "1:2:3:4", "0", "70000", "8000-8001:90", "a.b:1:2"]) {
    assertThrows(() => parsePublish(bad), UsageError);
  }
  const ports = [parsePublish("127.0.0.1:8000-8001:80-81")];
  assertEquals(portLines(ports), ["80/tcp -> 127.0.0.1:8000", "81/tcp -> 127.0.0.1:8001"]);
  assertEquals(portsView(ports)["81/tcp"], [{ HostIp: "127.0.0.1", HostPort: "8001" }]);
  assertEquals(
    portsText([...ports, parsePublish("9000:90/udp")]),
    "127.0.0.1:8000-8001->80-81/tcp, 0.0.0.0:9000->90/udp",
  );
});

Deno.test("--network: modes, container:, and network names", () => {
  assertEquals(parseNetworkArg("host"), { network: "host", networks: [] });
  assertEquals(parseNetworkArg("container:x").networkFrom, "x");
  assertEquals(parseNetworkArg("a,b,a"), { network: "bridge", networks: ["a", "b"] });
  assertEquals(parseNetworkArg("bridge"), { network: "bridge", networks: ["berth"] });
  for (const bad of ["container:", "a,,b", "slirp4netns", "pasta"]) {
    assertThrows(() => parseNetworkArg(bad), UsageError);
  }
});

Deno.test("/etc files on a bridge: the container's address, the network's DNS server", () => {
  const facts = bridgeFacts({
    n: {
      dns_server_ips: ["10.7.0.1"],
      dns_search_domains: ["dns.podman"],
      interfaces: { eth0: { mac_address: "x", subnets: [{ ipnet: "10.7.0.2/24" }] } },
    },
  });
  assertEquals(facts, { ip: "10.7.0.2", dnsServers: ["10.7.0.1"], search: ["dns.podman"] });
  assertEquals(
    hostsFileContent("127.0.0.1\tlocalhost\n", "abc", "web", facts.ip),
    "127.0.0.1\tlocalhost\n10.7.0.2\tabc web\n",
  );
});

Deno.test("-P: the image's ExposedPorts keys and --expose, once each, on host port 0", () => {
  assertEquals(exposedPorts(["80/tcp", "53/udp", "80/tcp"]), [
    { host_ip: "", container_port: 80, host_port: 0, range: 1, protocol: "tcp" },
    { host_ip: "", container_port: 53, host_port: 0, range: 1, protocol: "udp" },
  ]);
});
