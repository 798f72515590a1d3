/**
 * The template executor: walks a parsed tree over a value and returns the text it renders.
 *
 * The tree has been checked already, so what can fail here depends on the data: a field that
 * is not there, a value a function cannot take, a range over something not iterable.
 *
 * @module
 */
import { UsageError } from "../../errors.ts";
import { goString, typeName } from "./fmt.ts";
import { FUNCS, truth } from "./funcs.ts";
import type { ArgNode, CommandNode, ListNode, Node, PipeNode } from "./parse.ts";

/** Render-time state: the output so far and the variable stack (`$` at the bottom). */
interface State {
  out: string;
  names: string[];
  values: unknown[];
}

/** What a node returns to unwind to its enclosing range: nothing, `{{break}}`, `{{continue}}`. */
const NEXT = 0;
const BREAK = 1;
const CONTINUE = 2;

/**
 * Render `tree` with `data` as both `.` and `$`.
 *
 * @throws {UsageError} on a value the template cannot render
 * @example
 * ```ts
 * execute(parse("{{.A}}", FUNCS), { A: 1 }); // "1"
 * ```
 */
export function execute(tree: ListNode, data: unknown): string {
  const s: State = { out: "", names: ["$"], values: [data] };
  walkList(s, tree, data);
  return s.out;
}

function fail(message: string): never {
  throw new UsageError(`template: ${message}`);
}

function walkList(s: State, list: ListNode, dot: unknown): number {
  for (const node of list.nodes) {
    const r = walk(s, node, dot);
    if (r !== NEXT) return r;
  }
  return NEXT;
}

function walk(s: State, node: Node, dot: unknown): number {
  switch (node.type) {
    case "text":
      s.out += node.text;
      return NEXT;
    case "action": {
      const v = evalPipe(s, node.pipe, dot);
      if (node.pipe.decl.length) bind(s, node.pipe, v);
      else s.out += goString(v);
      return NEXT;
    }
    case "if":
    case "with": {
      const mark = s.names.length;
      const v = evalPipe(s, node.pipe, dot);
      bind(s, node.pipe, v);
      const r = truth(v)
        ? walkList(s, node.list, node.type === "with" ? v : dot)
        : node.elseList
        ? walkList(s, node.elseList, dot)
        : NEXT;
      popTo(s, mark);
      return r;
    }
    case "range":
      return walkRange(s, node.pipe, node.list, node.elseList, dot);
    case "break":
      return BREAK;
    case "continue":
      return CONTINUE;
  }
}

function walkRange(
  s: State,
  pipe: PipeNode,
  body: ListNode,
  elseList: ListNode | undefined,
  dot: unknown,
): number {
  const [first, second] = pipe.decl;
  const mark = s.names.length;
  const v = evalPipe(s, pipe, dot);
  bind(s, pipe, v);
  // The declared variables sit just below `inner`; each element overwrites them in place
  // rather than pushing a new pair.
  const inner = s.names.length;
  const one = (key: unknown, elem: unknown): number => {
    if (pipe.isAssign) {
      if (second !== undefined) [setVar(s, first, key), setVar(s, second, elem)];
      else if (first !== undefined) setVar(s, first, elem);
    } else if (second !== undefined) [s.values[inner - 2], s.values[inner - 1]] = [key, elem];
    else if (first !== undefined) s.values[inner - 1] = elem;
    const r = walkList(s, body, elem);
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
    // Go ranges over a map in sorted key order, so output does not depend on insertion order.
    const map = v as Record<string, unknown>;
    const keys = Object.keys(map).sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
    for (const k of keys) {
      n++;
      if (one(k, map[k]) === BREAK) break;
    }
  } else if (v !== null && v !== undefined) fail(`range can't iterate over ${goString(v)}`);
  let r = NEXT;
  if (n === 0 && elseList) {
    popTo(s, inner);
    r = walkList(s, elseList, dot);
  }
  popTo(s, mark);
  return r;
}

function evalPipe(s: State, pipe: PipeNode, dot: unknown): unknown {
  let v: unknown = undefined;
  for (let i = 0; i < pipe.cmds.length; i++) v = evalCommand(s, pipe.cmds[i], dot, i > 0, v);
  return v;
}

/** One stage; `final` is the previous stage's value, passed last when `piped`. */
function evalCommand(
  s: State,
  cmd: CommandNode,
  dot: unknown,
  piped: boolean,
  final: unknown,
): unknown {
  const head = cmd.args[0];
  if (head.type !== "identifier") return evalArg(s, head, dot);
  return call(s, head.name, cmd.args.slice(1), dot, piped, final);
}

function call(
  s: State,
  name: string,
  args: ArgNode[],
  dot: unknown,
  piped: boolean,
  final: unknown,
): unknown {
  if (name === "and" || name === "or") {
    // Evaluated one at a time so `{{or .A (index .B 9)}}` never evaluates the index when .A
    // is true, as in Go.
    const stopAt = name === "or";
    let v: unknown = undefined;
    for (const a of args) {
      v = evalArg(s, a, dot);
      if (truth(v) === stopAt) return v;
    }
    return piped ? final : v;
  }
  if (!Object.hasOwn(FUNCS, name)) fail(`function "${name}" not defined`);
  const values = args.map((a) => evalArg(s, a, dot));
  if (piped) values.push(final);
  try {
    return FUNCS[name].fn(...values);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    return fail(`error calling ${name}: ${(err as Error).message}`);
  }
}

function evalArg(s: State, arg: ArgNode, dot: unknown): unknown {
  switch (arg.type) {
    case "field":
      return walkFields(dot, arg.ident);
    case "variable":
      return walkFields(getVar(s, arg.name), arg.ident);
    case "dot":
      return dot;
    case "nil":
      return undefined;
    case "literal":
      return arg.value;
    case "identifier":
      return call(s, arg.name, [], dot, false, undefined);
    case "pipe": {
      const v = evalPipe(s, arg, dot);
      if (arg.decl.length) bind(s, arg, v);
      return v;
    }
    case "chain":
      return walkFields(evalArg(s, arg.node, dot), arg.field);
  }
}

/** One field of a map-like value: exact name first, then case-insensitively. */
function field(v: unknown, name: string): unknown {
  if (v === null || v === undefined) fail(`nil pointer evaluating field ${name}`);
  if (typeof v !== "object" || Array.isArray(v)) {
    fail(`can't evaluate field ${name} in type ${typeName(v)}`);
  }
  const obj = v as Record<string, unknown>;
  // hasOwn, so `.constructor` is a missing field and not Object's constructor.
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  if (key === undefined) fail(`can't evaluate field ${name}`);
  return obj[key];
}

function walkFields(v: unknown, path: string[]): unknown {
  for (let i = 0; i < path.length; i++) v = field(v, path[i]);
  return v;
}

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

/** Push (or assign) a pipeline's declared variables. */
function bind(s: State, pipe: PipeNode, value: unknown): void {
  for (const name of pipe.decl) {
    if (pipe.isAssign) setVar(s, name, value);
    else {
      s.names.push(name);
      s.values.push(value);
    }
  }
}

/** Drop the variables declared since `mark`: they go out of scope with their `{{end}}`. */
function popTo(s: State, mark: number): void {
  s.names.length = mark;
  s.values.length = mark;
}
