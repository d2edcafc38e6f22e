// Finds the validations in the library's sources by reading their text (no TypeScript compiler
// API): every `.rule(` / `.check(` / `.fail(` call, every `problemMessage(` call, every call of a
// local helper declared as `function NAME(v: Validator, field: string, ...)` (checkCidr,
// checkFilePermission, checkHvnCidr, ...), the problems config.ts pushes itself, and the ids of
// the security rules. Each becomes a "site": the source file and line, and patterns for the field
// and (when the rule text is written in the call) the rule. test/bad-input.test.ts asserts that
// every site is hit by at least one case of the battery.
import fs from "node:fs";
import path from "node:path";
import { Rules } from "../../core/validation";

export interface ValidationSite {
  /** Repository-relative file, e.g. `constructs/azure/aks-cluster.ts`. */
  readonly file: string;
  readonly line: number;
  /** The call, e.g. `.rule`, `checkCidr`, `problems.push`, `rule id`. */
  readonly call: string;
  /**
   * The construct class the call is in (`class X extends Construct|TerraformStack`): its problems
   * carry the path of an instance of that class. Undefined for free functions and other classes.
   */
  readonly constructClass?: string;
  /** The field argument as written. */
  readonly fieldSource: string;
  /** Matches the field a problem of this site carries. */
  readonly field: RegExp;
  /** The rule argument as written, when there is one. */
  readonly ruleSource?: string;
  /** Matches the start of the rule a problem of this site carries (reporters may append to it); undefined when it cannot be read from the source. */
  readonly rule?: RegExp;
}

/** The folders of library sources (tests, benchmarks and scripts are not the library). */
export const SOURCE_DIRS = ["core", "constructs", "verify", "stacks", "app"] as const;

/** Files scanned: every library source under {@link SOURCE_DIRS}, at any depth, but the index (barrel) files. */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const visit = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const f = `${rel}/${e.name}`;
      if (e.isDirectory()) visit(f);
      else if (e.name.endsWith(".ts") && e.name !== "index.ts" && !e.name.endsWith(".d.ts")) out.push(f);
    }
  };
  for (const dir of SOURCE_DIRS) if (fs.existsSync(path.join(root, dir))) visit(dir);
  return out.sort();
}

// ---------------------------------------------------------------------------
// A minimal lexer: enough to skip strings, template literals, regex literals and comments.

const REGEX_PRECEDERS = new Set([..."(,=:[!&|?{};+-*%<>~^"]);

/** True when a `/` at `i` starts a regex literal rather than a division. */
function slashStartsRegex(src: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && /\s/.test(src[j])) j--;
  if (j < 0) return true;
  if (REGEX_PRECEDERS.has(src[j])) return true;
  const word = /(\w+)$/.exec(src.slice(Math.max(0, j - 10), j + 1))?.[1];
  return word === "return" || word === "typeof" || word === "case" || word === "in" || word === "of";
}

/** If a string, template, regex or comment starts at `i`, the index just after it; else -1. */
function skipLiteral(src: string, i: number): number {
  const c = src[i];
  if (c === "/" && src[i + 1] === "/") {
    const e = src.indexOf("\n", i);
    return e < 0 ? src.length : e;
  }
  if (c === "/" && src[i + 1] === "*") {
    const e = src.indexOf("*/", i + 2);
    return e < 0 ? src.length : e + 2;
  }
  if (c === '"' || c === "'") {
    let j = i + 1;
    while (j < src.length && src[j] !== c) j += src[j] === "\\" ? 2 : 1;
    return j + 1;
  }
  if (c === "`") return skipTemplate(src, i);
  if (c === "/" && slashStartsRegex(src, i)) {
    let j = i + 1;
    let inClass = false;
    while (j < src.length && src[j] !== "\n") {
      if (src[j] === "\\") j += 2;
      else if (src[j] === "[") (inClass = true), j++;
      else if (src[j] === "]") (inClass = false), j++;
      else if (src[j] === "/" && !inClass) break;
      else j++;
    }
    j++;
    while (/[a-z]/.test(src[j] ?? "")) j++;
    return j;
  }
  return -1;
}

function skipTemplate(src: string, i: number): number {
  let j = i + 1;
  while (j < src.length && src[j] !== "`") {
    if (src[j] === "\\") j += 2;
    else if (src[j] === "$" && src[j + 1] === "{") j = skipBalanced(src, j + 1);
    else j++;
  }
  return j + 1;
}

/** From an opening bracket at `i`, the index after its matching closing bracket. */
function skipBalanced(src: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < src.length) {
    const s = skipLiteral(src, j);
    if (s >= 0) {
      j = s;
      continue;
    }
    const c = src[j];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  return j;
}

/** The source with comments blanked and literal contents blanked (same length, same lines). */
function mask(src: string): string {
  const out = src.split("");
  let j = 0;
  while (j < src.length) {
    const s = skipLiteral(src, j);
    if (s < 0) {
      j++;
      continue;
    }
    for (let k = j + 1; k < s - 1 && k < src.length; k++) if (out[k] !== "\n") out[k] = " ";
    if (src[j] === "/" && (src[j + 1] === "/" || src[j + 1] === "*")) out[j] = " ";
    j = s;
  }
  return out.join("");
}

/** Splits the top-level comma-separated items between the bracket at `open` and its match. */
function splitArgs(src: string, open: number): string[] {
  const end = skipBalanced(src, open) - 1;
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  let j = open + 1;
  while (j < end) {
    const s = skipLiteral(src, j);
    if (s >= 0) {
      j = s;
      continue;
    }
    const c = src[j];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      args.push(src.slice(start, j).trim());
      start = j + 1;
    }
    j++;
  }
  const last = src.slice(start, end).trim();
  if (last) args.push(last);
  return args;
}

/** Splits `cond ? a : b` at the top level into its alternatives (recursively); else `[expr]`. */
function alternatives(expr: string): string[] {
  let depth = 0;
  let q = -1;
  let colon = -1;
  let nested = 0;
  for (let j = 0; j < expr.length; j++) {
    const s = skipLiteral(expr, j);
    if (s >= 0) {
      j = s - 1;
      continue;
    }
    const c = expr[j];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (depth === 0 && c === "?" && expr[j + 1] !== "." && expr[j + 1] !== "?" && expr[j - 1] !== "?") {
      if (q < 0) q = j;
      else nested++;
    } else if (depth === 0 && c === ":" && q >= 0) {
      if (nested > 0) nested--;
      else {
        colon = j;
        break;
      }
    }
  }
  if (q < 0 || colon < 0) return [expr];
  return [...alternatives(expr.slice(q + 1, colon).trim()), ...alternatives(expr.slice(colon + 1).trim())];
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function unescapeJs(s: string): string {
  return s.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e[0] === "u") return String.fromCodePoint(parseInt(e.replace(/[u{}]/g, ""), 16));
    if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: "\n", t: "\t", r: "\r" } as Record<string, string>)[e] ?? e;
  });
}

/**
 * A regex source for a string-valued expression: literals exactly, templates with their
 * interpolations as wildcards (a `${x}` whose `x` is a local `const x = \`...\`` is expanded),
 * identifiers bound to a string or template constant resolved; `undefined` when unknown.
 */
function patternOf(expr: string, consts: Consts, seen = new Set<string>()): string | undefined {
  const e = expr.trim();
  const parts = splitTopLevel(e, "+");
  if (parts.length > 1) {
    const ps = parts.map((p) => {
      const alts = alternatives(stripParens(p)).map((a) => patternOf(a, consts, seen));
      return alts.some((a) => a === undefined) ? undefined : alts.length === 1 ? alts[0] : `(?:${alts.join("|")})`;
    });
    return ps.some((x) => x === undefined) ? undefined : ps.join("");
  }
  if (/^"(?:[^"\\]|\\.)*"$/.test(e) || /^'(?:[^'\\]|\\.)*'$/.test(e)) return esc(unescapeJs(e.slice(1, -1)));
  if (e.startsWith("`") && skipTemplate(e, 0) === e.length) {
    let out = "";
    let j = 1;
    let lit = "";
    while (j < e.length - 1) {
      if (e[j] === "\\") {
        lit += e.slice(j, j + 2);
        j += 2;
      } else if (e[j] === "$" && e[j + 1] === "{") {
        const end = skipBalanced(e, j + 1);
        const inner = e.slice(j + 2, end - 1).trim();
        out += esc(unescapeJs(lit));
        lit = "";
        const def = /^\w+$/.test(inner) && !seen.has(inner) ? consts(inner) : undefined;
        const sub = def !== undefined ? patternOf(def, consts, new Set([...seen, inner])) : undefined;
        out += sub !== undefined ? `(?:${sub})` : "[\\s\\S]*?";
        j = end;
      } else lit += e[j++];
    }
    return out + esc(unescapeJs(lit));
  }
  const def = /^\w+$/.test(e) && !seen.has(e) ? consts(e) : undefined;
  if (def !== undefined) return patternOf(def, consts, new Set([...seen, e]));
  return undefined;
}

/** Resolves a local constant's initializer text (the nearest definition before the use). */
type Consts = (name: string) => string | undefined;

function stripParens(e: string): string {
  const t = e.trim();
  return t.startsWith("(") && skipBalanced(t, 0) === t.length ? t.slice(1, -1).trim() : t;
}

/** Splits an expression at top-level occurrences of a one-character operator. */
function splitTopLevel(e: string, op: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let j = 0; j < e.length; j++) {
    const s = skipLiteral(e, j);
    if (s >= 0) {
      j = s - 1;
      continue;
    }
    const c = e[j];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (depth === 0 && c === op && e[j + 1] !== "=" && e[j - 1] !== op && e[j + 1] !== op) {
      out.push(e.slice(start, j).trim());
      start = j + 1;
    }
  }
  out.push(e.slice(start).trim());
  return out;
}

/** `const NAME = "..."` / `` const NAME = `...` `` definitions of a file, in order. */
function stringConsts(src: string): { name: string; index: number; text: string }[] {
  const out: { name: string; index: number; text: string }[] = [];
  for (const m of src.matchAll(/\bconst\s+(\w+)(?:\s*:\s*string)?\s*=\s*(?=["'`])/g)) {
    const start = m.index! + m[0].length;
    const end = skipLiteral(src, start);
    if (end > start) out.push({ name: m[1], index: m.index!, text: src.slice(start, end) });
  }
  return out;
}

/** Where the block holding `index` ends (the source's length at module level). */
function blockEnd(masked: string, index: number): number {
  let depth = 0;
  for (let j = index - 1; j >= 0; j--) {
    const c = masked[j];
    if (c === "}" || c === ")" || c === "]") depth++;
    else if (c === "{" || c === "(" || c === "[") {
      if (depth === 0) return c === "{" ? skipBalanced(masked, j) : blockEnd(masked, j);
      depth--;
    }
  }
  return masked.length;
}

/**
 * The constants visible at `index`: the nearest definition before it whose block encloses it,
 * else a module-level one defined after it. A parameter of the same name hides neither (rare).
 */
function constsAt(defs: { name: string; index: number; text: string }[], masked: string, index: number): Consts {
  return (name) => {
    const named = defs.filter((d) => d.name === name);
    const visible = named.filter((d) => d.index < index && blockEnd(masked, d.index) > index);
    return (visible[visible.length - 1] ?? named.find((d) => d.index > index && blockEnd(masked, d.index) === masked.length))?.text;
  };
}

/** `const NAME: StringRule = { description: "..." ...}` and exported ones: the description literal. */
function ruleObjectDescriptions(src: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of src.matchAll(/\bconst\s+(\w+)(?:\s*:\s*StringRule)?\s*=\s*\{/g)) {
    const open = m.index! + m[0].length - 1;
    const body = src.slice(open, skipBalanced(src, open));
    const d = descriptionOf(body);
    if (d) out.set(m[1], d);
  }
  return out;
}

function descriptionOf(objectText: string): string | undefined {
  const m = /description\s*:\s*(?=["'`])/.exec(objectText);
  if (!m) return undefined;
  const start = m.index + m[0].length;
  return objectText.slice(start, skipLiteral(objectText, start));
}

/** The rule pattern of a `.rule(field, value, RULE)` third argument. */
function stringRulePattern(expr: string, ruleObjects: Map<string, string>, consts: Consts): string | undefined {
  const e = expr.trim();
  const named = /^Rules\.(\w+)$/.exec(e);
  if (named) {
    const r = (Rules as Record<string, { description: string }>)[named[1]];
    return r ? esc(r.description) : undefined;
  }
  if (ruleObjects.has(e)) return patternOf(ruleObjects.get(e)!, consts);
  if (e.startsWith("{")) {
    const d = descriptionOf(e);
    return d ? patternOf(d, consts) : undefined;
  }
  return undefined;
}

function lineOf(src: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index; i++) if (src[i] === "\n") n++;
  return n;
}

/** Every validation site of the library. */
export function validationSites(root: string): ValidationSite[] {
  // Functions and methods that report problems, found by their parameters: `field: string` and
  // `rule: string` (Validator.fail/check, problemMessage, a file's own reporters), or a
  // `v: Validator` with a `field: string` (helpers such as checkCidr: their bodies hold the rules).
  const reporters = new Map<string, { field: number; rule: number }>();
  const helpers = new Set<string>();
  const texts = new Map<string, string>();
  for (const file of [...sourceFiles(root)]) {
    const src = fs.readFileSync(path.join(root, file), "utf8");
    texts.set(file, src);
    const masked = mask(src);
    for (const m of masked.matchAll(/(\bfunction\s+)?\b(\w+)\s*\(/g)) {
      const params = splitArgs(src, m.index! + m[0].length - 1).map((p) => p.replace(/\s+/g, " "));
      const field = params.findIndex((p) => /^field\??: string$/.test(p));
      if (field < 0) continue;
      const rule = params.findIndex((p) => /^rule\??: string$/.test(p));
      // A `function` is called bare (`problemMessage(`), a method with a dot (`v.fail(`, `this.broken(`).
      const key = `${m[1] ? "" : "."}${m[2]}`;
      if (rule >= 0 && !reporters.has(key)) reporters.set(key, { field, rule });
      else if (rule < 0 && params.some((p) => /^v: Validator$/.test(p))) helpers.add(m[2]);
    }
  }
  // Local rule objects exported by one file and used in another (hcpSlug, vaultMountPath, secretDataKeyRule).
  const allRuleObjects = new Map<string, string>();
  for (const src of texts.values()) for (const [k, d] of ruleObjectDescriptions(src)) if (!allRuleObjects.has(k)) allRuleObjects.set(k, d);

  const sites: ValidationSite[] = [];
  for (const [file, src] of texts) {
    const masked = mask(src);
    const defs = stringConsts(src);
    const ruleObjects = new Map([...allRuleObjects, ...ruleObjectDescriptions(src)]);
    // Construct classes (`class X extends Construct|TerraformStack`): their validations report on their own path.
    const classes: { name: string; start: number; end: number }[] = [];
    for (const m of masked.matchAll(/\bclass\s+(\w+)\s+extends\s+(Construct|TerraformStack)\b[^{]*\{/g)) {
      const open = m.index! + m[0].length - 1;
      classes.push({ name: m[1], start: open, end: skipBalanced(masked, open) });
    }
    const classAt = (index: number) => classes.find((c) => c.start < index && index < c.end)?.name;
    const add = (index: number, call: string, fieldSource: string | undefined, ruleSource: string | undefined, ruleKind: "string" | "rule-object" | "none") => {
      const consts = constsAt(defs, masked, index);
      const fieldAlts = fieldSource === undefined ? [undefined] : alternatives(fieldSource);
      const ruleAlts = ruleSource === undefined ? [undefined] : alternatives(ruleSource);
      for (const f of fieldAlts) {
        for (const r of ruleAlts) {
          let fieldPattern = f === undefined ? undefined : patternOf(f, consts);
          if (fieldPattern !== undefined && helpers.has(call)) fieldPattern += "(?:\\[\\d+\\])?";
          const rulePattern = r === undefined || ruleKind === "none" ? undefined : ruleKind === "rule-object" ? stringRulePattern(r, ruleObjects, consts) : patternOf(r, consts);
          sites.push({
            file,
            line: lineOf(src, index),
            call,
            constructClass: classAt(index),
            fieldSource: f ?? "(any)",
            field: new RegExp(`^${fieldPattern ?? "[\\s\\S]*"}$`),
            ruleSource: r,
            rule: rulePattern === undefined ? undefined : new RegExp(`^${rulePattern}`),
          });
        }
      }
    };

    for (const m of masked.matchAll(/(\.)?\b(\w+)\s*\(/g)) {
      const name = m[2];
      const isRule = m[1] === "." && name === "rule";
      const isLocalFail = !m[1] && name === "fail";
      const r = reporters.get(`${m[1] ?? ""}${name}`);
      if (!isRule && !isLocalFail && !r && !helpers.has(name)) continue;
      const before = masked.slice(Math.max(0, m.index! - 12), m.index!);
      if (/function\s*$/.test(before)) continue; // a definition, not a call
      const args = splitArgs(src, m.index! + m[0].length - 1);
      if (args.some((a) => /^\w+\??\s*:\s*\S/.test(a) && !/^\w+\s*:\s*["'`]/.test(a) && /:\s*(string|number|boolean|unknown|Validator|IConstruct|readonly|\w+\[\]|\{)/.test(a))) continue; // a declaration's parameters
      if (isRule && args.length === 3) add(m.index!, ".rule", args[0], args[2], "rule-object"); // Validator.rule(field, value, StringRule)
      else if (isLocalFail && args.length === 1) add(m.index!, "fail", undefined, args[0], "string"); // config.ts's local fail(rule)
      else if (r && args.length > Math.max(r.field, r.rule)) add(m.index!, `${m[1] ?? ""}${name}`, args[r.field], args[r.rule], "string");
      else if (helpers.has(name) && args.length >= 3) add(m.index!, name, args[1], undefined, "none"); // a helper: its own body holds the rules
    }
    // Problems pushed as objects with their own rule text (config.ts): { path, field, value, rule }.
    for (const m of masked.matchAll(/\bproblems\.push\(\s*\{/g)) {
      const open = m.index! + m[0].length - 1;
      const props = new Map(
        splitArgs(src, open)
          .filter((p) => p.includes(":"))
          .map((p) => {
            const i = p.indexOf(":");
            return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
          }),
      );
      if (props.has("rule")) add(m.index!, "problems.push", props.get("field"), props.get("rule"), "string");
    }
    // Security rules: each id is reported as the field prefix of its findings.
    for (const m of src.matchAll(/^\s*id:\s*"(AKSS-[A-Z0-9]+)"/gm)) {
      sites.push({ file, line: lineOf(src, m.index!), call: "rule id", fieldSource: m[1], field: new RegExp(`^${esc(m[1])} `) });
    }
  }
  // One site per distinct (file, construct class, field, rule).
  const seen = new Set<string>();
  return sites.filter((s) => {
    const key = `${s.file}\0${s.constructClass ?? ""}\0${s.field.source}\0${s.rule?.source ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
