import { assertEquals } from "./assert.ts";
import {
  candidatesFor,
  type CompletionSources,
  storeOnLine,
  valueKind,
} from "../../src/cli/complete.ts";
import type { GlobalOptions } from "../../src/engine/context.ts";
import type { FlagTable } from "../../src/cli/args.ts";

const RUN_FLAGS: FlagTable = {
  rm: { type: "boolean" },
  name: { type: "string" },
  net: { type: "string", hidden: true },
};
const OTHER_FLAGS: FlagTable = { force: { type: "boolean" } };

const sources: CompletionSources = {
  commands: ["run", "rm", "rmi", "start", "stats", "container rm", "container run", "cp"],
  flagsOf: (name) => Promise.resolve(name === "run" ? RUN_FLAGS : OTHER_FLAGS),
  kindOf: (name) => (name === "rmi" ? "images" : name === "run" ? "images" : "containers"),
  containers: () => ["web", "worker", "0123456789ab"],
  images: () => ["alpine:3", "busybox:latest"],
};

Deno.test("the first word completes to top-level commands, never a group's subcommand", async () => {
  assertEquals(await candidatesFor(["st"], sources), ["start", "stats"]);
  assertEquals(await candidatesFor([""], sources).then((c) => c.includes("container rm")), false);
});

Deno.test("a group's second word completes to its subcommands", async () => {
  assertEquals(await candidatesFor(["container", "r"], sources), ["rm", "run"]);
});

Deno.test("a dash completes the command's flags, or the global ones before a command", async () => {
  assertEquals(await candidatesFor(["rm", "--f"], sources), ["--force"]);
  assertEquals(await candidatesFor(["container", "rm", "--"], sources), ["--help", "--force"]);
  assertEquals(await candidatesFor(["--ru"], sources), [
    "--runroot",
    "--runtime",
    "--runtime-flag",
  ]);
});

Deno.test("hidden flags are accepted but not offered", async () => {
  assertEquals(await candidatesFor(["run", "--n"], sources), ["--name"]);
});

Deno.test("positional words complete to containers or images, as the usage line says", async () => {
  assertEquals(await candidatesFor(["rm", "w"], sources), ["web", "worker"]);
  assertEquals(await candidatesFor(["--root", "/x", "rmi", "b"], sources), ["busybox:latest"]);
  assertEquals(await candidatesFor(["run", "--rm", ""], sources), ["alpine:3", "busybox:latest"]);
});

Deno.test("a value flag's argument and unknown commands complete to nothing", async () => {
  assertEquals(await candidatesFor(["run", "--name", ""], sources), []);
  assertEquals(await candidatesFor(["--root", ""], sources), []);
  assertEquals(await candidatesFor(["bogus", ""], sources), []);
});

Deno.test("valueKind reads a usage line: containers before images", () => {
  assertEquals(valueKind("berth rm [flags] CONTAINER..."), "containers");
  assertEquals(valueKind("berth commit CONTAINER [IMAGE]"), "containers");
  assertEquals(valueKind("berth rmi [-f] IMAGE..."), "images");
  assertEquals(valueKind("berth cp SRC DEST"), "none");
});

Deno.test("storeOnLine takes --root and --runroot typed before the command", () => {
  const given = { root: "/a", runroot: "/b" } as GlobalOptions;
  const on = (words: string[]) => {
    const o = storeOnLine(words, given);
    return [o.root, o.runroot];
  };
  assertEquals(on(["--root", "/r", "--runroot=/rr", "ps", ""]), ["/r", "/rr"]);
  assertEquals(on(["ps", "--root", "/r", ""]), ["/a", "/b"]);
  assertEquals(on(["--root"]), ["/a", "/b"]);
});
