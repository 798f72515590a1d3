import { RegistryError } from "../../src/errors.ts";
import { assertEquals } from "./assert.ts";
import { checkRealm } from "../../src/image/challenge.ts";

function refused(realm: string, base: string, tlsVerify: boolean): string {
  try {
    checkRealm(realm, base, tlsVerify);
  } catch (err) {
    if (err instanceof RegistryError) return err.message;
    throw err;
  }
  throw new Error(`${realm} accepted for ${base} (tlsVerify ${tlsVerify})`);
}

Deno.test("checkRealm: https anywhere, http only on the registry's host without TLS verify", () => {
  const ok = (realm: string, base: string, tlsVerify: boolean) =>
    assertEquals(checkRealm(realm, base, tlsVerify).href, new URL(realm).href);
  ok("https://auth.docker.io/token", "https://registry-1.docker.io", true);
  ok("https://auth.example/token", "http://reg.example:5000", false);
  ok("http://reg.example:5001/token", "http://reg.example:5000", false);
  ok("http://127.0.0.1:9/token", "https://127.0.0.1:5000", false);
  for (
    const [realm, base, tlsVerify] of [
      ["http://reg.example/token", "https://reg.example", true],
      ["http://other.example/token", "http://reg.example", false],
      ["http://169.254.169.254/latest/meta-data", "http://reg.example", false],
      ["http://127.0.0.2/token", "http://127.0.0.1:5000", false],
    ] as const
  ) {
    const m = refused(realm, base, tlsVerify);
    assertEquals(m.includes(`refusing token realm "${realm}"`), true, m);
  }
  for (const realm of ["file:///etc/shadow", 'data:,{"token":"x"}', "ftp://reg.example/t"]) {
    for (const tlsVerify of [true, false]) {
      const m = refused(realm, "http://reg.example", tlsVerify);
      assertEquals(m.includes("only https: realms are accepted"), true, m);
    }
  }
  assertEquals(refused("not a url", "https://r", true).includes("is not a URL"), true);
  // A long realm is cut short in the message, which stays one line.
  const long = refused("file:///" + "x".repeat(5000), "https://r", true);
  assertEquals(long.length < 400 && !long.includes("\n"), true);
});
