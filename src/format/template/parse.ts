/**
 * The template parser: turns the lexer's items into a tree of nodes, the shape Go's
 * text/template/parse builds.
 *
 * Everything that can be known without data is checked here, so a bad `--format` fails before
 * any container is touched: keywords in the right places, variables declared before use,
 * functions that exist and get a number of arguments they accept.
 *
 * @module
 */
import { UsageError } from "../../errors.ts";
import { type ActionItem, type Item, KEYWORDS, lex, type Token } from "./lex.ts";

/** A sequence of nodes: the whole template, or the body of a control action. */
export interface ListNode {
  type: "list";
  nodes: Node[];
}

/** A node of a {@linkcode ListNode}. */
export type Node =
  | TextNode
  | ActionNode
  | BranchNode
  | { type: "break" }
  | { type: "continue" };

/** Text to copy to the output. */
export interface TextNode {
  type: "text";
  text: string;
}

/** `{{PIPELINE}}`: prints the value unless the pipeline declares or assigns variables. */
export interface ActionNode {
  type: "action";
  pipe: PipeNode;
}

/** `{{if}}`, `{{with}}` or `{{range}}`; an `{{else if …}}` is an `if` alone in `elseList`. */
export interface BranchNode {
  type: "if" | "with" | "range";
  pipe: PipeNode;
  list: ListNode;
  elseList?: ListNode;
}

/** Commands joined by `|`, after an optional `$x :=` / `$x =` / `$i, $e :=`. */
export interface PipeNode {
  type: "pipe";
  decl: string[];
  isAssign: boolean;
  cmds: CommandNode[];
}

/** One stage of a pipeline: a function and its arguments, or a single operand. */
export interface CommandNode {
  type: "command";
  args: ArgNode[];
}

/** An operand. */
export type ArgNode =
  | { type: "field"; ident: string[] }
  | { type: "variable"; name: string; ident: string[] }
  | { type: "dot" }
  | { type: "nil" }
  | { type: "literal"; value: unknown; text: string }
  | { type: "identifier"; name: string }
  | PipeNode
  | { type: "chain"; node: PipeNode; field: string[] };

/** How many arguments a function accepts. */
export interface Arity {
  min: number;
  max: number;
}

/**
 * Parse `source` into its tree.
 *
 * `funcs` names the functions the template may call, as Go's `parse.Parse` takes them, so the
 * parser does not depend on the function table itself.
 *
 * @throws {UsageError} on a malformed template
 * @example
 * ```ts
 * parse("{{.A}}", FUNCS); // { type: "list", nodes: [{ type: "action", pipe: { type: "pipe",
 * //   decl: [], isAssign: false, cmds: [{ type: "command", args: [
 * //   { type: "field", ident: ["A"] }] }] } }] }
 * ```
 */
export function parse(source: string, funcs: Readonly<Record<string, Arity>>): ListNode {
  return new Parser(lex(source), funcs).parse();
}

function fail(message: string): never {
  throw new UsageError(`template: ${message}`);
}

/** How an operand reads in an error message. */
function describe(op: ArgNode): string {
  switch (op.type) {
    case "field":
      return "." + op.ident.join(".");
    case "variable":
      return [op.name, ...op.ident].join(".");
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "literal":
      return op.text;
    case "identifier":
      return op.name;
    case "pipe":
      return "(…)";
    case "chain":
      return "(…)" + op.field.map((p) => "." + p).join("");
  }
}

class Parser {
  private pos = 0;
  private toks: Token[] = [];
  private p = 0;
  /** Variables in scope, innermost last; `$` is always there. */
  private vars: string[] = ["$"];
  private rangeDepth = 0;

  constructor(
    private readonly items: Item[],
    private readonly funcs: Readonly<Record<string, Arity>>,
  ) {}

  parse(): ListNode {
    const { list, stop } = this.list();
    if (stop) fail(`unexpected {{${stop.tokens[0].text}}}`);
    return list;
  }

  /** Items up to the end, or up to an `{{end}}` or `{{else …}}` action (returned as `stop`). */
  private list(): { list: ListNode; stop?: ActionItem } {
    const nodes: Node[] = [];
    const done = (stop?: ActionItem) => ({ list: { type: "list" as const, nodes }, stop });
    while (this.pos < this.items.length) {
      const item = this.items[this.pos++];
      if (item.kind === "text") {
        nodes.push({ type: "text", text: item.text });
        continue;
      }
      const first = item.tokens[0];
      if (first?.kind === "ident" && KEYWORDS.has(first.value as string)) {
        const word = first.value as string;
        if (word === "end" || word === "else") return done(item);
        if (word === "if" || word === "with" || word === "range") {
          nodes.push(this.control(word, item.tokens.slice(1)));
        } else if (word === "break" || word === "continue") {
          if (this.rangeDepth === 0) fail(`{{${word}}} outside {{range}}`);
          if (item.tokens.length > 1) fail(`unexpected ${item.tokens[1].text} in {{${word}}}`);
          nodes.push({ type: word });
        } else fail(`{{${word}}} is not supported`);
        continue;
      }
      nodes.push(this.action(item.tokens));
    }
    return done();
  }

  private action(toks: Token[]): ActionNode {
    if (toks.length === 0) fail("missing value for command");
    return { type: "action", pipe: this.topPipeline(toks, "command") };
  }

  private control(kind: "if" | "with" | "range", toks: Token[]): BranchNode {
    const mark = this.vars.length;
    if (toks.length === 0) fail(`missing value for ${kind}`);
    const pipe = this.topPipeline(toks, kind);
    // `{{break}}` belongs to the range body only, not to its `{{else}}`.
    if (kind === "range") this.rangeDepth++;
    const body = this.list();
    if (kind === "range") this.rangeDepth--;
    let elseList: ListNode | undefined;
    const stop = body.stop;
    if (!stop) fail(`unexpected EOF: missing {{end}} for {{${kind}}}`);
    const rest = stop.tokens.slice(1);
    if (stop.tokens[0].value === "else") {
      const next = rest[0];
      if (next?.kind === "ident" && (next.value === "if" || next.value === "with")) {
        if (next.value !== kind) fail(`unexpected {{else ${next.value}}} in {{${kind}}}`);
        // The nested branch consumes the shared `{{end}}`, as in Go.
        elseList = { type: "list", nodes: [this.control(kind, rest.slice(1))] };
      } else {
        if (next) fail(`unexpected ${next.text} in {{else}}`);
        const e = this.list();
        if (!e.stop) fail(`unexpected EOF: missing {{end}} for {{${kind}}}`);
        if (e.stop.tokens[0].value !== "end") fail(`expected {{end}}; found {{else}}`);
        if (e.stop.tokens.length > 1) fail(`unexpected ${e.stop.tokens[1].text} in {{end}}`);
        elseList = e.list;
      }
    } else if (rest.length) fail(`unexpected ${rest[0].text} in {{end}}`);
    this.vars.length = mark;
    const node: BranchNode = { type: kind, pipe, list: body.list };
    if (elseList) node.elseList = elseList;
    return node;
  }

  private topPipeline(toks: Token[], context: string): PipeNode {
    this.toks = toks;
    this.p = 0;
    const pipe = this.pipeline(context, false);
    if (this.p < this.toks.length) fail(`unexpected ${this.toks[this.p].text} in ${context}`);
    return pipe;
  }

  private peek(): Token | undefined {
    return this.toks[this.p];
  }

  private pipeline(context: string, inParens: boolean): PipeNode {
    const t = this.toks;
    let decl: string[] = [];
    let isAssign = false;
    if (t[this.p]?.kind === "var") {
      const a = t[this.p + 1]?.kind;
      if (a === ":=" || a === "=") {
        decl = [t[this.p].value as string];
        isAssign = a === "=";
        this.p += 2;
      } else if (a === ",") {
        if (context !== "range") fail(`too many declarations in ${context}`);
        const b = t[this.p + 3]?.kind;
        if (t[this.p + 2]?.kind !== "var" || (b !== ":=" && b !== "=")) {
          fail("range can only initialize variables");
        }
        decl = [t[this.p].value as string, t[this.p + 2].value as string];
        isAssign = b === "=";
        this.p += 4;
      }
    }
    if (isAssign) {
      for (const d of decl) if (!this.vars.includes(d)) fail(`undefined variable "${d}"`);
    }
    const cmds: CommandNode[] = [];
    for (;;) {
      cmds.push(this.command(cmds.length));
      if (this.peek()?.kind !== "|") break;
      this.p++;
    }
    if (inParens) {
      if (this.peek()?.kind !== ")") fail("unclosed left paren");
      this.p++;
    }
    // Declared only now, so `{{$x := $x}}` cannot see the variable it declares.
    if (!isAssign) this.vars.push(...decl);
    return { type: "pipe", decl, isAssign, cmds };
  }

  private command(stage: number): CommandNode {
    const ops: ArgNode[] = [];
    for (let t = this.peek(); t && t.kind !== "|" && t.kind !== ")"; t = this.peek()) {
      if (ops.length && !t.afterSpace) fail(`unexpected ${t.text} in operand`);
      ops.push(this.operand());
    }
    if (ops.length === 0) fail(stage > 0 ? "missing command" : "missing value for command");
    const head = ops[0];
    if (head.type !== "identifier") {
      if (ops.length > 1) fail(`can't give argument to non-function ${describe(head)}`);
      if (stage > 0) {
        if (head.type === "literal" || head.type === "dot" || head.type === "nil") {
          fail(`non executable command in pipeline stage ${stage + 1}`);
        }
        fail(`can't give argument to non-function ${describe(head)}`);
      }
      if (head.type === "nil") fail("nil is not a command");
      return { type: "command", args: ops };
    }
    // As an argument, a function name is a call without arguments.
    for (const o of ops.slice(1)) if (o.type === "identifier") this.checkArity(o.name, 0);
    // A later pipeline stage gets the previous value as one more argument.
    this.checkArity(head.name, ops.length - 1 + (stage > 0 ? 1 : 0));
    return { type: "command", args: ops };
  }

  /** Go checks this when executing; checking here reports it before any data is fetched. */
  private checkArity(name: string, n: number): void {
    const fn = this.funcs[name];
    if (n < fn.min || n > fn.max) {
      const want = fn.min === fn.max ? `${fn.min}` : `at least ${fn.min}`;
      fail(`wrong number of args for ${name}: want ${want} got ${n}`);
    }
  }

  private operand(): ArgNode {
    const t = this.toks[this.p++];
    let op: ArgNode;
    switch (t.kind) {
      case "field":
        op = { type: "field", ident: [t.value as string, ...this.chain()] };
        break;
      case "dot":
        op = { type: "dot" };
        break;
      case "var": {
        const name = t.value as string;
        if (!this.vars.includes(name)) fail(`undefined variable "${name}"`);
        op = { type: "variable", name, ident: this.chain() };
        break;
      }
      case "ident": {
        const name = t.value as string;
        if (KEYWORDS.has(name)) fail(`unexpected {{${name}}} in operand`);
        if (!Object.hasOwn(this.funcs, name)) fail(`function "${name}" not defined`);
        op = { type: "identifier", name };
        break;
      }
      case "lit":
        op = { type: "literal", value: t.value, text: t.text };
        break;
      case "nil":
        op = { type: "nil" };
        break;
      case "(": {
        const inner = this.pipeline("parenthesized pipeline", true);
        const field = this.chain();
        op = field.length ? { type: "chain", node: inner, field } : inner;
        break;
      }
      default:
        return fail(`unexpected ${t.text} in operand`);
    }
    const next = this.peek();
    if (next && !next.afterSpace && (next.kind === "field" || next.kind === "dot")) {
      fail(`unexpected ${next.text} after ${describe(op)}`);
    }
    return op;
  }

  /** Field names that follow the current operand with no space: the `.B.C` of `$x.B.C`. */
  private chain(): string[] {
    const path: string[] = [];
    for (let t = this.peek(); t && !t.afterSpace && t.kind === "field"; t = this.peek()) {
      path.push(t.value as string);
      this.p++;
    }
    return path;
  }
}
