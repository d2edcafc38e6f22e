// Props checked at runtime against their TypeScript types, for callers the compiler does not see
// (plain JavaScript, JSON-driven code, values computed at runtime): the wrong type, null, a missing
// required field or a value outside an enum fails with a ValidationError naming the construct path,
// the field, the value and the rule, before the construct reads the value (never a TypeError from
// deep inside, never silently accepted). The shapes are generated from the props interfaces into
// props-shapes.generated.ts (scripts/props-table.mjs, `npm run gen:props`).
import { IConstruct } from "constructs";
import { PROPS_SHAPES } from "./props-shapes.generated";
import { watchSynthesizedValues } from "./synthesized-values";
import { isUnresolved, OPT_OUT_REASON_RULE, problemMessage, ValidationError, ValidationProblem, show } from "./validation";

/** The shape of a value, as generated from its TypeScript type. */
export type PropShape =
  | { readonly kind: "string" | "number" | "boolean" | "unknown" | "function" }
  | { readonly kind: "literal"; readonly values: readonly (string | number | boolean)[] }
  | { readonly kind: "array"; readonly element: PropShape }
  | { readonly kind: "record"; readonly value: PropShape }
  | { readonly kind: "object"; readonly name?: string; readonly fields: readonly { readonly name: string; readonly optional: boolean; readonly type: PropShape }[] }
  | { readonly kind: "union"; readonly discriminant?: string; readonly variants: readonly PropShape[] }
  /** A class instance, checked structurally: an object holding these members. */
  | { readonly kind: "instance"; readonly name: string; readonly members: readonly string[] }
  /** An interface of another package (`ITerraformDependable`): an object. */
  | { readonly kind: "reference"; readonly name: string };

/** The shape of a construct's props parameter. */
export interface PropsShape {
  /** The parameter may be left out (`props = {}`). */
  readonly optional: boolean;
  readonly type: PropShape;
}

/** The field name of the props parameter itself, in messages. */
export const PROPS_FIELD = "props";

/** A problem; `deferred` ones (options another variant owns) are reported at tree validation, so a construct's own wording of them comes first. */
type Problem = Omit<ValidationProblem, "path"> & { readonly deferred?: boolean; readonly raw?: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const article = (s: string) => (/^[AEIOU]/.test(s) ? `an ${s}` : `a ${s}`);

/** What a value of this shape is, in words: `a string`, `one of "a", "b"`, `a list of strings`. */
export function describeShape(s: PropShape): string {
  switch (s.kind) {
    case "string":
      return "a string";
    case "number":
      return "a finite number";
    case "boolean":
      return "true or false";
    case "literal":
      return s.values.length === 1 ? JSON.stringify(s.values[0]) : `one of ${s.values.map((x) => JSON.stringify(x)).join(", ")}`;
    case "array":
      return "a list";
    case "record":
      return "an object of named values";
    case "object": {
      // Literal fields (a union's discriminant) are shown with their value: { mode: "private" }.
      const required = s.fields.filter((f) => !f.optional).map((f) => (f.type.kind === "literal" && f.type.values.length === 1 ? `${f.name}: ${JSON.stringify(f.type.values[0])}` : f.name));
      return `an object${required.length ? ` { ${required.join(", ")}${required.length < s.fields.length ? ", ..." : ""} }` : ""}`;
    }
    case "union":
      return s.variants.map(describeShape).join(" or ");
    case "instance":
      return article(s.name);
    case "reference":
      return `${article(s.name)} object`;
    case "function":
      return "a function";
    default:
      return "a value";
  }
}

const child = (field: string, key: string | number) => (typeof key === "number" ? `${field}[${key}]` : field === PROPS_FIELD ? key : `${field}.${key}`);
const entry = (field: string, key: string) => `${field === PROPS_FIELD ? "" : field}["${key}"]`;

/** Does the value have the outer kind of the shape (used to choose a union variant)? */
function sameKind(s: PropShape, v: unknown): boolean {
  switch (s.kind) {
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number";
    case "boolean":
      return typeof v === "boolean";
    case "literal":
      return s.values.some((x) => typeof x === typeof v);
    case "array":
      return Array.isArray(v);
    case "function":
      return typeof v === "function";
    case "unknown":
      return true;
    default:
      return isObject(v);
  }
}

/**
 * Whether `value` fits `shape`: true exactly when {@link shapeProblems} finds nothing (deferred
 * problems included), without building field paths or messages. checkProps asks this first: a
 * valid value (nearly every one) costs a walk and no allocation; only a value that does not fit is
 * walked again for its problems.
 */
export function fits(shape: PropShape, value: unknown): boolean {
  if (value === null) return false;
  switch (shape.kind) {
    case "unknown":
      return true;
    case "string":
    case "boolean":
    case "function":
      return typeof value === shape.kind;
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "literal":
      return shape.values.includes(value as never) || isUnresolved(value);
    case "array":
      if (!Array.isArray(value)) return false;
      for (const x of value) if (!fits(shape.element, x)) return false;
      return true;
    case "record":
      if (!isObject(value)) return false;
      for (const k in value) if (Object.prototype.hasOwnProperty.call(value, k) && !fits(shape.value, value[k])) return false;
      return true;
    case "reference":
      return isObject(value);
    case "instance":
      if (!isObject(value)) return false;
      for (const m of shape.members) if (!(m in value)) return false;
      return true;
    case "object":
      if (!isObject(value)) return false;
      for (const f of shape.fields) {
        const x = value[f.name];
        if (f.name === "reason" && f.type.kind === "string" && typeof x !== "string") return false;
        if (x === undefined) {
          if (!f.optional) return false;
          continue;
        }
        if (!fits(f.type, x)) return false;
      }
      return true;
    case "union": {
      if (shape.discriminant && isObject(value)) {
        const d = shape.discriminant;
        const variant = shape.variants.find((v) => v.kind === "object" && v.fields.some((f) => f.name === d && f.type.kind === "literal" && f.type.values.includes(value[d] as never)));
        if (!variant || variant.kind !== "object") return false;
        // An option of another variant is a (deferred) problem.
        for (const k in value) {
          if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
          const x = value[k];
          if (x === undefined || (Array.isArray(x) && x.length === 0) || variant.fields.some((f) => f.name === k)) continue;
          if (shape.variants.some((v) => v.kind === "object" && v.fields.some((f) => f.name === k))) return false;
        }
        return fits(variant, value);
      }
      for (const v of shape.variants) if (sameKind(v, value) && fits(v, value)) return true;
      return false;
    }
  }
}

/** Collects the problems of `value` against `shape` at `field` (none for a value of the right type). */
export function shapeProblems(shape: PropShape, value: unknown, field: string, out: Problem[] = []): Problem[] {
  const fail = (rule: string, v: unknown = value) => void out.push({ field, value: show(v), rule });
  if (value === null) {
    fail(`must be ${describeShape(shape)}, not null (leave an optional setting out instead)`);
    return out;
  }
  switch (shape.kind) {
    case "unknown":
      return out;
    case "string":
    case "boolean":
    case "function":
      if (typeof value !== shape.kind) fail(`must be ${describeShape(shape)}`);
      return out;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) fail(`must be ${describeShape(shape)}`);
      return out;
    case "literal":
      // An unresolved token stands for a value known at apply time: it passes.
      if (!shape.values.includes(value as never) && !isUnresolved(value)) fail(`must be ${describeShape(shape)}`);
      return out;
    case "array":
      if (!Array.isArray(value)) fail(`must be ${describeShape(shape)}`);
      else value.forEach((x, i) => shapeProblems(shape.element, x, child(field, i), out));
      return out;
    case "record":
      if (!isObject(value)) fail(`must be ${describeShape(shape)}`);
      else for (const [k, x] of Object.entries(value)) shapeProblems(shape.value, x, entry(field, k), out);
      return out;
    case "reference":
      if (!isObject(value)) fail(`must be ${describeShape(shape)}`);
      return out;
    case "instance": {
      const missing = isObject(value) ? shape.members.filter((m) => !(m in value)) : shape.members;
      if (!isObject(value) || missing.length > 0) fail(`must be ${describeShape(shape)}${isObject(value) ? ` (this object has no ${missing.join(", ")})` : ""}`);
      return out;
    }
    case "object":
      if (!isObject(value)) {
        fail(`must be ${describeShape(shape)}`);
        return out;
      }
      for (const f of shape.fields) {
        const x = value[f.name];
        if (f.name === "reason" && f.type.kind === "string" && (typeof x !== "string" || x === undefined)) {
          // The reason of an opt-out ({ reason }): the wording checkOptOut uses.
          out.push({ field: child(field, f.name), value: show(x), rule: OPT_OUT_REASON_RULE });
          continue;
        }
        if (x === undefined) {
          if (!f.optional) out.push({ field: child(field, f.name), value: show(undefined), rule: `is required: ${describeShape(f.type)}` });
          continue;
        }
        shapeProblems(f.type, x, child(field, f.name), out);
      }
      return out;
    case "union": {
      if (shape.discriminant && isObject(value)) {
        const d = shape.discriminant;
        const variant = shape.variants.find((v) => v.kind === "object" && v.fields.some((f) => f.name === d && f.type.kind === "literal" && f.type.values.includes(value[d] as never)));
        if (!variant) {
          const values = shape.variants.flatMap((v) => (v.kind === "object" ? v.fields.filter((f) => f.name === d).flatMap((f) => (f.type.kind === "literal" ? f.type.values : [])) : []));
          out.push({ field: child(field, d), value: show(value[d]), rule: value[d] === undefined ? `is required: one of ${values.map((x) => JSON.stringify(x)).join(", ")}` : `must be one of ${values.map((x) => JSON.stringify(x)).join(", ")}` });
          return out;
        }
        // Options of another variant exclude this one: refused, not silently ignored.
        if (variant.kind === "object") {
          for (const [k, x] of Object.entries(value)) {
            if (x === undefined || (Array.isArray(x) && x.length === 0) || variant.fields.some((f) => f.name === k)) continue;
            const owners = shape.variants.filter((v) => v.kind === "object" && v.fields.some((f) => f.name === k)).flatMap((v) => (v.kind === "object" ? v.fields.filter((f) => f.name === d).flatMap((f) => (f.type.kind === "literal" ? f.type.values : [])) : []));
            if (owners.length > 0) out.push({ field: child(field, k), value: show(x), rule: `applies only to ${d} ${owners.map((o) => JSON.stringify(o)).join(" or ")}: with ${d} ${JSON.stringify(value[d])} it would be ignored; remove it, or choose that ${d}`, deferred: true, raw: x });
          }
        }
        return shapeProblems(variant, value, field, out);
      }
      let candidates = shape.variants.filter((v) => sameKind(v, value));
      // A plain object is checked against the object variants, an instance of a class against the class variants.
      const plain = isObject(value) && Object.getPrototypeOf(value) === Object.prototype;
      // (A value fitting any variant passes; the problems reported are the preferred variants'.)
      const preferred = candidates.filter((v) => (v.kind === "instance") !== plain);
      if (preferred.length > 0 && candidates.some((v) => !preferred.includes(v) && shapeProblems(v, value, field).length === 0)) return out;
      if (preferred.length > 0) candidates = preferred;
      if (candidates.length === 0) {
        fail(`must be ${describeShape(shape)}`);
        return out;
      }
      // The first variant the value fits; else the problems of the closest one: the object variant
      // sharing most keys with the value ({ path: 1 } is a wrong { path }, not a { all } without
      // all), then the one with the fewest problems. When object variants tie sharing no key (an
      // empty object), each one's problems are named, as alternatives.
      const shared = (v: PropShape) => (v.kind === "object" && isObject(value) ? Object.keys(value).filter((k) => v.fields.some((f) => f.name === k)).length : 0);
      let best: { problems: Problem[]; shared: number; variant: PropShape }[] = [];
      for (const v of candidates) {
        const p = shapeProblems(v, value, field);
        if (p.length === 0) return out;
        const c = { problems: p, shared: shared(v), variant: v };
        const top = best[0];
        if (!top || c.shared > top.shared || (c.shared === top.shared && p.length < top.problems.length)) best = [c];
        else if (c.shared === top.shared && p.length === top.problems.length) best.push(c);
      }
      const tiedObjects = best.length > 1 && best[0].shared === 0 && best.every((b) => b.variant.kind === "object");
      if (!tiedObjects) {
        out.push(...best[0].problems);
        return out;
      }
      for (const b of best) {
        const others = best.filter((o) => o !== b).map((o) => describeShape(o.variant)).join(" or ");
        out.push(...b.problems.map((p) => ({ ...p, rule: `${p.rule} (or give ${others} instead)` })));
      }
      return out;
    }
  }
}

/**
 * Checks a construct's props against the shape generated from its props type (`shapes[name]`,
 * by default the library's own table) and throws one ValidationError for every problem found,
 * before the construct reads any value. Call first thing in the constructor, after `super`.
 */
export function checkProps(scope: IConstruct, name: string, props: unknown, shapes: Readonly<Record<string, PropsShape>> = PROPS_SHAPES): void {
  const shape = shapes[name];
  if (!shape) throw new Error(`checkProps: no generated shape for ${name}: run npm run gen:props`);
  const problems: Problem[] = [];
  if (props === undefined) {
    if (!shape.optional) problems.push({ field: PROPS_FIELD, value: show(undefined), rule: `is required: ${describeShape(shape.type)}` });
  } else {
    if (!fits(shape.type, props)) shapeProblems(shape.type, props, PROPS_FIELD, problems);
    // A misspelled prop would be ignored silently: the props object holds only known keys.
    if (shape.type.kind === "object" && typeof props === "object" && props !== null && !Array.isArray(props)) {
      const known = shape.type.fields.map((f) => f.name);
      for (const [k, x] of Object.entries(props)) {
        if (known.includes(k) || x === undefined) continue;
        const near = known.filter((n) => editDistance(n.toLowerCase(), k.toLowerCase()) <= 2);
        problems.push({ field: k, value: show(x), rule: `is not a prop of ${name}${near.length ? ` (did you mean ${near.join(" or ")}?)` : `: it would be ignored (known: ${known.join(", ")})`}` });
      }
    }
  }
  const now = problems.filter((p) => !p.deferred);
  if (now.length > 0) throw new ValidationError(now.map((p) => ({ path: scope.node.path, field: p.field, value: p.value, rule: p.rule })));
  const deferred = problems.filter((p) => p.deferred);
  if (deferred.length > 0) scope.node.addValidation({ validate: () => deferred.map((p) => problemMessage(p.field, p.raw, p.rule)) });
  watchSynthesizedValues(scope, props);
}

/** Levenshtein distance, for did-you-mean hints. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}
