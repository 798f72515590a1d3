/**
 * Go's `fmt` formatting (`Sprintf`, `Sprint`, `Sprintln`) for the JSON-like values `--format`
 * templates see. JavaScript has one number type, so integral numbers format as Go `int` and
 * the others as `float64`; arrays are `[]interface {}` and objects `map[string]interface {}`.
 *
 * Supported verbs: `%v %+v %#v %T %t %s %q %d %b %o %O %x %X %c %U %e %E %f %F %g %G %%`, with
 * the flags `- + # 0 space`, a width and a precision (`*` for either takes an argument).
 * Mistakes print as Go does: `%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA int=1)`.
 * {@linkcode goString} is how an action prints its value (Go's `%v`, but `<no value>` for nil).
 *
 * @module
 */

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number;
  prec: number;
  verb: string;
}

const PLAIN_V: Spec = {
  minus: false,
  plus: false,
  sharp: false,
  space: false,
  zero: false,
  width: -1,
  prec: -1,
  verb: "v",
};

/** The Go type a JSON-like value stands for: `int`, `float64`, `string`, `[]interface {}`… */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float64";
  if (Array.isArray(v)) return "[]interface {}";
  if (typeof v === "object") return "map[string]interface {}";
  return typeof v;
}

/**
 * Go's `fmt.Sprintf`.
 *
 * @example
 * ```ts
 * sprintf("%s-%03d %q", ["web", 7, "a\tb"]); // 'web-007 "a\\tb"'
 * ```
 */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = "";
  let argi = 0;
  let i = 0;
  const intArg = (): number | undefined => {
    const a = args[argi++];
    return typeof a === "number" && Number.isInteger(a) ? a : undefined;
  };
  while (i < format.length) {
    const pct = format.indexOf("%", i);
    if (pct === -1) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const s: Spec = { ...PLAIN_V, verb: "" };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === "-") s.minus = true;
      else if (c === "+") s.plus = true;
      else if (c === "#") s.sharp = true;
      else if (c === " ") s.space = true;
      else if (c === "0") s.zero = true;
      else break;
    }
    if (format[i] === "*") {
      i++;
      const w = intArg();
      if (w === undefined) out += "%!(BADWIDTH)";
      else if (w < 0) [s.minus, s.width] = [true, -w];
      else s.width = w;
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) [s.width, i] = [Number(m[0]), i + m[0].length];
    }
    if (format[i] === ".") {
      i++;
      if (format[i] === "*") {
        i++;
        const p = intArg();
        if (p === undefined || p < 0) out += "%!(BADPREC)";
        else s.prec = p;
      } else {
        const m = /^\d*/.exec(format.slice(i))!;
        [s.prec, i] = [Number(m[0] || 0), i + m[0].length];
      }
    }
    if (s.minus) s.zero = false;
    if (i >= format.length) {
      out += "%!(NOVERB)";
      break;
    }
    s.verb = String.fromCodePoint(format.codePointAt(i)!);
    i += s.verb.length;
    if (s.verb === "%") out += "%";
    else if (argi >= args.length) out += `%!${s.verb}(MISSING)`;
    else out += formatArg(args[argi++], s);
  }
  if (argi < args.length) {
    const extra = args.slice(argi).map((a) =>
      a === null || a === undefined ? "<nil>" : `${typeName(a)}=${formatArg(a, PLAIN_V)}`
    );
    out += `%!(EXTRA ${extra.join(", ")})`;
  }
  return out;
}

/** Go's `fmt.Sprint`: `%v` of each operand, a space between two operands that are not strings. */
export function sprint(args: readonly unknown[]): string {
  let out = "";
  args.forEach((a, n) => {
    if (n > 0 && typeof a !== "string" && typeof args[n - 1] !== "string") out += " ";
    out += formatArg(a, PLAIN_V);
  });
  return out;
}

/** Go's `fmt.Sprintln`: `%v` of each operand, space-separated, then a newline. */
export function sprintln(args: readonly unknown[]): string {
  return args.map((a) => formatArg(a, PLAIN_V)).join(" ") + "\n";
}

/** Render a value the way Go's fmt `%v` does for JSON-like data. */
export function goString(v: unknown): string {
  if (v === null || v === undefined) return "<no value>";
  if (Array.isArray(v)) return `[${v.map(goString).join(" ")}]`;
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a < b ? -1 : 1);
    return `map[${entries.map(([k, x]) => `${k}:${goString(x)}`).join(" ")}]`;
  }
  if (typeof v === "number" && !Number.isInteger(v)) return formatFloat(v, "g", -1);
  return String(v);
}

function formatArg(v: unknown, s: Spec): string {
  const verb = s.verb;
  if (verb === "T") return pad(typeName(v), s);
  if (v === null || v === undefined) return verb === "v" ? pad("<nil>", s) : badVerb(v, verb);
  if (typeof v === "boolean") {
    return verb === "t" || verb === "v" ? pad(String(v), s) : badVerb(v, verb);
  }
  if (typeof v === "number") return formatNumber(v, s);
  if (typeof v === "string") return formatString(v, s);
  if (Array.isArray(v)) {
    if (s.sharp && verb === "v") {
      return `[]interface {}{${v.map((e) => formatArg(e, s)).join(", ")}}`;
    }
    return `[${v.map((e) => formatArg(e, s)).join(" ")}]`;
  }
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).sort();
    if (s.sharp && verb === "v") {
      const body = keys.map((k) => `${quote(k)}:${formatArg(o[k], s)}`).join(", ");
      return `map[string]interface {}{${body}}`;
    }
    return `map[${keys.map((k) => `${formatArg(k, s)}:${formatArg(o[k], s)}`).join(" ")}]`;
  }
  return pad(String(v), s);
}

function badVerb(v: unknown, verb: string): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatArg(v, PLAIN_V)})`;
}

/** Pad to the width (counted in characters) with spaces, on the left unless `-`. */
function pad(text: string, s: Spec): string {
  if (s.width < 0) return text;
  const n = s.width - [...text].length;
  if (n <= 0) return text;
  return s.minus ? text + " ".repeat(n) : " ".repeat(n) + text;
}

/** Sign, prefix and digits, zero-padded after the sign when the `0` flag asks for it. */
function padNumber(sign: string, digits: string, s: Spec): string {
  if (s.zero && s.width > 0) {
    digits = digits.padStart(s.width - sign.length, "0");
  }
  return pad(sign + digits, s);
}

function signOf(neg: boolean, s: Spec): string {
  return neg ? "-" : s.plus ? "+" : s.space ? " " : "";
}

function formatString(v: string, s: Spec): string {
  switch (s.verb) {
    case "v":
      if (s.sharp) return pad(quote(v), s);
      return pad(s.prec >= 0 ? [...v].slice(0, s.prec).join("") : v, s);
    case "s":
      return pad(s.prec >= 0 ? [...v].slice(0, s.prec).join("") : v, s);
    case "q":
      // deno-lint-ignore no-control-regex
      if (s.sharp && !v.includes("`") && !/[\x00-\x08\x0a-\x1f\x7f]/.test(v)) {
        return pad(`\`${v}\``, s);
      }
      return pad(quote(s.prec >= 0 ? [...v].slice(0, s.prec).join("") : v), s);
    case "x":
    case "X": {
      const hex = [...new TextEncoder().encode(v)].map((b) => b.toString(16).padStart(2, "0"));
      const text = hex.join(s.space ? " " : "");
      return pad(s.verb === "X" ? text.toUpperCase() : text, s);
    }
    default:
      return badVerb(v, s.verb);
  }
}

function formatNumber(n: number, s: Spec): string {
  const verb = s.verb;
  if ("eEfFgG".includes(verb) || (verb === "v" && !Number.isInteger(n))) {
    return formatFloatSpec(n, s);
  }
  if (!Number.isInteger(n)) return badVerb(n, verb);
  switch (verb) {
    case "v":
    case "d":
      return formatInt(n, 10, s);
    case "b":
      return formatInt(n, 2, s);
    case "o":
    case "O":
      return formatInt(n, 8, s);
    case "x":
    case "X":
      return formatInt(n, 16, s);
    case "c":
      return pad(runeString(n), s);
    case "q":
      return pad(quoteRune(n), s);
    case "U": {
      const u = `U+${n.toString(16).toUpperCase().padStart(4, "0")}`;
      return pad(s.sharp ? `${u} '${runeString(n)}'` : u, s);
    }
    default:
      return badVerb(n, verb);
  }
}

function formatInt(n: number, base: number, s: Spec): string {
  let digits = Math.abs(n).toString(base);
  if (s.verb === "X") digits = digits.toUpperCase();
  if (s.prec >= 0) digits = s.prec === 0 && n === 0 ? "" : digits.padStart(s.prec, "0");
  let prefix = "";
  if (s.verb === "O") prefix = "0o";
  else if (s.sharp) {
    if (base === 16) prefix = s.verb === "X" ? "0X" : "0x";
    else if (base === 2) prefix = "0b";
    else if (base === 8 && !digits.startsWith("0")) prefix = "0";
  }
  const sign = signOf(n < 0, s);
  if (s.zero && s.prec < 0 && s.width > 0) {
    digits = digits.padStart(s.width - sign.length - prefix.length, "0");
  }
  return pad(sign + prefix + digits, s);
}

function formatFloatSpec(n: number, s: Spec): string {
  const verb = s.verb === "v" ? "g" : s.verb;
  const lower = verb.toLowerCase() as "e" | "f" | "g";
  if (!Number.isFinite(n)) {
    const text = Number.isNaN(n) ? (s.plus ? "+NaN" : "NaN") : n > 0 ? "+Inf" : "-Inf";
    return pad(text, s);
  }
  const prec = s.prec < 0 && lower !== "g" ? 6 : s.prec;
  let body = formatFloat(Math.abs(n), lower, prec);
  if (verb === "E" || verb === "G") body = body.toUpperCase();
  return padNumber(signOf(n < 0 || Object.is(n, -0), s), body, s);
}

/**
 * Format a float as Go's `strconv.FormatFloat(x, fmt, prec, 64)` does; `prec` -1 is the
 * shortest representation for `e`/`g` and 6 for `f`.
 */
export function formatFloat(x: number, fmt: "e" | "f" | "g", prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  if (x < 0 || Object.is(x, -0)) return "-" + formatFloat(-x, fmt, prec);
  if (fmt === "f") return toFixedEven(x, prec < 0 ? 6 : prec);
  if (fmt === "e") {
    const [digits, exp] = decompose(prec < 0 ? x.toExponential() : x.toExponential(prec));
    return expForm(digits, exp, prec < 0 ? digits.length - 1 : prec);
  }
  const shortest = prec < 0;
  if (prec === 0) prec = 1;
  let [digits, exp] = decompose(shortest ? x.toExponential() : x.toExponential(prec - 1));
  digits = digits.replace(/(?<=.)0+$/, "");
  const nd = digits.length;
  const dp = exp + 1;
  if (shortest) prec = nd;
  let eprec = prec;
  if (eprec > nd && nd >= dp) eprec = nd;
  if (shortest) eprec = 6;
  if (exp < -4 || exp >= eprec) return expForm(digits, exp, Math.min(prec, nd) - 1);
  const frac = Math.max((prec > dp ? nd : prec) - dp, 0);
  const intPart = dp > 0 ? digits.slice(0, dp).padEnd(dp, "0") : "0";
  let fracPart = "";
  for (let k = 0; k < frac; k++) fracPart += digits[dp + k] ?? "0";
  return frac > 0 ? `${intPart}.${fracPart}` : intPart;
}

/** `"1.25e+3"` → `["125", 3]` */
function decompose(e: string): [string, number] {
  const [mant, exp] = e.split("e");
  return [mant.replace(".", ""), Number(exp)];
}

function expForm(digits: string, exp: number, fracDigits: number): string {
  const frac = digits.slice(1, 1 + fracDigits).padEnd(fracDigits, "0");
  const e = `${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return `${digits[0]}${fracDigits > 0 ? "." + frac : ""}e${e}`;
}

/** `toFixed`, but exact halves round to even as Go does (`%.1f` of 0.25 is `0.2`). */
function toFixedEven(x: number, prec: number): string {
  if (x >= 1e21) return BigInt(x).toString() + (prec > 0 ? "." + "0".repeat(prec) : "");
  const rounded = x.toFixed(Math.min(prec, 100));
  if (prec >= 100) return rounded;
  const more = x.toFixed(Math.min(prec + 30, 100));
  const cut = prec === 0 ? more.indexOf(".") : more.indexOf(".") + 1 + prec;
  if (!/^50*$/.test(more.slice(cut).replace(".", ""))) return rounded;
  const down = more.slice(0, cut);
  const last = down.replace(".", "").at(-1) ?? "0";
  return Number(last) % 2 === 0 ? down : rounded;
}

function runeString(n: number): string {
  return n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff)
    ? String.fromCodePoint(n)
    : "\ufffd";
}

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

function escapeRune(ch: string, q: string): string {
  switch (ch) {
    case "\x07":
      return "\\a";
    case "\b":
      return "\\b";
    case "\f":
      return "\\f";
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\t":
      return "\\t";
    case "\v":
      return "\\v";
    case "\\":
      return "\\\\";
    case q:
      return "\\" + q;
  }
  if (PRINTABLE.test(ch)) return ch;
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp >= 0xd800 && cp <= 0xdfff) return "\\ufffd";
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\U${cp.toString(16).padStart(8, "0")}`;
}

/** Go's `strconv.Quote`: a double-quoted string with Go escapes. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch, '"');
  return out + '"';
}

function quoteRune(n: number): string {
  return `'${escapeRune(runeString(n), "'")}'`;
}
