import { assert, assertEquals } from "./assert.ts";
import { join, relative } from "node:path";
import * as errors from "../../src/errors.ts";

const SRC = new URL("../../src/", import.meta.url).pathname;

type ErrorClass = new (...args: never[]) => errors.BerthError;

function errorClasses(): [string, ErrorClass][] {
  return Object.entries(errors).filter(([, v]) =>
    typeof v === "function" && v.prototype instanceof Error
  ) as [string, ErrorClass][];
}

/** An instance without running a constructor's checks: the fields are set by the chain. */
function instance(cls: ErrorClass): errors.BerthError {
  // Every constructor takes at most strings and numbers; "x" and 1 fit them all.
  return new (cls as unknown as new (...a: unknown[]) => errors.BerthError)("x", "y", 1);
}

Deno.test("every exported error class has an exit status and an HTTP status", () => {
  const classes = errorClasses();
  assert(classes.length >= 20, `only ${classes.length} error classes exported`);
  for (const [name, cls] of classes) {
    const e = instance(cls);
    assert(e instanceof errors.BerthError, `${name} is not a BerthError`);
    assertEquals(e.name, name);
    assert(Number.isInteger(e.exitCode) && e.exitCode > 0 && e.exitCode < 256, name);
    assert(Number.isInteger(e.httpStatus) && e.httpStatus >= 300 && e.httpStatus < 600, name);
  }
});

Deno.test("error statuses: podman's exit codes, the Docker API's HTTP codes", () => {
  const want: Record<string, [number, number]> = {
    BerthError: [125, 500],
    UsageError: [125, 400],
    UlimitAboveHostError: [125, 400],
    NoSuchContainerError: [125, 404],
    NoSuchImageError: [125, 404],
    ConflictError: [125, 409],
    StateError: [125, 409],
    ContainerRunningError: [125, 409],
    ImageInUseError: [2, 409],
    RuntimeError: [126, 500],
    CommandNotInvokableError: [126, 500],
    CommandNotFoundError: [127, 500],
    CopyError: [125, 500],
    SymlinkLoopError: [125, 500],
    LibcError: [125, 500],
    ImageError: [125, 500],
    RegistryError: [125, 500],
  };
  const classes = new Map(errorClasses());
  for (const [name, [exit, http]] of Object.entries(want)) {
    const e = instance(classes.get(name)!);
    assertEquals([e.exitCode, e.httpStatus], [exit, http], name);
  }
});

Deno.test("messages of the moved classes are unchanged", () => {
  assertEquals(new errors.NoSuchImageError("alpine").message, "alpine: image not known");
  assertEquals(
    new errors.SymlinkLoopError("/a").message,
    "/a: too many levels of symbolic links",
  );
  assertEquals(new errors.LibcError("mknod", "/p", 1).message, "mknod /p: EPERM");
  assertEquals(new errors.LibcError("mknod", "/p", 1).code, "EPERM");
  assertEquals(new errors.LibcError("open", "/p", 999).message, "open /p: errno 999");
  assertEquals(
    new errors.ImageInUseError("abc").message,
    "image used by abc: image is in use by a container: consider listing external containers and force-removing image",
  );
});

function* tsFiles(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* tsFiles(p);
    else if (e.isFile && p.endsWith(".ts")) yield p;
  }
}

Deno.test("no file under src/ but src/errors.ts declares an error class", () => {
  const offenders: string[] = [];
  for (const p of tsFiles(SRC)) {
    const rel = relative(SRC, p);
    if (rel === "errors.ts") continue;
    const text = Deno.readTextFileSync(p);
    for (const m of text.matchAll(/\bclass\s+\w+\s+extends\s+[\w.]*Error\b/g)) {
      offenders.push(`${rel}: ${m[0]}`);
    }
  }
  assertEquals(offenders, []);
});
