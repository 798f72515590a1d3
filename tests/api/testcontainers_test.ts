/**
 * testcontainers-node (npm) against `berth system service`: a `GenericContainer` from an image
 * `berth build` made in the service's store, with Ryuk disabled, exposed port 80 (sent as
 * `HostPort: "0"`) and log, listening-port and HTTP waits; then a fetch through the mapped port on
 * the loopback, `exec`, `logs`, a file copied in before start, and `stop()` leaving no container,
 * network namespace or firewall rule. A one-shot
 * container that exits non-zero: testcontainers' one-shot strategy fails it (and removes it), and
 * a log wait lets the test read its exit code through testcontainers' runtime client.
 *
 * testcontainers reads its configuration once per process: `testcontainers_env.ts` sets it
 * before testcontainers is loaded, and one service serves every step.
 *
 * The reference to `@types/node` 26: testcontainers' dependency `@types/ssh2` pins
 * `@types/node@^18`, whose types would replace Deno's (no `node:sqlite`, which the helpers use).
 *
 * @module
 */
/// <reference types="npm:@types/node@26.6.11" />
import { clearTcEnv, tcDockerHost, tcSandbox as sb } from "./testcontainers_env.ts";
// A test-only client: kept out of deno.json so nothing in src/ can depend on it.
// deno-lint-ignore no-import-prefix
import { GenericContainer, getContainerRuntimeClient, Wait } from "npm:testcontainers@11.14.0";
import { join } from "node:path";
import { Readable } from "node:stream";
import { assert, assertEquals, assertMatch } from "../unit/assert.ts";
import { importBusybox, startService } from "./service.ts";

/** Docker's `bridge` (berth's default bridge) is made on this subnet, not taken from the pool. */
const SUBNET = "10.198.20.0/24";

/** The first chunks of a readable stream until `needle` shows up (then it is destroyed). */
function readUntil(s: Readable, needle: string, ms = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no ${JSON.stringify(needle)} in ${JSON.stringify(text)}`));
    }, ms);
    s.on("data", (c: Uint8Array | string) => {
      text += typeof c === "string" ? c : new TextDecoder().decode(c);
      if (text.includes(needle)) {
        clearTimeout(timer);
        s.destroy();
        resolve(text);
      }
    });
    s.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** `iptables-save` lines naming `needle` (netavark's rules name the subnet and the container). */
async function firewallLines(needle: string): Promise<string[]> {
  const r = await new Deno.Command("iptables-save", { stdout: "piped", stderr: "piped" }).output();
  assert(r.success, new TextDecoder().decode(r.stderr));
  return new TextDecoder().decode(r.stdout).split("\n").filter((l) => l.includes(needle));
}

/** The names in a directory, none when it does not exist. */
function names(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name);
  } catch {
    return [];
  }
}

Deno.test(
  "api testcontainers: a built image, wait, fetch, exec, logs, copy, stop; one-shot exits",
  {
    sanitizeOps: false,
    sanitizeResources: false,
  },
  async () => {
    const svc = await startService(sb);
    try {
      assertEquals(svc.host, tcDockerHost);
      await importBusybox(svc);
      // Docker's `bridge` is berth's default bridge: made here on the test's own subnet.
      const net = await sb.berth(["network", "create", "--subnet", SUBNET, "berth"]);
      assertEquals(net.code, 0, net.stderr);
      const ctx = join(sb.dir, "ctx");
      Deno.mkdirSync(ctx);
      Deno.writeTextFileSync(join(ctx, "index.html"), "served by berth\n");
      Deno.writeTextFileSync(
        join(ctx, "Containerfile"),
        [
          "FROM localhost/bb",
          "COPY index.html /www/index.html",
          "EXPOSE 80",
          `CMD ["sh", "-c", "httpd -p 80 -h /www && echo ready && exec sleep 300"]`,
        ].join("\n") + "\n",
      );
      const built = await sb.berth(["build", "-q", "-t", "tc-httpd", ctx], { timeoutMs: 120_000 });
      assertEquals(built.code, 0, built.stderr);
      const started = await new GenericContainer("localhost/tc-httpd:latest")
        .withExposedPorts(80)
        .withCopyContentToContainer([{ content: "copied in\n", target: "/www/copied.txt" }])
        .withWaitStrategy(Wait.forAll([
          Wait.forLogMessage("ready"),
          Wait.forListeningPorts(),
          Wait.forHttp("/index.html", 80).forStatusCode(200),
        ]))
        .withStartupTimeout(60_000)
        .start();
      const id = started.getId();
      const host = started.getHost();
      assert(["127.0.0.1", "localhost"].includes(host), host);
      const port = started.getMappedPort(80);
      assert(port > 0 && port !== 80, String(port));
      const page = await fetch(`http://${host}:${port}/index.html`);
      assertEquals([page.status, await page.text()], [200, "served by berth\n"]);
      const copied = await fetch(`http://${host}:${port}/copied.txt`);
      assertEquals([copied.status, await copied.text()], [200, "copied in\n"]);

      const ex = await started.exec(["sh", "-c", "echo out; echo err >&2; exit 4"]);
      assertEquals([ex.exitCode, ex.stdout, ex.stderr], [4, "out\n", "err\n"]);
      assert(ex.output.includes("out\n") && ex.output.includes("err\n"), ex.output);
      const cat = await started.exec(["cat", "/www/copied.txt"]);
      assertEquals([cat.exitCode, cat.output], [0, "copied in\n"]);

      const logs = await started.logs();
      assertMatch(await readUntil(logs, "ready"), /ready/);

      // A running bridge container has its namespace under the runroot.
      assertEquals(names(join(sb.runroot, "netns")).length, 1);
      assert((await firewallLines(SUBNET)).length > 0, "no firewall rules while running");
      await started.stop();
      const ps = await sb.berth(["ps", "-aq"]);
      assertEquals([ps.code, ps.stdout], [0, ""], ps.stderr);
      assertEquals(names(join(sb.runroot, "netns")), []);
      assertEquals(await firewallLines(SUBNET), []);
      assertEquals(await firewallLines(id), []);
      const gone = await svc.request("GET", `/containers/${id}/json`);
      assertEquals(gone.status, 404, gone.text);

      // One-shot, non-zero: the strategy fails the start, and testcontainers removes it.
      const failed = await new GenericContainer("localhost/bb")
        .withCommand(["sh", "-c", "echo bye; exit 3"])
        .withWaitStrategy(Wait.forOneShotStartup())
        .withStartupTimeout(30_000)
        .start()
        .then(() => null, (e: Error) => e);
      assert(failed instanceof Error, "a one-shot exit 3 started");
      assertMatch(failed.message, /Container failed to start for [0-9a-f]{64}/);
      const left = await sb.berth(["ps", "-aq"]);
      assertEquals([left.code, left.stdout], [0, ""], left.stderr);
      // One-shot, zero: started.
      const ok = await new GenericContainer("localhost/bb")
        .withCommand(["true"])
        .withWaitStrategy(Wait.forOneShotStartup())
        .withStartupTimeout(30_000)
        .start();
      await ok.stop();
      // Non-zero, waited on by its log line: the exit code through testcontainers' client.
      const three = await new GenericContainer("localhost/bb")
        .withCommand(["sh", "-c", "echo bye; exit 3"])
        .withWaitStrategy(Wait.forLogMessage("bye"))
        .start();
      const client = await getContainerRuntimeClient();
      const handle = client.container.getById(three.getId());
      let state = (await client.container.inspect(handle)).State;
      for (let i = 0; state.Running && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = (await client.container.inspect(handle)).State;
      }
      assertEquals([state.Status, state.ExitCode], ["exited", 3]);
      await three.stop();
      const after = await sb.berth(["ps", "-aq"]);
      assertEquals([after.code, after.stdout], [0, ""], after.stderr);
      assertEquals(names(join(sb.runroot, "netns")), []);
    } finally {
      await svc.stop();
      // The environment is the process's: other test modules may run beside this one.
      clearTcEnv();
    }
  },
);
