/**
 * Docker's word processing for Containerfile arguments (pure): splitting a line into words
 * that keep their quotes, and expanding one word the way Docker's shell lexer does —
 * `$A`, `${A}`, `${A:-x}`, `${A-x}`, `${A:+x}`, `${A+x}`, `${A:?msg}`, single quotes
 * literal, double quotes expanding, the escape character taking the next one literally —
 * removing the quotes and escapes. Unset variables expand to nothing.
 *
 * @module
 */
import { BuildError } from "../errors.ts";

/** Variables visible to an instruction: name → value. */
export type Vars = ReadonlyMap<string, string>;

const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Expand one word (quotes and escapes removed).
 *
 * @throws {BuildError} for `${A:?msg}` with A unset, or an unterminated `${`/quote
 *
 * @example
 * ```ts
 * expandWord("${A:-x}/'$B'", new Map([["B", "b"]]), "\\"); // "x/$B"
 * ```
 */
export function expandWord(word: string, vars: Vars, escape = "\\"): string {
  const r = new Reader(word, vars, escape);
  const out = r.until(undefined);
  return out;
}

class Reader {
  i = 0;
  constructor(readonly s: string, readonly vars: Vars, readonly esc: string) {}

  /** Read up to `stop` (consumed) or the end, processing quotes, escapes and `$`. */
  until(stop: string | undefined): string {
    let out = "";
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (stop !== undefined && c === stop) {
        this.i++;
        return out;
      }
      if (c === "'") out += this.single();
      else if (c === '"') out += this.double();
      else if (c === this.esc) {
        this.i++;
        if (this.i < this.s.length) out += this.s[this.i++];
      } else if (c === "$") out += this.dollar();
      else {
        out += c;
        this.i++;
      }
    }
    if (stop !== undefined) throw new BuildError(`missing '${stop}' in "${this.s}"`);
    return out;
  }

  single(): string {
    const end = this.s.indexOf("'", this.i + 1);
    if (end === -1) {
      throw new BuildError(
        `unexpected end of statement while looking for matching single-quote in "${this.s}"`,
      );
    }
    const text = this.s.slice(this.i + 1, end);
    this.i = end + 1;
    return text;
  }

  double(): string {
    this.i++;
    let out = "";
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === "$") out += this.dollar();
      else if (c === this.esc) {
        const n = this.s[this.i + 1];
        if (n === '"' || n === "$" || n === this.esc) {
          out += n;
          this.i += 2;
        } else {
          out += c;
          this.i++;
        }
      } else {
        out += c;
        this.i++;
      }
    }
    throw new BuildError(
      `unexpected end of statement while looking for matching double-quote in "${this.s}"`,
    );
  }

  dollar(): string {
    this.i++; // the $
    const c = this.s[this.i];
    if (c !== "{") {
      let name = "";
      while (this.i < this.s.length && NAME_CHAR.test(this.s[this.i])) name += this.s[this.i++];
      if (name === "") return "$";
      return this.vars.get(name) ?? "";
    }
    this.i++;
    let name = "";
    while (this.i < this.s.length && NAME_CHAR.test(this.s[this.i])) name += this.s[this.i++];
    if (name === "") throw new BuildError(`bad substitution in "${this.s}"`);
    if (this.s[this.i] === "}") {
      this.i++;
      return this.vars.get(name) ?? "";
    }
    let colon = false;
    if (this.s[this.i] === ":") {
      colon = true;
      this.i++;
    }
    const op = this.s[this.i++];
    if (op !== "-" && op !== "+" && op !== "?") {
      throw new BuildError(`unsupported modifier (${op}) in substitution in "${this.s}"`);
    }
    const word = this.until("}");
    const value = this.vars.get(name);
    const set = colon ? value !== undefined && value !== "" : value !== undefined;
    if (op === "-") return set ? value! : word;
    if (op === "+") return set ? word : "";
    if (!set) throw new BuildError(`${name}: ${word || "is not allowed to be unset"}`);
    return value!;
  }
}

/**
 * Split `line` into words at unquoted blanks; quotes and escapes stay in the words (to be
 * removed by {@linkcode expandWord}).
 *
 * @example
 * ```ts
 * splitWords('a "b c" d\\ e', "\\"); // ["a", '"b c"', "d\\ e"]
 * ```
 */
export function splitWords(line: string, escape = "\\"): string[] {
  const words: string[] = [];
  let cur = "";
  let quote = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      cur += c;
      if (c === escape && quote === '"' && i + 1 < line.length) cur += line[++i];
      else if (c === quote) quote = "";
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
      continue;
    }
    inWord = true;
    cur += c;
    if (c === escape && i + 1 < line.length) cur += line[++i];
    else if (c === '"' || c === "'") quote = c;
  }
  if (inWord) words.push(cur);
  return words;
}

/**
 * `ENV`/`LABEL`/`ARG` arguments as name/value pairs, values expanded: `K=V K2="v 2"`, or
 * the old one-pair form `K the rest` (ENV and LABEL only).
 *
 * @throws {BuildError} for a word without `=` in the pairs form, or an empty name
 */
export function namedValues(
  keyword: string,
  args: string,
  vars: Vars,
  escape = "\\",
): { name: string; value?: string }[] {
  const words = splitWords(args, escape);
  if (words.length === 0) throw new BuildError(`${keyword} requires at least one argument`);
  if (keyword !== "ARG" && !words[0].includes("=")) {
    const m = /^(\S+)\s+(.*)$/s.exec(args.trim());
    if (!m) throw new BuildError(`${keyword} requires a name and a value`);
    return [{ name: expandWord(m[1], vars, escape), value: expandWord(m[2].trim(), vars, escape) }];
  }
  return words.map((w) => {
    const eq = w.indexOf("=");
    if (eq === -1) {
      if (keyword === "ARG") return { name: expandWord(w, vars, escape) };
      throw new BuildError(
        `Syntax error - can't find = in "${w}". Must be of the form: name=value`,
      );
    }
    const name = expandWord(w.slice(0, eq), vars, escape);
    if (name === "") throw new BuildError(`${keyword} names can not be blank`);
    return { name, value: expandWord(w.slice(eq + 1), vars, escape) };
  });
}
