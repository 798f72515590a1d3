/**
 * A faithful subset of Go's text/template, for the `--format` strings CI scripts use with
 * podman and docker.
 *
 * - Actions: `{{PIPELINE}}`, `{{if}}`/`{{else if}}`/`{{else}}`/`{{end}}`, `{{range}}` (arrays,
 *   objects in sorted key order, integers) with `{{else}}`, `{{break}}` and `{{continue}}`,
 *   `{{with}}`/`{{else with}}`, variables (`{{$x := …}}`, `{{$x = …}}`,
 *   `{{range $i, $e := …}}`, `$` for the root), comments `{{/* … *\/}}` and the trim markers
 *   `{{- ` and ` -}}`.
 * - Operands: `.`, `.A.B`, `$x.A`, `(PIPELINE).A`, strings (`"…"` with Go escapes and raw
 *   `` `…` ``), numbers, characters, `true`, `false`, `nil`; `|` passes a value on as the
 *   last argument.
 * - Functions: Go's `and or not len index slice print printf println eq ne lt le gt ge html
 *   urlquery js`, podman's `json upper lower title join split truncate pad`, and `contains`,
 *   `hasPrefix`, `hasSuffix` (Go's `strings` argument order).
 *
 * Field names match exactly, then case-insensitively (so `.ID` finds `Id`); a field that is not
 * there is an error. `\t` and `\n` in the text outside actions are a tab and a newline.
 * Every mistake is a {@linkcode UsageError} starting with `template:`, found when compiling
 * where possible.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { goString, typeName } from "./template/fmt.ts";
import { FUNCS, truth } from "./template/funcs.ts";

export { goString };

/** A compiled template: call it with a value to render. */
export type Template = (data: unknown) => string;

/** Render-time state: the output so far and the variable stack (`$` at the bottom). */
interface State {
  out: string;
  names: string[];
  values: unknown[];
}
type Eval = (s: State, dot: unknown) => unknown;
/** Runs a node; returns 0, or BREAK/CONTINUE to unwind to the enclosing range. */
type Exec = (s: State, dot: unknown) => number;
const BREAK = 1;
const CONTINUE = 2;

function fail(message: string): never {
  throw new UsageError(`template: ${message}`);
}

// ---------------------------------------------------------------- lexer

type TokKind =
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

interface Tok {
  k: TokKind;
  /** Field or identifier name, variable name with its `$`, or a literal's value. */
  v: unknown;
  /** Whitespace came before it (so `.A .B` is two operands and `.A.B` one). */
  sp: boolean;
  text: string;
}

interface ActionItem {
  toks: Tok[];
}
type Item = { text: string } | ActionItem;

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n";
const NAME = /[\p{L}\p{N}_]*/uy;
const NUMBER =
  /[+-]?(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/y;
const KEYWORDS = new Set([
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

function lex(src: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let trimNext = false;
  for (;;) {
    const open = src.indexOf("{{", pos);
    let text = src.slice(pos, open === -1 ? undefined : open)
      .replaceAll("\\t", "\t").replaceAll("\\n", "\n");
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, "");
    if (open === -1) {
      if (text) items.push({ text });
      return items;
    }
    let i = open + 2;
    if (src[i] === "-" && isSpace(src[i + 1])) {
      text = text.replace(/[ \t\r\n]+$/, "");
      i += 2;
    }
    if (text) items.push({ text });
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
    items.push({ toks: action.toks });
    [trimNext, pos] = [action.rightTrim, action.end];
  }
}

function lexAction(src: string, start: number): { toks: Tok[]; end: number; rightTrim: boolean } {
  const toks: Tok[] = [];
  let i = start;
  let sp = false;
  for (;;) {
    if (i >= src.length) fail("unclosed action");
    const c = src[i];
    if (src.startsWith("}}", i)) return { toks, end: i + 2, rightTrim: false };
    if (isSpace(c)) {
      if (src.startsWith("-}}", i + 1)) return { toks, end: i + 4, rightTrim: true };
      i++;
      sp = true;
      continue;
    }
    const from = i;
    let k: TokKind;
    let v: unknown = undefined;
    if (c === "|" || c === "(" || c === ")" || c === "," || c === "=") {
      k = c;
      i++;
    } else if (c === ":") {
      if (src[i + 1] !== "=") fail(`expected :=, found "${src.slice(i, i + 2)}"`);
      k = ":=";
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
      if (c === '"') [k, v] = ["lit", body];
      else {
        const runes = [...body];
        if (runes.length !== 1) fail(`malformed character constant: ${src.slice(i, j + 1)}`);
        [k, v] = ["lit", runes[0].codePointAt(0)];
      }
      i = j + 1;
    } else if (c === "`") {
      const j = src.indexOf("`", i + 1);
      if (j === -1) fail("unterminated raw quoted string");
      [k, v, i] = ["lit", src.slice(i + 1, j), j + 1];
    } else if (c === "$") {
      NAME.lastIndex = i + 1;
      const name = NAME.exec(src)![0];
      [k, v, i] = ["var", "$" + name, i + 1 + name.length];
    } else if (c === "." && !/\d/.test(src[i + 1] ?? "")) {
      NAME.lastIndex = i + 1;
      const name = NAME.exec(src)![0];
      if (name) [k, v, i] = ["field", name, i + 1 + name.length];
      else [k, i] = ["dot", i + 1];
    } else if (/[\d.+-]/.test(c)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(src);
      if (!m || /[\p{L}\p{N}_]/u.test(src[i + m[0].length] ?? "")) {
        fail(`bad number syntax: "${src.slice(i).split(/[\s}|()]/)[0]}"`);
      }
      [k, v, i] = ["lit", parseNumber(m[0]), i + m[0].length];
    } else if (/[\p{L}_]/u.test(c)) {
      NAME.lastIndex = i;
      const name = NAME.exec(src)![0];
      i += name.length;
      if (name === "true" || name === "false") [k, v] = ["lit", name === "true"];
      else if (name === "nil") k = "nil";
      else [k, v] = ["ident", name];
    } else {
      fail(`unexpected "${c}" in command`);
    }
    if ((k === "field" || k === "var") && /[^\s.,|:)(=}]/.test(src[i] ?? " ")) {
      fail(`bad character "${src[i]}" after ${src.slice(from, i)}`);
    }
    toks.push({ k, v, sp, text: src.slice(from, i) });
    sp = false;
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

// ---------------------------------------------------------------- values

/** One field of a map-like value: exact name first, then case-insensitively. */
function field(v: unknown, name: string): unknown {
  if (v === null || v === undefined) fail(`nil pointer evaluating field ${name}`);
  if (typeof v !== "object" || Array.isArray(v)) {
    fail(`can't evaluate field ${name} in type ${typeName(v)}`);
  }
  const obj = v as Record<string, unknown>;
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  if (key === undefined) fail(`can't evaluate field ${name}`);
  return obj[key];
}

/** Follow a `.A.B.C` path through `data`. */
export function lookup(data: unknown, path: string): unknown {
  if (path === ".") return data;
  let v: unknown = data;
  for (const name of path.slice(1).split(".")) v = field(v, name);
  return v;
}

// ---------------------------------------------------------------- parser / compiler

function getVar(s: State, name: string): unknown {
  for (let i = s.names.length - 1; i >= 0; i--) if (s.names[i] === name) return s.values[i];
  return fail(`undefined variable: ${name}`);
}

function setVar(s: State, name: string, value: unknown): void {
  for (let i = s.names.length - 1; i >= 0; i--) {
    if (s.names[i] === name) {
      s.values[i] = value;
      return;
    }
  }
  fail(`undefined variable: ${name}`);
}

function popTo(s: State, mark: number): void {
  s.names.length = mark;
  s.values.length = mark;
}

function seq(nodes: Exec[]): Exec {
  if (nodes.length === 0) return () => 0;
  if (nodes.length === 1) return nodes[0];
  return (s, dot) => {
    for (let i = 0; i < nodes.length; i++) {
      const r = nodes[i](s, dot);
      if (r) return r;
    }
    return 0;
  };
}

function walkFields(v: unknown, path: string[]): unknown {
  for (let i = 0; i < path.length; i++) v = field(v, path[i]);
  return v;
}

/** A parsed pipeline: its value, and the variables it declares or assigns. */
interface Pipe {
  value: Eval;
  decls: string[];
  assign: boolean;
}

/** Push (or assign) a pipeline's declared variables. */
function bind(p: Pipe, s: State, value: unknown): void {
  for (const name of p.decls) {
    if (p.assign) setVar(s, name, value);
    else {
      s.names.push(name);
      s.values.push(value);
    }
  }
}

interface Operand {
  kind: "fn" | "field" | "var" | "dot" | "lit" | "nil" | "pipe";
  text: string;
  eval: Eval;
}

type Command = (s: State, dot: unknown, final: unknown) => unknown;

class Parser {
  private pos = 0;
  private toks: Tok[] = [];
  private p = 0;
  private vars: string[] = ["$"];
  private rangeDepth = 0;

  constructor(private readonly items: Item[]) {}

  parse(): Exec {
    const { list, stop } = this.list();
    if (stop) fail(`unexpected {{${stop.toks[0].text}}}`);
    return list;
  }

  /** Items up to the end, or up to an `{{end}}` or `{{else …}}` action (returned as `stop`). */
  private list(): { list: Exec; stop?: ActionItem } {
    const nodes: Exec[] = [];
    while (this.pos < this.items.length) {
      const item = this.items[this.pos++];
      if ("text" in item) {
        const text = item.text;
        nodes.push((s) => {
          s.out += text;
          return 0;
        });
        continue;
      }
      const first = item.toks[0];
      if (first?.k === "ident" && KEYWORDS.has(first.v as string)) {
        const word = first.v as string;
        if (word === "end" || word === "else") return { list: seq(nodes), stop: item };
        if (word === "if" || word === "with" || word === "range") {
          nodes.push(this.control(word, item.toks.slice(1)));
        } else if (word === "break" || word === "continue") {
          if (this.rangeDepth === 0) fail(`{{${word}}} outside {{range}}`);
          if (item.toks.length > 1) fail(`unexpected ${item.toks[1].text} in {{${word}}}`);
          const code = word === "break" ? BREAK : CONTINUE;
          nodes.push(() => code);
        } else fail(`{{${word}}} is not supported`);
        continue;
      }
      nodes.push(this.action(item.toks));
    }
    return { list: seq(nodes) };
  }

  private action(toks: Tok[]): Exec {
    if (toks.length === 0) fail("missing value for command");
    const pipe = this.topPipeline(toks, "command");
    const value = pipe.value;
    if (pipe.decls.length) {
      return (s, dot) => {
        bind(pipe, s, value(s, dot));
        return 0;
      };
    }
    return (s, dot) => {
      s.out += goString(value(s, dot));
      return 0;
    };
  }

  private control(kind: "if" | "with" | "range", toks: Tok[]): Exec {
    const mark = this.vars.length;
    if (toks.length === 0) fail(`missing value for ${kind}`);
    const pipe = this.topPipeline(toks, kind);
    if (kind === "range") this.rangeDepth++;
    const body = this.list();
    if (kind === "range") this.rangeDepth--;
    let elseList: Exec | undefined;
    const stop = body.stop;
    if (!stop) fail(`unexpected EOF: missing {{end}} for {{${kind}}}`);
    const rest = stop.toks.slice(1);
    if (stop.toks[0].v === "else") {
      const next = rest[0];
      if (next?.k === "ident" && (next.v === "if" || next.v === "with")) {
        if (next.v !== kind) fail(`unexpected {{else ${next.v}}} in {{${kind}}}`);
        elseList = this.control(kind, rest.slice(1));
      } else {
        if (next) fail(`unexpected ${next.text} in {{else}}`);
        const e = this.list();
        if (!e.stop) fail(`unexpected EOF: missing {{end}} for {{${kind}}}`);
        if (e.stop.toks[0].v !== "end") fail(`expected {{end}}; found {{else}}`);
        if (e.stop.toks.length > 1) fail(`unexpected ${e.stop.toks[1].text} in {{end}}`);
        elseList = e.list;
      }
    } else if (rest.length) fail(`unexpected ${rest[0].text} in {{end}}`);
    this.vars.length = mark;
    return kind === "range"
      ? compileRange(pipe, body.list, elseList)
      : compileIfWith(kind === "with", pipe, body.list, elseList);
  }

  private topPipeline(toks: Tok[], context: string): Pipe {
    this.toks = toks;
    this.p = 0;
    const pipe = this.pipeline(context, false);
    if (this.p < this.toks.length) fail(`unexpected ${this.toks[this.p].text} in ${context}`);
    return pipe;
  }

  private peek(): Tok | undefined {
    return this.toks[this.p];
  }

  private pipeline(context: string, inParens: boolean): Pipe {
    const t = this.toks;
    let decls: string[] = [];
    let assign = false;
    if (t[this.p]?.k === "var") {
      const a = t[this.p + 1]?.k;
      if (a === ":=" || a === "=") {
        decls = [t[this.p].v as string];
        assign = a === "=";
        this.p += 2;
      } else if (a === ",") {
        if (context !== "range") fail(`too many declarations in ${context}`);
        const b = t[this.p + 3]?.k;
        if (t[this.p + 2]?.k !== "var" || (b !== ":=" && b !== "=")) {
          fail("range can only initialize variables");
        }
        decls = [t[this.p].v as string, t[this.p + 2].v as string];
        assign = b === "=";
        this.p += 4;
      }
    }
    if (assign) {
      for (const d of decls) if (!this.vars.includes(d)) fail(`undefined variable "${d}"`);
    }
    const cmds: Command[] = [];
    for (;;) {
      cmds.push(this.command(cmds.length));
      if (this.peek()?.k !== "|") break;
      this.p++;
    }
    if (inParens) {
      if (this.peek()?.k !== ")") fail("unclosed left paren");
      this.p++;
    }
    if (!assign) this.vars.push(...decls);
    let value: Eval;
    if (cmds.length === 1) {
      const c = cmds[0];
      value = (s, dot) => c(s, dot, undefined);
    } else {
      value = (s, dot) => {
        let v: unknown = undefined;
        for (let i = 0; i < cmds.length; i++) v = cmds[i](s, dot, v);
        return v;
      };
    }
    return { value, decls, assign };
  }

  private command(stage: number): Command {
    const ops: Operand[] = [];
    for (let t = this.peek(); t && t.k !== "|" && t.k !== ")"; t = this.peek()) {
      if (ops.length && !t.sp) fail(`unexpected ${t.text} in operand`);
      ops.push(this.operand());
    }
    if (ops.length === 0) fail(stage > 0 ? "missing command" : "missing value for command");
    const head = ops[0];
    if (head.kind !== "fn") {
      if (ops.length > 1) fail(`can't give argument to non-function ${head.text}`);
      if (stage > 0) {
        if (head.kind === "lit" || head.kind === "dot" || head.kind === "nil") {
          fail(`non executable command in pipeline stage ${stage + 1}`);
        }
        fail(`can't give argument to non-function ${head.text}`);
      }
      if (head.kind === "nil") fail("nil is not a command");
      const e = head.eval;
      return (s, dot) => e(s, dot);
    }
    // As an argument, a function name is a call without arguments.
    const args = ops.slice(1).map((o): Eval => {
      if (o.kind !== "fn") return o.eval;
      const call = compileCall(o.text, [], false);
      return (s, dot) => call(s, dot, undefined);
    });
    return compileCall(head.text, args, stage > 0);
  }

  private operand(): Operand {
    const t = this.toks[this.p++];
    let op: Operand;
    switch (t.k) {
      case "field": {
        const path = [t.v as string, ...this.chain()];
        op = { kind: "field", text: "." + path.join("."), eval: (_, dot) => walkFields(dot, path) };
        break;
      }
      case "dot":
        op = { kind: "dot", text: ".", eval: (_, dot) => dot };
        break;
      case "var": {
        const name = t.v as string;
        if (!this.vars.includes(name)) fail(`undefined variable "${name}"`);
        const path = this.chain();
        op = {
          kind: "var",
          text: [name, ...path].join("."),
          eval: path.length ? (s) => walkFields(getVar(s, name), path) : (s) => getVar(s, name),
        };
        break;
      }
      case "ident": {
        const name = t.v as string;
        if (KEYWORDS.has(name)) fail(`unexpected {{${name}}} in operand`);
        if (!Object.hasOwn(FUNCS, name)) fail(`function "${name}" not defined`);
        op = { kind: "fn", text: name, eval: () => undefined };
        break;
      }
      case "lit": {
        const v = t.v;
        op = { kind: "lit", text: t.text, eval: () => v };
        break;
      }
      case "nil":
        op = { kind: "nil", text: "nil", eval: () => undefined };
        break;
      case "(": {
        const inner = this.pipeline("parenthesized pipeline", true);
        const path = this.chain();
        const value = inner.value;
        const ev: Eval = inner.decls.length
          ? (s, dot) => {
            const v = value(s, dot);
            bind(inner, s, v);
            return v;
          }
          : value;
        op = {
          kind: "pipe",
          text: "(…)" + path.map((p) => "." + p).join(""),
          eval: path.length ? (s, dot) => walkFields(ev(s, dot), path) : ev,
        };
        break;
      }
      default:
        return fail(`unexpected ${t.text} in operand`);
    }
    const next = this.peek();
    if (next && !next.sp && (next.k === "field" || next.k === "dot")) {
      fail(`unexpected ${next.text} after ${op.text}`);
    }
    return op;
  }

  /** Field names that follow the current operand with no space: the `.B.C` of `$x.B.C`. */
  private chain(): string[] {
    const path: string[] = [];
    for (let t = this.peek(); t && !t.sp && t.k === "field"; t = this.peek()) {
      path.push(t.v as string);
      this.p++;
    }
    return path;
  }
}

function compileCall(name: string, args: Eval[], piped: boolean): Command {
  const fn = FUNCS[name];
  const n = args.length + (piped ? 1 : 0);
  if (n < fn.min || n > fn.max) {
    const want = fn.min === fn.max ? `${fn.min}` : `at least ${fn.min}`;
    fail(`wrong number of args for ${name}: want ${want} got ${n}`);
  }
  if (name === "and" || name === "or") {
    const wantTruth = name === "or";
    return (s, dot, final) => {
      let v: unknown = undefined;
      for (let i = 0; i < args.length; i++) {
        v = args[i](s, dot);
        if (truth(v) === wantTruth) return v;
      }
      return piped ? final : v;
    };
  }
  const call = (values: unknown[]): unknown => {
    try {
      return fn.fn(...values);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      return fail(`error calling ${name}: ${(err as Error).message}`);
    }
  };
  return (s, dot, final) => {
    const values = args.map((a) => a(s, dot));
    if (piped) values.push(final);
    return call(values);
  };
}

function compileIfWith(isWith: boolean, pipe: Pipe, body: Exec, elseList?: Exec): Exec {
  const value = pipe.value;
  return (s, dot) => {
    const mark = s.names.length;
    const v = value(s, dot);
    bind(pipe, s, v);
    const r = truth(v) ? body(s, isWith ? v : dot) : elseList ? elseList(s, dot) : 0;
    popTo(s, mark);
    return r;
  };
}

function compileRange(pipe: Pipe, body: Exec, elseList?: Exec): Exec {
  const value = pipe.value;
  const [first, second] = pipe.decls;
  return (s, dot) => {
    const mark = s.names.length;
    const v = value(s, dot);
    bind(pipe, s, v);
    const inner = s.names.length;
    const one = (key: unknown, elem: unknown): number => {
      if (pipe.assign) {
        if (second !== undefined) [setVar(s, first, key), setVar(s, second, elem)];
        else if (first !== undefined) setVar(s, first, elem);
      } else if (second !== undefined) [s.values[inner - 2], s.values[inner - 1]] = [key, elem];
      else if (first !== undefined) s.values[inner - 1] = elem;
      const r = body(s, elem);
      popTo(s, inner);
      return r;
    };
    let n = 0;
    if (Array.isArray(v)) {
      for (; n < v.length; n++) if (one(n, v[n]) === BREAK) break;
    } else if (typeof v === "number" && Number.isInteger(v)) {
      if (second !== undefined) fail(`can't use ${v} to iterate over more than one variable`);
      for (; n < v; n++) if (one(n, n) === BREAK) break;
    } else if (v !== null && v !== undefined && typeof v === "object") {
      const map = v as Record<string, unknown>;
      const keys = Object.keys(map).sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
      for (const k of keys) {
        n++;
        if (one(k, map[k]) === BREAK) break;
      }
    } else if (v !== null && v !== undefined) fail(`range can't iterate over ${goString(v)}`);
    let r = 0;
    if (n === 0 && elseList) {
      popTo(s, inner);
      r = elseList(s, dot);
    }
    popTo(s, mark);
    return r;
  };
}

/**
 * Compile `source`; the result renders any number of values.
 *
 * @throws {UsageError} on a malformed template (and, from the template, on a value it cannot
 * render: a missing field, a bad `index`, …)
 * @example
 * ```ts
 * compileTemplate("{{.State.Status}}")({ State: { Status: "exited" } }); // "exited"
 * compileTemplate('{{range .Names}}{{printf "%q " .}}{{end}}')({ Names: ["a"] }); // '"a" '
 * ```
 */
export function compileTemplate(source: string): Template {
  const root = new Parser(lex(source)).parse();
  return (data) => {
    const s: State = { out: "", names: ["$"], values: [data] };
    root(s, data);
    return s.out;
  };
}

/**
 * Header cells for a `table …` format: each `{{.Field}}` becomes its upper-cased name
 * (podman's `CONTAINER ID` for `.ID`); control actions (`{{if}}`, `{{end}}`, comments…) vanish.
 */
export function tableHeader(source: string): string {
  const names: Record<string, string> = {
    ID: "CONTAINER ID",
    Names: "NAMES",
    CreatedHuman: "CREATED",
  };
  return source.replaceAll("\\t", "\t").replace(
    /\{\{-?\s*([^}]*?)\s*-?\}\}/g,
    (_, action: string) => {
      const words = action.split(/\s+/);
      if (
        action.startsWith("/*") || KEYWORDS.has(words[0]) || /^\$\w*\s*:?=/.test(action)
      ) return "";
      const field = words.find((w: string) => w.startsWith("."))?.slice(1) ?? action;
      const last = field.split(".").at(-1) ?? field;
      return names[last] ?? last.replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase();
    },
  );
}
