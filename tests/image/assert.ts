/**
 * Minimal assertions (std/assert is on JSR, which is unreachable here).
 *
 * @module
 */
import { deepStrictEqual } from "node:assert";

/** Assert deep equality. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  deepStrictEqual(actual, expected, msg);
}

/** Assert a condition. */
export function assert(cond: unknown, msg = "assertion failed"): asserts cond {
  if (!cond) throw new Error(msg);
}

/** Assert that `fn` rejects with an instance of `cls` whose message includes `includes`. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  // deno-lint-ignore no-explicit-any
  cls: new (...args: any[]) => Error,
  includes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof cls)) {
      throw new Error(`expected ${cls.name}, got ${err instanceof Error ? err.stack : err}`);
    }
    if (includes && !err.message.includes(includes)) {
      throw new Error(`expected message to include "${includes}", got "${err.message}"`);
    }
    return err;
  }
  throw new Error(`expected ${cls.name}, but it resolved`);
}
