/**
 * Bridge networks through netavark and aardvark-dns, with real namespaces, bridges and
 * firewall rules: the network commands' words and statuses, two containers reaching each
 * other by name and alias, a port published on 127.0.0.1, and nothing left behind (veths,
 * bridges, namespaces, iptables rules, leases, aardvark-dns) after `rm -f` or a killed
 * monitor. Every subnet is chosen here (10.199.x.0/24) and traffic goes only to 127.0.0.1 and
 * to the test's own containers.
 */
import { assert, assertEquals, assertMatch } from "../unit/assert.ts";
import { busyboxRootfs, eventually, type Sandbox, sandbox, withDb } from "../helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function ok(sb: Sandbox, args: string[]): Promise<string> {
  const r = await sb.berth(args);
  assertEquals(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** `iptables-save` of every table: netavark's rules name the subnet and the container. */
async function firewallRules(): Promise<string> {
  const r = await new Deno.Command("iptables-save", { stdout: "piped", stderr: "piped" }).output();
  assert(r.success, new TextDecoder().decode(r.stderr));
  return new TextDecoder().decode(r.stdout);
}

/** What a network container leaves on the host, if anything. */
async function leftovers(sb: Sandbox, bridge: string, subnet: string, id: string) {
  const rules = (await firewallRules()).split("\n")
    .filter((l) => l.includes(subnet) || l.includes(id));
  let netns: string[] = [];
  try {
    netns = [...Deno.readDirSync(`${sb.runroot}/netns`)].map((e) => e.name);
  } catch { /* never made */ }
  const leases = await withDb(sb, (db) =>
    Number(
      (db.prepare("SELECT count(*) AS n FROM network_leases").get() as { n: number }).n,
    ));
  const links = [...Deno.readDirSync("/sys/class/net")].map((e) => e.name)
    .filter((n) => n === bridge);
  return { rules, netns, leases, links };
}

/** Whether process `pid` exists (a zombie counts as gone: its namespaces are released). */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return false;
  }
}

const NOTHING = { rules: [], netns: [], leases: 0, links: [] };

/** Whether an aardvark-dns of this sandbox still runs (it exits with its last container). */
function aardvarkRuns(sb: Sandbox): boolean {
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const cmd = Deno.readTextFileSync(`/proc/${e.name}/cmdline`);
      if (cmd.includes("aardvark-dns") && cmd.includes(sb.runroot)) return true;
    } catch { /* gone */ }
  }
  return false;
}

Deno.test(
  "network create/ls/inspect/exists/rm/prune: podman's words and statuses",
  opts,
  async () => {
    const sb = sandbox();
    try {
      assertEquals(
        await ok(sb, ["network", "create", "--subnet", "10.199.1.0/24", "--label", "a=b", "n1"]),
        "n1\n",
      );
      assertEquals(await ok(sb, ["network", "create", "--subnet", "10.199.2.0/24", "n2"]), "n2\n");
      const ls = (await ok(sb, ["network", "ls"])).split("\n");
      assertMatch(ls[0], /^NETWORK ID\s+NAME\s+DRIVER$/);
      assertMatch(ls[1], /^[0-9a-f]{12}\s+n1\s+bridge$/);
      assertEquals(
        await ok(sb, [
          "network",
          "ls",
          "--filter",
          "label=a=b",
          "--format",
          "{{.Name}} {{.Driver}}",
        ]),
        "n1 bridge\n",
      );
      const [net] = JSON.parse(await ok(sb, ["network", "inspect", "n1"]));
      assertEquals(net.subnets, [{ subnet: "10.199.1.0/24", gateway: "10.199.1.1" }]);
      assertEquals([net.driver, net.dns_enabled, net.internal, net.labels], [
        "bridge",
        true,
        false,
        { a: "b" },
      ]);
      assertEquals((await sb.berth(["network", "exists", "n1"])).code, 0);
      assertEquals(
        await ok(sb, [
          "info",
          "--format",
          "{{.Host.NetworkBackend}} {{.Host.NetworkBackendInfo.Path}}",
        ]),
        "netavark /usr/lib/podman/netavark\n",
      );
      assertEquals((await sb.berth(["network", "exists", "nosuch"])).code, 1);

      // Bad input: one Error line, podman's status, nothing created.
      const bad: [string[], number, string][] = [
        [
          ["network", "create", "--subnet", "10.199.1.128/25", "x"],
          125,
          "Error: subnet 10.199.1.128/25 is already used on the host or by another config\n",
        ],
        [
          ["network", "create", "--subnet", "10.199.3.5", "x"],
          125,
          "Error: invalid CIDR address: 10.199.3.5\n",
        ],
        [
          ["network", "create", "n1"],
          125,
          "Error: network name n1 already used: network already exists\n",
        ],
        [
          ["network", "create", "--subnet", "10.199.3.0/24", "--gateway", "10.199.4.1", "x"],
          125,
          "Error: gateway 10.199.4.1 not in subnet 10.199.3.0/24\n",
        ],
        [
          ["network", "inspect", "nosuch"],
          125,
          "Error: inspecting object: network nosuch: unable to find network with name or ID nosuch: network not found\n",
        ],
        [
          ["network", "rm", "nosuch"],
          1,
          "Error: unable to find network with name or ID nosuch: network not found\n",
        ],
      ];
      for (const [args, code, stderr] of bad) {
        const r = await sb.berth(args);
        assertEquals([r.code, r.stderr], [code, stderr], args.join(" "));
      }
      assertEquals((await sb.berth(["network", "exists", "x"])).code, 1);
      assertEquals(await ok(sb, ["network", "rm", "n2"]), "n2\n");
      assertEquals(await ok(sb, ["network", "prune", "-f"]), "n1\n");
      assertEquals(await ok(sb, ["network", "ls", "-q"]), "");
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "two containers on one network reach each other by name and alias; -p on 127.0.0.1",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    const www = `${sb.dir}/www`;
    Deno.mkdirSync(www);
    Deno.writeTextFileSync(`${www}/index.html`, "hello from web\n");
    const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (probe.addr as Deno.NetAddr).port;
    probe.close();
    try {
      await ok(sb, ["network", "create", "--subnet", "10.199.11.0/24", "svc"]);
      const web = (await ok(sb, [
        "run",
        "-d",
        "--name",
        "web",
        "--network",
        "svc",
        "--network-alias",
        "www",
        "-p",
        `127.0.0.1:${port}:80`,
        "-v",
        `${www}:/www:ro`,
        "--rootfs",
        rootfs,
        "httpd",
        "-f",
        "-p",
        "80",
        "-h",
        "/www",
      ])).trim();
      const ip = (await ok(sb, [
        "inspect",
        "--format",
        "{{.NetworkSettings.Networks.svc.IPAddress}} {{.NetworkSettings.Networks.svc.Gateway}}",
        "web",
      ])).trim();
      assertEquals(ip, "10.199.11.2 10.199.11.1");
      const mac = (await ok(sb, [
        "inspect",
        "--format",
        "{{.NetworkSettings.Networks.svc.MacAddress}}",
        "web",
      ])).trim();
      assertMatch(mac, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      const ports = JSON.parse(
        await ok(sb, ["inspect", "--format", "{{json .NetworkSettings.Ports}}", "web"]),
      );
      assertEquals(ports, { "80/tcp": [{ HostIp: "127.0.0.1", HostPort: String(port) }] });
      assertEquals(await ok(sb, ["port", "web"]), `80/tcp -> 127.0.0.1:${port}\n`);
      assertEquals(
        await ok(sb, ["ps", "--format", "{{.Ports}} {{.Networks}}"]),
        `127.0.0.1:${port}->80/tcp svc\n`,
      );
      assert((await ok(sb, ["ps"])).includes(`127.0.0.1:${port}->80/tcp`));

      const client = await sb.berth([
        "run",
        "--rm",
        "--network",
        "svc",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://web/ && break; sleep 0.2; done; wget -q -O - http://www/; grep -c web /etc/hosts; cat /etc/resolv.conf",
      ]);
      assertEquals(client.code, 0, client.stderr);
      const lines = client.stdout.split("\n");
      assertEquals(lines.slice(0, 2), ["hello from web", "hello from web"]);
      assert(client.stdout.includes("nameserver 10.199.11.1"), client.stdout);

      // From the host, through netavark's port forwarding.
      let body = "";
      await eventually(async () => {
        try {
          body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
          return true;
        } catch {
          return false;
        }
      }, 5000);
      assertEquals(body, "hello from web\n");

      // A network in use is not removed without -f; -f removes its containers.
      const inUse = await sb.berth(["network", "rm", "svc"]);
      assertEquals([inUse.code, inUse.stderr], [
        2,
        'Error: "svc" has associated containers with it. Use -f to forcibly delete containers and pods: network is being used\n',
      ]);
      const unknown = await sb.berth([
        "run",
        "--rm",
        "--network",
        "nosuch",
        "--rootfs",
        rootfs,
        "true",
      ]);
      assertEquals([unknown.code, unknown.stderr], [
        125,
        "Error: unable to find network with name or ID nosuch: network not found\n",
      ]);
      assertEquals(await ok(sb, ["ps", "-aq", "--no-trunc"]), `${web}\n`);
      assertEquals(await ok(sb, ["network", "rm", "-f", "-t", "0", "svc"]), "svc\n");
      assertEquals(await ok(sb, ["ps", "-aq"]), "");
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "rm -f and a killed monitor leave no veth, bridge, namespace, rule, lease or DNS server",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      await ok(sb, ["network", "create", "--subnet", "10.199.21.0/24", "clean"]);
      const bridge =
        (await ok(sb, ["network", "inspect", "--format", "{{.NetworkInterface}}", "clean"])).trim();
      for (const how of ["rm -f", "killed monitor"]) {
        const id = (await ok(sb, [
          "run",
          "-d",
          "--network",
          "clean",
          "-p",
          "127.0.0.1::8080",
          "--rootfs",
          rootfs,
          "sleep",
          "600",
        ])).trim();
        const during = await leftovers(sb, bridge, "10.199.21.", id);
        assert(during.rules.length > 0, `${how}: no firewall rules while it runs`);
        assertEquals([during.netns, during.leases, during.links], [[id], 1, [bridge]], how);
        assert(aardvarkRuns(sb), `${how}: no aardvark-dns while it runs`);
        if (how === "rm -f") {
          await ok(sb, ["rm", "-f", "-t", "0", id]);
        } else {
          // conmon and the container die without a word: the next berth process cleans up.
          const [pid, conmon] =
            (await ok(sb, ["inspect", "--format", "{{.State.Pid}} {{.State.ConmonPid}}", id]))
              .trim().split(" ").map(Number);
          Deno.kill(conmon, "SIGKILL");
          Deno.kill(pid, "SIGKILL");
          await eventually(() => !isAlive(pid), 5000);
          await ok(sb, ["rm", id]);
        }
        assertEquals(await leftovers(sb, bridge, "10.199.21.", id), NOTHING, how);
        await eventually(() => !aardvarkRuns(sb), 5000);
      }
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "a taken host port and a bad -p are refused before anything is created",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (taken.addr as Deno.NetAddr).port;
    try {
      await ok(sb, ["network", "create", "--subnet", "10.199.31.0/24", "ports"]);
      const r = await sb.berth([
        "run",
        "--rm",
        "--network",
        "ports",
        "-p",
        `127.0.0.1:${port}:80`,
        "--rootfs",
        rootfs,
        "true",
      ]);
      assertEquals([r.code, r.stderr], [
        125,
        `Error: cannot listen on the TCP port: listen tcp4 127.0.0.1:${port}: bind: address already in use\n`,
      ]);
      const bad = await sb.berth([
        "create",
        "--network",
        "ports",
        "-p",
        "80/sctp",
        "--rootfs",
        rootfs,
        "true",
      ]);
      assertEquals([bad.code, bad.stderr], [
        125,
        'Error: invalid protocol "sctp" in port mapping "80/sctp": use tcp or udp\n',
      ]);
      assertEquals(await ok(sb, ["ps", "-aq"]), "");
    } finally {
      taken.close();
      await sb.cleanup();
    }
  },
);

Deno.test(
  "the reboot refresh tears down what a dead container left on its network",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      await ok(sb, ["network", "create", "--subnet", "10.199.41.0/24", "boot"]);
      const bridge =
        (await ok(sb, ["network", "inspect", "--format", "{{.NetworkInterface}}", "boot"]))
          .trim();
      const id = (await ok(sb, [
        "run",
        "-d",
        "--network",
        "boot",
        "--rootfs",
        rootfs,
        "sleep",
        "600",
      ])).trim();
      const [pid, conmon] =
        (await ok(sb, ["inspect", "--format", "{{.State.Pid}} {{.State.ConmonPid}}", id]))
          .trim().split(" ").map(Number);
      Deno.kill(conmon, "SIGKILL");
      Deno.kill(pid, "SIGKILL");
      await eventually(() => !isAlive(pid), 5000);
      // A new boot id: the next command refreshes, and nothing of the old boot may stay.
      await withDb(sb, (db) => db.exec("UPDATE meta SET value = 'old-boot' WHERE key = 'boot_id'"));
      assertEquals(
        await ok(sb, ["ps", "-a", "--format", "{{.State}}"]).then((s) => s.trim()),
        "created",
      );
      assertEquals(await leftovers(sb, bridge, "10.199.41.", id), NOTHING);
      // And it starts again on a fresh namespace.
      await ok(sb, ["start", id]);
      assertEquals((await leftovers(sb, bridge, "10.199.41.", id)).leases, 1);
      await ok(sb, ["rm", "-f", "-t", "0", id]);
      assertEquals(await leftovers(sb, bridge, "10.199.41.", id), NOTHING);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "a container on another network reaches the server neither by name nor by address",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      await ok(sb, ["network", "create", "--subnet", "10.199.51.0/24", "inside"]);
      await ok(sb, ["network", "create", "--subnet", "10.199.52.0/24", "outside"]);
      await ok(sb, [
        "run",
        "-d",
        "--name",
        "srv",
        "--network",
        "inside",
        "--rootfs",
        rootfs,
        "nc",
        "-ll",
        "-p",
        "80",
        "-e",
        "echo",
        "hi",
      ]);
      const same = await sb.berth([
        "run",
        "--rm",
        "--network",
        "inside",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "for i in 1 2 3 4 5 6 7 8 9 10; do nc -w 2 srv 80 </dev/null && exit 0; sleep 0.2; done; exit 1",
      ]);
      assertEquals([same.code, same.stdout], [0, "hi\n"], same.stderr);
      const other = await sb.berth([
        "run",
        "--rm",
        "--network",
        "outside",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "nslookup srv >/dev/null 2>&1 && echo resolved; nc -w 2 10.199.51.2 80 </dev/null || echo unreachable",
      ]);
      assertEquals([other.code, other.stdout], [0, "unreachable\n"], other.stderr);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "parallel run --rm on a bridge: one address each, nothing left after; --internal has no way out",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      await ok(sb, ["network", "create", "--subnet", "10.199.61.0/24", "many"]);
      const bridge =
        (await ok(sb, ["network", "inspect", "--format", "{{.NetworkInterface}}", "many"]))
          .trim();
      const ips: string[] = [];
      for (let batch = 0; batch < 4; batch++) {
        const runs = await Promise.all(Array.from({ length: 5 }, () =>
          sb.berth([
            "run",
            "--rm",
            "--network",
            "many",
            "-p",
            "127.0.0.1::80",
            "--rootfs",
            rootfs,
            "sh",
            "-c",
            "ip -4 addr show eth0 | grep -o '10.199.61.[0-9]*'; sleep 0.5",
          ])));
        for (const r of runs) {
          assertEquals(r.code, 0, r.stderr);
          ips.push(r.stdout.trim());
        }
        // Those five ran side by side: five different addresses.
        assertEquals(new Set(ips.slice(-5)).size, 5, ips.join(" "));
      }
      assertEquals(await leftovers(sb, bridge, "10.199.61.", "no-such-id"), NOTHING);
      await eventually(() => !aardvarkRuns(sb), 5000);

      await ok(sb, ["network", "create", "--internal", "--subnet", "10.199.62.0/24", "closed"]);
      const routes = await ok(sb, [
        "run",
        "--rm",
        "--network",
        "closed",
        "--rootfs",
        rootfs,
        "ip",
        "route",
      ]);
      assertEquals(routes.trim().split("\n").filter((l) => l.startsWith("default")), []);
      assert(routes.includes("10.199.62.0/24 dev eth0"), routes);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "--network container:X with X on a bridge: X's address, X's DNS server",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      await ok(sb, ["network", "create", "--subnet", "10.199.71.0/24", "shared"]);
      await ok(sb, [
        "run",
        "-d",
        "--name",
        "base",
        "--network",
        "shared",
        "--rootfs",
        rootfs,
        "sleep",
        "600",
      ]);
      const r = await ok(sb, [
        "run",
        "--rm",
        "--network",
        "container:base",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "grep nameserver /etc/resolv.conf; ip -4 addr show eth0 | grep -o '10.199.71.[0-9]*/24'",
      ]);
      assertEquals(r, "nameserver 10.199.71.1\n10.199.71.2/24\n");
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "--ip and --mac-address on a bridge; a taken or foreign address is refused",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      await ok(sb, ["network", "create", "--subnet", "10.199.81.0/24", "fixed"]);
      await ok(sb, [
        "run",
        "-d",
        "--name",
        "a",
        "--network",
        "fixed",
        "--ip",
        "10.199.81.50",
        "--mac-address",
        "02:42:AC:11:00:99",
        "--rootfs",
        rootfs,
        "sleep",
        "600",
      ]);
      assertEquals(
        await ok(sb, [
          "inspect",
          "--format",
          "{{.NetworkSettings.Networks.fixed.IPAddress}} {{.NetworkSettings.Networks.fixed.MacAddress}}",
          "a",
        ]),
        "10.199.81.50 02:42:ac:11:00:99\n",
      );
      const inside = await ok(sb, ["exec", "a", "ip", "addr", "show", "eth0"]);
      assert(inside.includes("02:42:ac:11:00:99") && inside.includes("10.199.81.50/24"), inside);
      const again = await sb.berth([
        "run",
        "--rm",
        "--network",
        "fixed",
        "--ip",
        "10.199.81.50",
        "--rootfs",
        rootfs,
        "true",
      ]);
      assertEquals([again.code, again.stderr], [
        125,
        "Error: IP address 10.199.81.50 is already allocated on network fixed\n",
      ]);
      const foreign = await sb.berth([
        "create",
        "--network",
        "fixed",
        "--ip",
        "10.199.82.5",
        "--rootfs",
        rootfs,
        "true",
      ]);
      assertEquals([foreign.code, foreign.stderr], [
        125,
        "Error: requested static ip 10.199.82.5 not in any subnet on network fixed\n",
      ]);
      assertEquals((await ok(sb, ["ps", "-aq"])).trim().split("\n").length, 1);
      const lease = await withDb(
        sb,
        (db) => db.prepare("SELECT count(*) AS n FROM network_leases").get() as { n: number },
      );
      assertEquals(Number(lease.n), 1);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "network connect/disconnect of a running container: the interface comes and goes",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      await ok(sb, ["network", "create", "--subnet", "10.199.91.0/24", "front"]);
      await ok(sb, ["network", "create", "--subnet", "10.199.92.0/24", "back"]);
      await ok(sb, [
        "run",
        "-d",
        "--name",
        "db",
        "--network",
        "back",
        "--rootfs",
        rootfs,
        "nc",
        "-ll",
        "-p",
        "5432",
        "-e",
        "echo",
        "db",
      ]);
      const app = (await ok(sb, [
        "run",
        "-d",
        "--name",
        "app",
        "--network",
        "front",
        "--rootfs",
        rootfs,
        "sleep",
        "600",
      ])).trim();
      const reach = "nc -w 2 db 5432 </dev/null || echo unreachable";
      assertEquals(await ok(sb, ["exec", "app", "sh", "-c", reach]), "unreachable\n");
      assertEquals(await ok(sb, ["network", "connect", "--alias", "web", "back", "app"]), "");
      assertEquals(
        await ok(sb, ["exec", "app", "sh", "-c", "ls /sys/class/net | sort"]),
        "eth0\neth1\nlo\n",
      );
      assertEquals(
        await ok(sb, ["exec", "db", "sh", "-c", "nslookup web >/dev/null && echo found"]),
        "found\n",
      );
      assertEquals(await ok(sb, ["exec", "app", "sh", "-c", reach]), "db\n");
      assertEquals(
        await ok(sb, [
          "inspect",
          "--format",
          "{{.NetworkSettings.Networks.back.IPAddress}}",
          "app",
        ]),
        "10.199.92.3\n",
      );
      const twice = await sb.berth(["network", "connect", "back", "app"]);
      assertEquals([twice.code, twice.stderr], [
        125,
        `Error: container ${app} is already connected to network back: network is already connected\n`,
      ]);
      await ok(sb, ["network", "disconnect", "back", "app"]);
      assertEquals(
        await ok(sb, ["exec", "app", "sh", "-c", "ls /sys/class/net | sort"]),
        "eth0\nlo\n",
      );
      assertEquals(await ok(sb, ["exec", "app", "sh", "-c", reach]), "unreachable\n");
      const leases = await withDb(
        sb,
        (db) => db.prepare("SELECT count(*) AS n FROM network_leases").get() as { n: number },
      );
      assertEquals(Number(leases.n), 2);
      // Connected again, then removed: both networks' rules go with it.
      await ok(sb, ["network", "connect", "back", "app"]);
      await ok(sb, ["rm", "-f", "-t", "0", "app"]);
      const rules = (await firewallRules()).split("\n").filter((l) => l.includes(app));
      assertEquals(rules, []);
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test(
  "--network bridge: the default network, made on first use, without DNS, never removed",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      assertEquals(await ok(sb, ["network", "ls", "-q"]), "");
      const r = await ok(sb, [
        "run",
        "--rm",
        "--network",
        "bridge",
        "--rootfs",
        rootfs,
        "sh",
        "-c",
        "ip -4 addr show eth0 | grep -c 'inet 10\\.'; cat /etc/resolv.conf",
      ]);
      assertEquals(r, `1\n${Deno.readTextFileSync("/etc/resolv.conf")}`);
      assertEquals(await ok(sb, ["network", "ls", "-q"]), "berth\n");
      const [net] = JSON.parse(await ok(sb, ["network", "inspect", "berth"]));
      assertEquals(net.dns_enabled, false);
      const rm = await sb.berth(["network", "rm", "berth"]);
      assertEquals([rm.code, rm.stderr], [125, "Error: default network berth cannot be removed\n"]);
      assertEquals(await ok(sb, ["network", "prune", "-f"]), "");
    } finally {
      await sb.cleanup();
    }
  },
);

Deno.test("-P publishes the exposed ports on free host ports", opts, async () => {
  const sb = sandbox();
  const rootfs = await busyboxRootfs();
  const www = `${sb.dir}/www`;
  Deno.mkdirSync(www);
  Deno.writeTextFileSync(`${www}/index.html`, "published\n");
  try {
    await ok(sb, ["network", "create", "--subnet", "10.199.101.0/24", "pub"]);
    await ok(sb, [
      "run",
      "-d",
      "--name",
      "srv",
      "--network",
      "pub",
      "--expose",
      "80",
      "-P",
      "-v",
      `${www}:/www:ro`,
      "--rootfs",
      rootfs,
      "httpd",
      "-f",
      "-p",
      "80",
      "-h",
      "/www",
    ]);
    const line = await ok(sb, ["port", "srv"]);
    const m = /^80\/tcp -> 0\.0\.0\.0:(\d+)\n$/.exec(line);
    assert(m, line);
    assertEquals(await ok(sb, ["port", "srv", "80"]), `0.0.0.0:${m[1]}\n`);
    let body = "";
    await eventually(async () => {
      try {
        body = await (await fetch(`http://127.0.0.1:${m[1]}/`)).text();
        return true;
      } catch {
        return false;
      }
    }, 5000);
    assertEquals(body, "published\n");
  } finally {
    await sb.cleanup();
  }
});

/** The PID of the cleanup process conmon started for container `id`, if one runs now. */
function cleanupProcess(id: string): number | undefined {
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const argv = Deno.readTextFileSync(`/proc/${e.name}/cmdline`).split("\0");
      if (argv.includes("cleanup") && argv.includes(id)) return Number(e.name);
    } catch { /* gone */ }
  }
  return undefined;
}

Deno.test(
  "a cleanup process killed as it starts: the next berth process releases the network",
  opts,
  async () => {
    const sb = sandbox();
    const rootfs = await busyboxRootfs();
    try {
      await ok(sb, ["network", "create", "--subnet", "10.199.111.0/24", "crash"]);
      const bridge =
        (await ok(sb, ["network", "inspect", "--format", "{{.NetworkInterface}}", "crash"]))
          .trim();
      const id = (await ok(sb, [
        "run",
        "-d",
        "--network",
        "crash",
        "-p",
        "127.0.0.1::80",
        "--rootfs",
        rootfs,
        "sleep",
        "600",
      ])).trim();
      const pid = Number(await ok(sb, ["inspect", "--format", "{{.State.Pid}}", id]));
      Deno.kill(pid, "SIGKILL");
      // conmon sees the exit and starts `berth container cleanup ID`: kill it before it acts.
      let killed = false;
      const deadline = Date.now() + 10_000;
      while (!killed && Date.now() < deadline) {
        const cleanup = cleanupProcess(id);
        if (cleanup) {
          Deno.kill(cleanup, "SIGKILL");
          killed = true;
        }
      }
      assert(killed, "never saw the cleanup process");
      assert((await leftovers(sb, bridge, "10.199.111.", id)).leases === 1, "cleaned up anyway");
      // Any later command that looks at it finishes the cleanup, network included.
      await ok(sb, ["ps", "-a"]);
      await ok(sb, ["rm", id]);
      assertEquals(await leftovers(sb, bridge, "10.199.111.", id), NOTHING);
      await eventually(() => !aardvarkRuns(sb), 5000);
    } finally {
      await sb.cleanup();
    }
  },
);
