/**
 * The template engine's entry point: a faithful subset of Go's text/template, for the
 * `--format` strings CI scripts use with podman and docker.
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
 * Every mistake is a `UsageError` (exit 125) starting with `template:`, found when compiling
 * where possible.
 *
 * The engine is split as Go's is: `lex.ts` (source to tokens), `parse.ts` (tokens to a checked
 * tree), `funcs.ts` (the functions a template calls), `exec.ts` (tree and data to text) and
 * `fmt.ts` (values to text).
 *
 * @module
 */
import { execute } from "./exec.ts";
import { FUNCS } from "./funcs.ts";
import { KEYWORDS } from "./lex.ts";
import { parse } from "./parse.ts";

export { goString } from "./fmt.ts";

/** A compiled template: call it with a value to render. */
export type Template = (data: unknown) => string;

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
  const tree = parse(source, FUNCS);
  return (data) => execute(tree, data);
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
