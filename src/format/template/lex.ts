/**
 * The template lexer: splits a template's source into text and actions, and each action into
 * tokens.
 *
 * The whole source is lexed before parsing starts, so a lexical mistake anywhere (an unclosed
 * action, a bad escape) is reported even when a parse error comes earlier in the text.
 *
 * @module
 */
import { UsageError } from "../../errors.ts";

/** What a token is; punctuation stands for itself. */
export type TokenKind =
  | "field"
  | "dot"
  | "var"
  | "ident"
  | "lit"
  | "nil"
  | "|"
  | "("
  | ")"
  | ","
  | ":="
  | "=";

/** One token of an action. */
export interface Token {
  kind: TokenKind;
  /** Field or identifier name, variable name with its `$`, or a literal's value. */
  value: unknown;
  /** Whitespace came before it: `.A .B` is two operands and `.A.B` one. */
  afterSpace: boolean;
  /** The source text, for error messages. */
  text: string;
}

/** Text outside actions (escapes and trim markers applied), or one action's tokens. */
export type Item = { kind: "text"; text: string } | ActionItem;

/** The tokens between one `{{` and its `}}`. */
export interface ActionItem {
  kind: "action";
  tokens: Token[];
}

/** Words that start a control action rather than name a function. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  "if",
  "else",
  "end",
  "range",
  "with",
  "break",
  "continue",
  "define",
  "template",
  "block",
]);

function fail(message: string): never {
  throw new UsageError(`template: ${message}`);
}

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n";
const NAME = /[\p{L}\p{N}_]*/uy;
const NUMBER =
  /[+-]?(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/y;

/**
 * Split `src` into items; comments vanish.
 *
 * @throws {UsageError} on an unclosed action or comment, or a malformed token
 * @example
 * ```ts
 * lex("hi {{.Name}}"); // [{ kind: "text", text: "hi " }, { kind: "action", tokens: [
 * //   { kind: "field", value: "Name", afterSpace: false, text: ".Name" }] }]
 * ```
 */
export function lex(src: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let trimNext = false;
  for (;;) {
    const open = src.indexOf("{{", pos);
    // A `\t` typed in a shell argument arrives as two characters; podman and docker users
    // expect a tab (and `\n` a newline) in table and line formats.
    let text = src.slice(pos, open === -1 ? undefined : open)
      .replaceAll("\\t", "\t").replaceAll("\\n", "\n");
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, "");
    if (open === -1) {
      if (text) items.push({ kind: "text", text });
      return items;
    }
    let i = open + 2;
    if (src[i] === "-" && isSpace(src[i + 1])) {
      text = text.replace(/[ \t\r\n]+$/, "");
      i += 2;
    }
    if (text) items.push({ kind: "text", text });
    if (src.startsWith("/*", i)) {
      const end = src.indexOf("*/", i + 2);
      if (end === -1) fail("unclosed comment");
      const k = end + 2;
      if (src.startsWith("}}", k)) [trimNext, pos] = [false, k + 2];
      else if (isSpace(src[k]) && src.startsWith("-}}", k + 1)) [trimNext, pos] = [true, k + 4];
      else fail("comment ends before closing delimiter");
      continue;
    }
    const action = lexAction(src, i);
    items.push({ kind: "action", tokens: action.tokens });
    [trimNext, pos] = [action.rightTrim, action.end];
  }
}

function lexAction(
  src: string,
  start: number,
): { tokens: Token[]; end: number; rightTrim: boolean } {
  const tokens: Token[] = [];
  let i = start;
  let afterSpace = false;
  for (;;) {
    if (i >= src.length) fail("unclosed action");
    const c = src[i];
    if (src.startsWith("}}", i)) return { tokens, end: i + 2, rightTrim: false };
    if (isSpace(c)) {
      if (src.startsWith("-}}", i + 1)) return { tokens, end: i + 4, rightTrim: true };
      i++;
      afterSpace = true;
      continue;
    }
    const from = i;
    let kind: TokenKind;
    let value: unknown = undefined;
    if (c === "|" || c === "(" || c === ")" || c === "," || c === "=") {
      kind = c;
      i++;
    } else if (c === ":") {
      if (src[i + 1] !== "=") fail(`expected :=, found "${src.slice(i, i + 2)}"`);
      kind = ":=";
      i += 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\n") break;
        j += src[j] === "\\" ? 2 : 1;
      }
      if (j >= src.length || src[j] !== c) {
        fail(c === '"' ? "unterminated quoted string" : "unterminated character constant");
      }
      const body = unquote(src.slice(i + 1, j), c);
      if (c === '"') [kind, value] = ["lit", body];
      else {
        const runes = [...body];
        if (runes.length !== 1) fail(`malformed character constant: ${src.slice(i, j + 1)}`);
        [kind, value] = ["lit", runes[0].codePointAt(0)];
      }
      i = j + 1;
    } else if (c === "`") {
      const j = src.indexOf("`", i + 1);
      if (j === -1) fail("unterminated raw quoted string");
      [kind, value, i] = ["lit", src.slice(i + 1, j), j + 1];
    } else if (c === "$") {
      NAME.lastIndex = i + 1;
      const name = NAME.exec(src)![0];
      [kind, value, i] = ["var", "$" + name, i + 1 + name.length];
    } else if (c === "." && !/\d/.test(src[i + 1] ?? "")) {
      NAME.lastIndex = i + 1;
      const name = NAME.exec(src)![0];
      if (name) [kind, value, i] = ["field", name, i + 1 + name.length];
      else [kind, i] = ["dot", i + 1];
    } else if (/[\d.+-]/.test(c)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(src);
      if (!m || /[\p{L}\p{N}_]/u.test(src[i + m[0].length] ?? "")) {
        fail(`bad number syntax: "${src.slice(i).split(/[\s}|()]/)[0]}"`);
      }
      [kind, value, i] = ["lit", parseNumber(m[0]), i + m[0].length];
    } else if (/[\p{L}_]/u.test(c)) {
      NAME.lastIndex = i;
      const name = NAME.exec(src)![0];
      i += name.length;
      if (name === "true" || name === "false") [kind, value] = ["lit", name === "true"];
      else if (name === "nil") kind = "nil";
      else [kind, value] = ["ident", name];
    } else {
      fail(`unexpected "${c}" in command`);
    }
    if ((kind === "field" || kind === "var") && /[^\s.,|:)(=}]/.test(src[i] ?? " ")) {
      fail(`bad character "${src[i]}" after ${src.slice(from, i)}`);
    }
    tokens.push({ kind, value, afterSpace, text: src.slice(from, i) });
    afterSpace = false;
  }
}

function parseNumber(text: string): number {
  const t = text.replaceAll("_", "");
  const sign = t.startsWith("-") ? -1 : 1;
  const body = t.replace(/^[+-]/, "");
  let n: number;
  if (/^0[xX]/.test(body)) n = parseInt(body.slice(2), 16);
  else if (/^0[bB]/.test(body)) n = parseInt(body.slice(2), 2);
  else if (/^0[oO]/.test(body)) n = parseInt(body.slice(2), 8);
  else if (/^0[0-7]+$/.test(body)) n = parseInt(body, 8);
  else n = Number(body);
  if (Number.isNaN(n)) fail(`bad number syntax: "${text}"`);
  return sign * n;
}

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  "\\": 92,
  '"': 34,
  "'": 39,
};

/** Go's `strconv.Unquote` for the body of a `"…"` string or `'…'` character. */
function unquote(body: string, quoteChar: string): string {
  if (!body.includes("\\")) return body;
  const enc = new TextEncoder();
  const bytes: number[] = [];
  for (let i = 0; i < body.length;) {
    if (body[i] !== "\\") {
      const ch = String.fromCodePoint(body.codePointAt(i)!);
      bytes.push(...enc.encode(ch));
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    const hex = (n: number) => {
      const h = body.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) fail(`invalid escape "\\${e}${h}"`);
      i += 2 + n;
      return parseInt(h, 16);
    };
    if (
      e in SIMPLE_ESCAPES && (e !== "'" || quoteChar === "'") && (e !== '"' || quoteChar === '"')
    ) {
      bytes.push(SIMPLE_ESCAPES[e]);
      i += 2;
    } else if (e === "x") bytes.push(hex(2));
    else if (e === "u" || e === "U") {
      const cp = hex(e === "u" ? 4 : 8);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail(`invalid escape "\\${e}"`);
      bytes.push(...enc.encode(String.fromCodePoint(cp)));
    } else if (/[0-7]/.test(e ?? "")) {
      const o = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) fail(`invalid escape "\\${o}"`);
      bytes.push(parseInt(o, 8));
      i += 4;
    } else fail(`invalid escape "\\${e ?? ""}"`);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
