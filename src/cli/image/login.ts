/**
 * `berth login [-u USER] [-p PASS | --password-stdin] REGISTRY`
 *
 * @module
 */
import { bool, str } from "../args.ts";
import { type Command, errOut, out } from "../command.ts";
import { UsageError } from "../../errors.ts";
import { setCreds } from "../../image/auth_file.ts";
import { checkLogin, closeSession, openSession } from "../../image/registry.ts";
import { parseReference } from "../../image/reference.ts";
import { authFile, tlsVerify } from "./common.ts";

async function readLine(): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const c of Deno.stdin.readable) chunks.push(c);
  const text = new TextDecoder().decode(
    chunks.reduce((a, b) => new Uint8Array([...a, ...b]), new Uint8Array(0)),
  );
  return text.replace(/\r?\n$/, "");
}

/** The registry host named by a `login`/`logout` argument (a host, or an image reference). */
export function registryOf(arg: string): string {
  const host = arg.replace(/^https?:\/\//, "").replace(/\/+$/, "");
  if (!host.includes("/")) {
    return host === "index.docker.io" || host === "registry-1.docker.io" ? "docker.io" : host;
  }
  return parseReference(host).registry;
}

/** `login`: check credentials against a registry and store them. */
export const loginCommand: Command = {
  flags: {
    username: { type: "string", short: "u", help: "User name for the registry" },
    password: {
      type: "string",
      short: "p",
      help:
        "Password for the registry (insecure: it shows in the process list; prefer --password-stdin)",
    },
    "password-stdin": { type: "boolean", help: "Read the password from stdin" },
    "tls-verify": {
      type: "boolean",
      help:
        "Require HTTPS and verify certificates (default: true, unless berth.conf lists the registry as insecure)",
    },
    "cert-dir": {
      type: "string",
      help: "Directory of extra CA certificates (*.crt) for the registry",
    },
    authfile: {
      type: "string",
      help:
        "Path of the authentication file to store the credentials in (default: $REGISTRY_AUTH_FILE, else auth.json under --root)",
    },
    "get-login": { type: "boolean", help: "Accepted for podman compatibility; ignored" },
    help: { type: "boolean", short: "h" },
  },
  async run(global, p) {
    if (p.positionals.length !== 1) throw new UsageError("login takes exactly one registry");
    const registry = registryOf(p.positionals[0]);
    const username = str(p, "username");
    let password = str(p, "password");
    if (bool(p, "password-stdin")) {
      if (password !== undefined) throw new UsageError("--password and --password-stdin conflict");
      password = await readLine();
    }
    if (!username || password === undefined) {
      throw new UsageError("login needs --username and --password (or --password-stdin)");
    }
    if (str(p, "password") !== undefined) {
      await errOut("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n");
    }
    const s = await openSession(registry, {
      tlsVerify: tlsVerify(global, p, registry),
      certDir: str(p, "cert-dir"),
      creds: { username, password },
    });
    try {
      await checkLogin(s);
    } finally {
      closeSession(s);
    }
    setCreds(authFile(global, p), registry, { username, password });
    await out("Login Succeeded!\n");
    return 0;
  },
};
