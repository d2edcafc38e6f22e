// The props walker: the table of every construct's and stack's props, generated from the TypeScript
// types (scripts/props-table.mjs), and the mutations of every field of it (wrong type, null,
// missing when required, outside the enum), applied to a valid baseline.
import { execFileSync } from "node:child_process";
import path from "node:path";

export type TypeShape =
  | { kind: "string" | "number" | "boolean" | "unknown" | "function" }
  | { kind: "literal"; values: (string | number | boolean)[] }
  | { kind: "array"; element: TypeShape }
  | { kind: "record"; value: TypeShape }
  | { kind: "object"; name?: string; fields: { name: string; optional: boolean; type: TypeShape }[] }
  | { kind: "union"; discriminant?: string; variants: TypeShape[] }
  | { kind: "instance"; name: string; members: string[] }
  | { kind: "reference"; name: string };

export interface TableEntry {
  readonly name: string;
  readonly file: string;
  readonly kind: "construct" | "stack";
  readonly params: { name: string; optional: boolean; type: TypeShape }[];
}

export function propsTable(root: string): TableEntry[] {
  const out = execFileSync(process.execPath, [path.join(root, "scripts/props-table.mjs")], { encoding: "utf8", maxBuffer: 64 << 20 });
  return JSON.parse(out).entries;
}

export interface Mutation {
  /** Field path as a problem names it: `apiServerAccess.ranges[0]`, `tags["walker"]`. */
  readonly field: string;
  /** Path segments into the props object. */
  readonly at: (string | number)[];
  readonly op: "set" | "delete";
  readonly value?: unknown;
  readonly label: string;
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** Deep copy of plain objects and arrays; anything else (constructs, tokens) by reference. */
export function clonePlain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clonePlain) as T;
  if (isPlain(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clonePlain(x)])) as T;
  return v;
}

export function applyMutation(props: unknown, m: Mutation): unknown {
  if (m.at.length === 0) return m.op === "delete" ? undefined : m.value;
  const root = clonePlain(props) as any;
  let o = root;
  for (const k of m.at.slice(0, -1)) o = o[k];
  const last = m.at[m.at.length - 1];
  if (m.op === "delete") delete o[last];
  else o[last] = m.value;
  return root;
}


/** Does the value match the shape's outer kind (used to pick the union variant a baseline uses)? */
function matches(t: TypeShape, v: unknown): boolean {
  switch (t.kind) {
    case "string": return typeof v === "string";
    case "number": return typeof v === "number";
    case "boolean": return typeof v === "boolean";
    case "literal": return t.values.includes(v as never);
    case "array": return Array.isArray(v);
    case "record": return isPlain(v);
    case "object": return typeof v === "object" && v !== null && !Array.isArray(v);
    case "instance": return typeof v === "object" && v !== null && !isPlain(v);
    case "union": return t.variants.some((x) => matches(x, v));
    default: return true;
  }
}

/** Wrong-type values for a shape: values of no kind the shape accepts. */
function wrongValues(t: TypeShape): { label: string; value: unknown }[] {
  const candidates: { label: string; value: unknown }[] = [
    { label: "a number", value: 42 },
    { label: "a string", value: "walker" },
    { label: "a boolean", value: true },
    { label: "an array", value: [] },
    { label: "a plain object", value: {} },
  ];
  const accepts = (c: unknown) => matches(t, c) || (t.kind === "object" && typeof c === "object" && !Array.isArray(c));
  const out: { label: string; value: unknown }[] = [];
  if (t.kind === "literal") {
    const prim = typeof t.values[0];
    out.push({ label: "a value outside the enum", value: prim === "number" ? 987654 : prim === "boolean" ? "true" : "no-such-value" });
  }
  if (t.kind === "number") out.push({ label: "NaN", value: NaN });
  // The first candidate of a wrong kind, plus an array for object-like shapes (typeof [] is "object").
  const first = candidates.find((c) => !accepts(c.value) && !(t.kind === "literal" && typeof c.value === typeof t.values[0]));
  if (first) out.push(first);
  if ((t.kind === "object" || t.kind === "record" || t.kind === "instance") && !out.some((o) => Array.isArray(o.value))) out.push({ label: "an array", value: [] });
  if (t.kind === "instance") out.push({ label: "a plain object", value: {} });
  return out;
}

function fieldName(parent: string, k: string | number): string {
  if (typeof k === "number") return `${parent}[${k}]`;
  return parent === "" ? k : `${parent}.${k}`;
}

/** Every table path (for coverage), in the walker's notation: `a.b[].c`, variants as `a<type=x>`. */
export function tablePaths(t: TypeShape, prefix = ""): string[] {
  switch (t.kind) {
    case "object":
      return t.fields.flatMap((f) => {
        const p = prefix === "" ? f.name : `${prefix}.${f.name}`;
        return [p, ...tablePaths(f.type, p)];
      });
    case "array":
      return tablePaths(t.element, `${prefix}[]`);
    case "record":
      return tablePaths(t.value, `${prefix}{}`);
    case "union":
      return t.variants.flatMap((v, i) => (v.kind === "object" || v.kind === "array" || v.kind === "record" ? [`${prefix}<${variantTag(t, v, i)}>`, ...tablePaths(v, `${prefix}<${variantTag(t, v, i)}>`)] : []));
    default:
      return [];
  }
}

function variantTag(u: { discriminant?: string }, v: TypeShape, i: number): string {
  if (u.discriminant && v.kind === "object") {
    const f = v.fields.find((x) => x.name === u.discriminant);
    if (f && f.type.kind === "literal") return `${u.discriminant}=${f.type.values[0]}`;
  }
  return v.kind === "object" && v.name ? v.name : `${v.kind}#${i}`;
}

/**
 * The mutations of a value of shape `t` at `at`, given the baseline value there. Records the
 * table paths reached in `reached`.
 */
export function mutations(t: TypeShape, value: unknown, at: (string | number)[], field: string, required: boolean, tpath: string, reached: Set<string>): Mutation[] {
  const out: Mutation[] = [];
  const self = field === "" ? "props" : field;
  if (tpath !== "") reached.add(tpath);
  if (t.kind === "unknown" || t.kind === "function") return out;
  for (const w of wrongValues(t)) out.push({ field: self, at, op: "set", value: w.value, label: w.label });
  out.push({ field: self, at, op: "set", value: null, label: "null" });
  if (required && value !== undefined && at.length > 0) out.push({ field: self, at, op: "delete", label: "missing" });
  if (value === undefined || value === null) return out;
  switch (t.kind) {
    case "object":
      for (const f of t.fields) {
        const p = tpath === "" ? f.name : `${tpath}.${f.name}`;
        out.push(...mutations(f.type, (value as any)[f.name], [...at, f.name], fieldName(field, f.name), !f.optional, p, reached));
      }
      break;
    case "array":
      if (Array.isArray(value)) {
        // The first element, and the first of each other kind (a union element: each variant used).
        const seen = new Set<string>();
        value.forEach((el, i) => {
          const k = t.element.kind === "union" ? String(t.element.variants.findIndex((v) => matches(v, el))) : "0";
          if (seen.has(k)) return;
          seen.add(k);
          out.push(...mutations(t.element, el, [...at, i], fieldName(field, i), false, `${tpath}[]`, reached));
        });
      }
      break;
    case "record": {
      if (isPlain(value)) {
        const k = Object.keys(value)[0] ?? "walker";
        reached.add(`${tpath}{}`);
        for (const w of wrongValues(t.value).concat([{ label: "null", value: null }])) {
          if (t.value.kind === "unknown") break;
          out.push({ field: `${field}["${k}"]`, at: [...at, k], op: "set", value: w.value, label: `entry ${w.label}` });
        }
      }
      break;
    }
    case "union": {
      const pick = (v: TypeShape) => {
        if (t.discriminant && v.kind === "object") {
          const d = v.fields.find((x) => x.name === t.discriminant);
          return d?.type.kind === "literal" && d.type.values.includes((value as any)[t.discriminant]);
        }
        return matches(v, value);
      };
      // Without a discriminant, an object variant whose required fields the baseline all sets is the
      // one it uses ({ all: true } or { path }), before the first object variant of any fields.
      const holdsRequired = (v: TypeShape) => v.kind === "object" && isPlain(value) && v.fields.every((f) => f.optional || f.name in (value as object));
      const exact = t.discriminant ? -1 : t.variants.findIndex((v) => pick(v) && holdsRequired(v));
      const i = exact >= 0 ? exact : t.variants.findIndex(pick);
      if (i >= 0) {
        const v = t.variants[i];
        const tag = `${tpath}<${variantTag(t, v, i)}>`;
        if (v.kind === "object" || v.kind === "array" || v.kind === "record") {
          reached.add(tag);
          // The variant's own mutations, minus the outer ones already listed.
          const inner = mutations(v, value, at, field, required, tag, reached).filter((m) => m.at.length > at.length);
          out.push(...inner);
        }
      }
      break;
    }
  }
  return out;
}
