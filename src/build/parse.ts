/**
 * Containerfile syntax (pure): parser directives, comments, line continuations, and each
 * instruction split into its keyword, its `--flag=value`s and its arguments, in JSON (exec)
 * form or shell form, with the line it starts on. Nothing is expanded here (see expand.ts).
 *
 * @module
 */
import { BuildError } from "../errors.ts";

/** The instructions berth knows; anything else is an error at its line. */
export const INSTRUCTIONS = new Set([
  "FROM",
  "RUN",
  "COPY",
  "ADD",
  "ENV",
  "ARG",
  "WORKDIR",
  "USER",
  "ENTRYPOINT",
  "CMD",
  "LABEL",
  "EXPOSE",
  "VOLUME",
  "SHELL",
  "STOPSIGNAL",
  "HEALTHCHECK",
  "ONBUILD",
  "MAINTAINER",
]);

/** Instructions whose leading `--name[=value]` words are flags, and the flags berth carries out. */
const FLAGS: Record<string, Set<string>> = {
  FROM: new Set(["platform"]),
  RUN: new Set(),
  COPY: new Set(["from", "chown", "chmod", "link"]),
  ADD: new Set(["chown", "chmod", "link"]),
  HEALTHCHECK: new Set(["interval", "timeout", "start-period", "start-interval", "retries"]),
};
const TAKES_FLAGS = new Set(Object.keys(FLAGS));

/** One instruction as written. */
export interface Instruction {
  /** The keyword, upper case. */
  keyword: string;
  /** `--name=value` flags before the arguments (a bare `--name` is `"true"`). */
  flags: Record<string, string>;
  /** The arguments after the flags, continuations joined, trimmed. */
  args: string;
  /** The arguments as a JSON array of strings, when written so (exec form). */
  json?: string[];
  /** The 1-based line the instruction starts on. */
  line: number;
  /** The whole instruction as one line (continuations joined), for messages and history. */
  text: string;
}

/** A parsed Containerfile. */
export interface Containerfile {
  instructions: Instruction[];
  /** The escape character (`\` or `` ` ``, from `# escape=`). */
  escape: string;
}

/** The parser directives at the top of the file (`# escape=…`, `# syntax=…`). */
function directives(lines: string[]): { escape: string; skip: number } {
  let escape = "\\";
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/.exec(lines[i]);
    if (!m) break;
    const name = m[1].toLowerCase();
    if (name === "escape") {
      if (m[2] !== "\\" && m[2] !== "`") {
        throw new BuildError(`line ${i + 1}: invalid escape token "${m[2]}": use \\ or \``);
      }
      escape = m[2];
    } else if (name !== "syntax" && name !== "check") break; // an ordinary comment
  }
  return { escape, skip: i };
}

/** The JSON form of `args`, or undefined when it is not a JSON array of strings. */
export function parseJsonForm(args: string): string[] | undefined {
  if (!args.startsWith("[")) return undefined;
  try {
    const v = JSON.parse(args);
    if (Array.isArray(v) && v.every((s) => typeof s === "string")) return v;
  } catch { /* shell form */ }
  return undefined;
}

/** Split leading `--flag[=value]` words off `rest`. */
function splitFlags(rest: string, line: number, keyword: string) {
  const flags: Record<string, string> = {};
  let s = rest;
  for (;;) {
    const m = /^--([a-zA-Z][a-zA-Z0-9-]*)(?:=(\S*))?(?:\s+|$)/.exec(s);
    if (!m) break;
    if (!FLAGS[keyword].has(m[1])) {
      // RUN --mount/--network/--security are BuildKit's; refused rather than ignored, since a
      // step run without its mount would build something else.
      throw new BuildError(`line ${line}: ${keyword} --${m[1]} is not supported by berth`);
    }
    if (m[2] === undefined && m[1] !== "link") {
      throw new BuildError(`line ${line}: ${keyword} flag --${m[1]} needs a value`);
    }
    flags[m[1]] = m[2] ?? "true";
    s = s.slice(m[0].length);
  }
  return { flags, args: s.trim() };
}

/**
 * Parse a Containerfile's text.
 *
 * @throws {BuildError} on an unknown instruction or malformed line, naming the line
 *
 * @example
 * ```ts
 * parseContainerfile("FROM busybox\nRUN echo \\\n  hi\n").instructions[1].args; // "echo   hi"
 * ```
 */
export function parseContainerfile(text: string): Containerfile {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const { escape, skip } = directives(lines);
  const instructions: Instruction[] = [];
  let i = skip;
  while (i < lines.length) {
    const first = lines[i];
    const start = i + 1;
    i++;
    if (/^\s*$/.test(first) || /^\s*#/.test(first)) continue;
    let joined = first.replace(/^\s+/, "");
    // A line ending in the escape character continues on the next; comments and empty
    // lines inside a continuation are dropped, as Docker does.
    while (endsWithEscape(joined, escape)) {
      joined = joined.replace(/\s*$/, "").slice(0, -1);
      let next: string | undefined;
      while (i < lines.length) {
        const l = lines[i++];
        if (/^\s*#/.test(l) || /^\s*$/.test(l)) continue;
        next = l;
        break;
      }
      if (next === undefined) break;
      joined += next;
    }
    const m = /^(\S+)\s*(.*)$/s.exec(joined)!;
    const keyword = m[1].toUpperCase();
    if (!INSTRUCTIONS.has(keyword)) {
      throw new BuildError(`line ${start}: unknown instruction: ${m[1]}`);
    }
    const rest = m[2].trim();
    const { flags, args } = TAKES_FLAGS.has(keyword)
      ? splitFlags(rest, start, keyword)
      : { flags: {}, args: rest };
    const json = parseJsonForm(args);
    instructions.push({
      keyword,
      flags,
      args,
      ...(json ? { json } : {}),
      line: start,
      text: `${keyword} ${rest}`.trim(),
    });
  }
  return { instructions, escape };
}

function endsWithEscape(s: string, escape: string): boolean {
  const t = s.replace(/\s*$/, "");
  if (!t.endsWith(escape)) return false;
  // An escaped escape character (`\\`) at the end is a literal one, not a continuation.
  let n = 0;
  for (let k = t.length - 1; k >= 0 && t[k] === escape; k--) n++;
  return n % 2 === 1;
}
