/**
 * A small subset of Go's text/template, enough for the `--format` strings CI scripts use
 * with podman and docker: `{{.State.Status}}`, `{{.ID}} {{.Names}}`, `{{json .Config}}`,
 * `{{.Names | upper}}`, literal text, and `\t`/`\n` escapes. Field names match exactly, then
 * case-insensitively (so `.ID` finds `Id`).
 *
 * @module
 */
import { UsageError } from "../errors.ts";

/** A compiled template: call it with a value to render. */
export type Template = (data: unknown) => string;

const FUNCS: Record<string, (v: unknown) => unknown> = {
  json: (v) => JSON.stringify(v ?? null),
  upper: (v) => goString(v).toUpperCase(),
  lower: (v) => goString(v).toLowerCase(),
  title: (v) => goString(v).replace(/\b\w/g, (c) => c.toUpperCase()),
  len: (v) =>
    Array.isArray(v) ? v.length : typeof v === "string" ? v.length : Object.keys(v ?? {}).length,
};

/**
 * Compile `source`.
 *
 * @throws {UsageError} on an unsupported or malformed action
 * @example
 * ```ts
 * compileTemplate("{{.State.Status}}")({ State: { Status: "exited" } }); // "exited"
 * ```
 */
export function compileTemplate(source: string): Template {
  const text = source.replaceAll("\\t", "\t").replaceAll("\\n", "\n");
  const parts: (string | ((d: unknown) => string))[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf("{{", pos);
    if (open === -1) {
      parts.push(text.slice(pos));
      break;
    }
    parts.push(text.slice(pos, open));
    const close = text.indexOf("}}", open);
    if (close === -1) throw new UsageError(`template: unclosed action in "${source}"`);
    parts.push(compileAction(text.slice(open + 2, close).replace(/^-|-$/g, "").trim()));
    pos = close + 2;
  }
  return (data) => parts.map((p) => typeof p === "string" ? p : p(data)).join("");
}

function compileAction(action: string): (d: unknown) => string {
  const stages = action.split("|").map((s) => s.trim()).filter(Boolean);
  if (stages.length === 0) throw new UsageError("template: empty action");
  const steps = stages.map((stage, i) => {
    const words = stage.split(/\s+/);
    if (words.length === 1 && words[0].startsWith(".")) {
      if (i > 0) throw new UsageError(`template: cannot pipe into field ${words[0]}`);
      return (_: unknown, d: unknown) => lookup(d, words[0]);
    }
    const fn = FUNCS[words[0]];
    if (!fn) throw new UsageError(`template: function "${words[0]}" not defined`);
    if (words.length === 2 && words[1].startsWith(".")) {
      return (_: unknown, d: unknown) => fn(lookup(d, words[1]));
    }
    if (words.length === 1 && i > 0) return (v: unknown) => fn(v);
    throw new UsageError(`template: cannot parse "${stage}"`);
  });
  return (d) => goString(steps.reduce((v, step) => step(v, d), undefined as unknown));
}

/** Follow a `.A.B.C` path through `data`. */
export function lookup(data: unknown, path: string): unknown {
  if (path === ".") return data;
  let v: unknown = data;
  for (const name of path.slice(1).split(".")) {
    if (v === null || typeof v !== "object") {
      throw new UsageError(`template: can't evaluate field ${name}`);
    }
    const obj = v as Record<string, unknown>;
    if (name in obj) v = obj[name];
    else {
      const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
      if (key === undefined) throw new UsageError(`template: can't evaluate field ${name}`);
      v = obj[key];
    }
  }
  return v;
}

/** Render a value the way Go's fmt `%v` does for JSON-like data. */
export function goString(v: unknown): string {
  if (v === null || v === undefined) return "<no value>";
  if (Array.isArray(v)) return `[${v.map(goString).join(" ")}]`;
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a < b ? -1 : 1);
    return `map[${entries.map(([k, x]) => `${k}:${goString(x)}`).join(" ")}]`;
  }
  return String(v);
}

/**
 * Header cells for a `table …` format: each `{{.Field}}` becomes its upper-cased name
 * (podman's `CONTAINER ID` for `.ID`).
 */
export function tableHeader(source: string): string {
  const names: Record<string, string> = {
    ID: "CONTAINER ID",
    Names: "NAMES",
    CreatedHuman: "CREATED",
  };
  return source.replaceAll("\\t", "\t").replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, action: string) => {
    const field = action.split(/\s+/).find((w: string) => w.startsWith("."))?.slice(1) ?? action;
    const last = field.split(".").at(-1) ?? field;
    return names[last] ?? last.replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase();
  });
}
