/**
 * The assertions of the whole test tree (tests/unit, tests/image, tests/integration,
 * tests/stress): thin wrappers around `node:assert/strict`, since JSR's @std/assert is
 * unreachable here. `assertEquals` is `deepStrictEqual`: Maps and Sets compare by contents,
 * an `undefined` field differs from a missing one, NaN equals NaN, Dates compare by time,
 * typed arrays by type and bytes, and objects by prototype too (a `node:sqlite` row, whose
 * prototype is null, is not a `{}` literal: spread it first). Object keys compare in any order.
 *
 * @module
 */
import { AssertionError, deepStrictEqual } from "node:assert/strict";

/** Throw unless `cond` is truthy. */
export function assert(cond: unknown, msg = "assertion failed"): asserts cond {
  if (!cond) throw new AssertionError({ message: msg });
}

/** Throw unless `actual` and `expected` are deeply, strictly equal (node's `deepStrictEqual`). */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  try {
    deepStrictEqual(actual, expected);
  } catch (err) {
    // node's message (with its diff) is kept; `msg` says which comparison failed.
    if (msg && err instanceof AssertionError) err.message = `${msg}: ${err.message}`;
    throw err;
  }
}

/** Throw unless `text` matches `re`. */
export function assertMatch(text: string, re: RegExp, msg?: string): void {
  if (!re.test(text)) {
    throw new AssertionError({
      message: `${msg ? msg + ": " : ""}${JSON.stringify(text)} !~ ${re}`,
    });
  }
}

/** Throw unless `fn` throws an instance of `cls`; returns the error. */
export function assertThrows<E extends Error>(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  cls: new (...args: any[]) => E,
): E {
  try {
    fn();
  } catch (err) {
    if (err instanceof cls) return err;
    throw new AssertionError({
      message: `expected ${cls.name}, got ${err instanceof Error ? err.stack : err}`,
    });
  }
  throw new AssertionError({ message: `expected ${cls.name} to be thrown` });
}

/** Throw unless `fn` rejects with an instance of `cls` whose message includes `includes`. */
export async function assertRejects<E extends Error>(
  fn: () => Promise<unknown>,
  // deno-lint-ignore no-explicit-any
  cls: new (...args: any[]) => E,
  includes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof cls)) {
      throw new AssertionError({
        message: `expected ${cls.name}, got ${err instanceof Error ? err.stack : err}`,
      });
    }
    if (includes && !err.message.includes(includes)) {
      throw new AssertionError({
        message: `expected message to include "${includes}", got "${err.message}"`,
      });
    }
    return err;
  }
  throw new AssertionError({ message: `expected ${cls.name}, but it resolved` });
}
