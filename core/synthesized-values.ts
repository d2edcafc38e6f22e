// A required link never renders as "undefined": every stack that holds a construct of this library
// checks, whenever it is validated (validateTree, validateAndSynth, app.synth, Testing.synth with
// validations), that no string its library constructs synthesize contains `undefined`, `null`,
// `NaN` or `[object Object]` as a word: what JavaScript writes when a value that was never set, an
// object or a failed computation is put into a string. Words the user wrote in a prop (a namespace
// called `null`) are theirs and pass; resources the user made with bare bindings outside the
// library's constructs are not checked.
import { TerraformElement, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { problemMessage } from "./validation";

/** A word JavaScript leaves in a string when a value is missing or of the wrong kind. */
const SUSPICIOUS = /(?<![A-Za-z0-9_])(undefined|null|NaN)(?![A-Za-z0-9_])|\[object Object\]/;

interface Registry {
  /** Construct paths of the library's constructs (their elements are checked). */
  readonly paths: Set<string>;
  /** Strings given in props that contain a suspicious word themselves (they pass). */
  readonly userStrings: Set<string>;
}

const REGISTRIES = new WeakMap<IConstruct, Registry>();
const WATCHED = new WeakSet<IConstruct>();
/** Per stack: its node count when it was last found clean (validateAndSynth validates twice: once is enough). */
const CLEAN_AT = new WeakMap<IConstruct, number>();

function registry(scope: IConstruct): Registry {
  const root = scope.node.root;
  let r = REGISTRIES.get(root);
  if (!r) REGISTRIES.set(root, (r = { paths: new Set(), userStrings: new Set() }));
  return r;
}

function collectUserStrings(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 12) return;
  if (typeof value === "string") {
    if (SUSPICIOUS.test(value)) into.add(value);
  } else if (Array.isArray(value)) {
    for (const x of value) collectUserStrings(x, into, depth + 1);
  } else if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    for (const x of Object.values(value)) collectUserStrings(x, into, depth + 1);
  }
}

/**
 * Registers a construct of this library (with the props it was given) for the check of its
 * stack's synthesized values; adds the check to the stack once. Called by checkProps.
 */
export function watchSynthesizedValues(scope: IConstruct, props: unknown): void {
  const r = registry(scope);
  r.paths.add(scope.node.path);
  collectUserStrings(props, r.userStrings);
  let stack: TerraformStack;
  try {
    stack = TerraformStack.of(scope);
  } catch {
    return; // not in a stack (yet): nothing synthesizes it
  }
  if (WATCHED.has(stack)) return;
  WATCHED.add(stack);
  stack.node.addValidation({
    validate: () => {
      const nodes = stack.node.findAll().length;
      if (CLEAN_AT.get(stack) === nodes) return [];
      const problems = synthesizedValueProblems(stack);
      if (problems.length === 0) CLEAN_AT.set(stack, nodes);
      return problems.map((p) => problemMessage(p.field, p.value, p.rule));
    },
  });
}

/**
 * The strings of `stack`'s configuration, as its library constructs' elements render it before
 * tokens are resolved (cheap: no resolution; values computed lazily are not seen), that hold a
 * suspicious word where a value belongs.
 */
export function synthesizedValueProblems(stack: TerraformStack): { field: string; value: string; rule: string }[] {
  const r = registry(stack);
  const ours = (path: string) => {
    for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) if (r.paths.has(path.slice(0, i))) return true;
    return r.paths.has(path);
  };
  const out: { field: string; value: string; rule: string }[] = [];
  const visit = (v: unknown, field: string, at: string, depth: number) => {
    if (depth > 40) return;
    if (typeof v === "string") {
      let rest = v;
      for (const u of r.userStrings) if (rest.includes(u)) rest = rest.split(u).join(" ");
      const m = SUSPICIOUS.exec(rest);
      if (m) {
        out.push({
          field,
          value: v,
          rule: `holds "${m[0]}" where a value belongs (made by ${at}): a value that was never set, an object or a failed computation reached the configuration; give the missing input, or report it as a bug of that construct`,
        });
      }
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, `${field}[${i}]`, at, depth + 1));
    } else if (typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
      for (const [k, x] of Object.entries(v)) if (k !== "//") visit(x, field === "" ? k : `${field}.${k}`, at, depth + 1);
    }
  };
  for (const c of stack.node.findAll()) {
    if (!TerraformElement.isTerraformElement(c) || !ours(c.node.path)) continue;
    const tf = (c as TerraformElement).toTerraform() as Record<string, unknown>;
    // `resource.TYPE.NAME...` is named `TYPE.NAME...`, as Terraform addresses resources.
    for (const [section, body] of Object.entries(tf)) visit(body, section === "resource" ? "" : section, c.node.path, 0);
  }
  return out;
}
